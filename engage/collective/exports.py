"""The collective view as a file: PDF, CSV or XLSX. Each starts with the handling label, who it
was exported for and when (engage.core.files.recipient_lines), as every file that leaves the
service does. Spreadsheet cells are written as text that never runs: `safe_cell` on every
cell, and in XLSX every cell typed as a string, so "=..." is never a formula."""

import csv
import io
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from engage.core.files import recipient_lines, safe_cell
from engage.core.pdf import render_pdf
from engage.engagements.models import Engagement


def rows(*, engagement: Engagement, content: dict[str, Any], status: str, lines: list[str]):
    """The view as rows of cells, shared by CSV and XLSX."""
    yield from ([line] for line in lines)
    yield [_("Engagement"), engagement.title]
    yield [_("Status"), status]
    yield []
    yield [_("Summary"), content["summary"]]
    yield [_("Collective stance"), content["position_label"]]
    yield [_("Collective position"), content["position_text"]]
    yield []
    yield [_("Question"), _("Points")]
    for point in content["points"]:
        yield [f"{point['number']}. {point['question']}", point["text"]]
    yield []
    yield [_("Question"), _("Stance"), _("Bodies")]
    for count in content["counts"]:
        for row in count["rows"]:
            yield [f"{count['number']}. {count['question']}", row["label"], row["count"]]
        yield [f"{count['number']}. {count['question']}", _("No stance given"), count["none_given"]]
    yield []
    yield [_("Local variations annex"), _("Local variations")]
    for variation in content["variations"]:
        yield [variation["body"], variation["text"]]
    yield []
    yield [_("Dissent annex"), _("Question"), _("Stance"), _("In their words")]
    for entry in content["dissent"]:
        for answer in entry["answers"]:
            yield [entry["body"], answer["question"], answer["stance_label"], answer["text"]]
    yield []
    yield [_("Sources"), _("Response version"), _("Submitted")]
    for source in content["sources"]:
        yield [source["body"], source["number"], source["submitted_at"]]


def _lines(engagement: Engagement, recipient, organisation, at: datetime) -> list[str]:
    return recipient_lines(
        label=engagement.label,
        recipient=recipient,
        organisation=organisation,
        at=at,
        verb=_("Exported"),
    )


def view_csv(*, engagement, content, status, recipient, organisation, at) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    lines = _lines(engagement, recipient, organisation, at)
    for row in rows(engagement=engagement, content=content, status=status, lines=lines):
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def view_xlsx(*, engagement, content, status, recipient, organisation, at) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Collective view")[:31]
    lines = _lines(engagement, recipient, organisation, at)
    for number, row in enumerate(
        rows(engagement=engagement, content=content, status=status, lines=lines), start=1
    ):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column, value=safe_cell(value))
            cell.data_type = "s"  # text, never a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def view_pdf(*, engagement, content, status, recipient, organisation, at) -> bytes:
    return render_pdf(
        "collective/export.html",
        {
            "engagement": engagement,
            "content": content,
            "status": status,
            "lines": _lines(engagement, recipient, organisation, at),
        },
    )
