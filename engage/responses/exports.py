"""The submitted responses to an engagement as a CSV file, for a policy lead (or anyone who
may read them) to work on in a spreadsheet.

The file starts with the handling label, who it was exported for and when, as every file
that leaves the service does; then one row per body: its latest submitted version, each
question's stance and answer, and the local perspective. Every cell is written so a
spreadsheet shows it as text, never runs it (engage.core.files.safe_cell).
"""

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from engage.core.files import recipient_lines, safe_cell
from engage.engagements.models import Engagement, Question, QuestionKind, Stance

from .models import Response
from .services import PERSPECTIVE_FIELDS


def responses_csv(
    *,
    engagement: Engagement,
    questions: list[Question],
    responses: Iterable[Response],
    recipient,
    organisation,
    at: datetime,
) -> str:
    """`responses` must carry the annotations of `selectors.submitted_responses` with
    `with_content=True`."""
    stances = dict(Stance.choices)
    out = io.StringIO()
    writer = csv.writer(out)
    for line in recipient_lines(
        label=engagement.label,
        recipient=recipient,
        organisation=organisation,
        at=at,
        verb=_("Exported"),
    ):
        writer.writerow([safe_cell(line)])
    writer.writerow([safe_cell(_("Engagement: %(title)s") % {"title": engagement.title})])
    writer.writerow([])

    header = [_("Policing body"), _("Submitted"), _("Submitted by"), _("Version"), _("Late")]
    for question in questions:
        if question.kind == QuestionKind.STANCE:
            header.append(_("Q%(n)s stance") % {"n": question.number})
            header.append(_("Q%(n)s explanation") % {"n": question.number})
        else:
            header.append(_("Q%(n)s answer") % {"n": question.number})
    header += [_("Challenges"), _("Opportunities"), _("Local variations")]
    writer.writerow([safe_cell(cell) for cell in header])

    for response in responses:
        content = getattr(response, "latest_content", None) or {}
        answers = {answer.get("number"): answer for answer in content.get("answers", [])}
        submitted = timezone.localtime(response.submitted_at) if response.submitted_at else None
        row: list[object] = [
            response.body.organisation.name,
            submitted.strftime("%Y-%m-%d %H:%M") if submitted else "",
            getattr(response, "latest_submitted_by", "") or "",
            response.submitted_version,
            _("Yes") if getattr(response, "latest_late", False) else _("No"),
        ]
        for question in questions:
            answer = answers.get(question.number, {})
            if question.kind == QuestionKind.STANCE:
                row.append(str(stances.get(answer.get("stance", ""), "")))
            row.append(answer.get("text", ""))
        row += [content.get(field, "") for field in PERSPECTIVE_FIELDS]
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
