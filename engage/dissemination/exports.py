"""Where every body stands on a dissemination request, as a file: CSV or XLSX. Each starts with
the engagement's handling label, who it was exported for and when
(engage.core.files.recipient_lines), as every file that leaves the service does. Spreadsheet
cells are written as text that never runs: `safe_cell` on every cell, and in XLSX every cell
typed as a string, so "=..." is never a formula."""

import csv
import io
from datetime import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from engage.core.files import recipient_lines, safe_cell
from engage.core.labels import Label

from .models import DisseminationConfirmation, DisseminationRequest, State


def _date(value) -> str:
    return date_format(value, "j F Y") if value else ""


def table_rows(
    *, dissemination: DisseminationRequest, rows: list[DisseminationConfirmation], lines: list[str]
):
    """The table as rows of cells, shared by CSV and XLSX."""
    states = dict(State.choices)
    yield from ([line] for line in lines)
    yield [_("Engagement"), dissemination.engagement.title]
    yield [_("Message label"), Label(dissemination.message_label).label]
    yield [_("Due"), _date(dissemination.due_on)]
    yield []
    yield [
        _("Policing body"),
        _("Status"),
        _("Channel"),
        _("To whom"),
        _("When"),
        _("Link"),
        _("Attachment"),
        _("Why it could not"),
        _("Confirmed by"),
    ]
    for row in rows:
        yield [
            row.body.organisation.name,
            states[row.state],  # type: ignore[attr-defined]
            row.channel_text(),
            row.to_whom,
            _date(row.done_on),
            row.link,
            row.attachment_name,  # its name only: the file is on the status page
            row.reason,
            row.confirmed_by.get_full_name() if row.confirmed_by else "",
        ]


def _lines(dissemination: DisseminationRequest, recipient, organisation, at: datetime):
    return recipient_lines(
        label=dissemination.engagement.label,
        recipient=recipient,
        organisation=organisation,
        at=at,
        verb=_("Exported"),
    )


def status_csv(*, dissemination, rows: list, recipient, organisation, at) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    lines = _lines(dissemination, recipient, organisation, at)
    for row in table_rows(dissemination=dissemination, rows=rows, lines=lines):
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def status_xlsx(*, dissemination, rows: list, recipient, organisation, at) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Dissemination")[:31]
    lines = _lines(dissemination, recipient, organisation, at)
    cells = table_rows(dissemination=dissemination, rows=rows, lines=lines)
    for number, row in enumerate(cells, start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column, value=safe_cell(value))
            cell.data_type = "s"  # text, never a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
