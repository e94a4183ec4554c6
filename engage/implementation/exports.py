"""The lead's status table as a CSV file. It starts with the handling label, who it was
exported for and when (engage.core.files.recipient_lines), as every file that leaves the
service does. The file carries no role's terms, only where each body stands, and is labelled
TLP:AMBER+STRICT, the narrowest label an agreement can carry. Every cell through `safe_cell`."""

import csv
import io
from collections.abc import Iterator
from datetime import datetime

from django.utils.translation import gettext as _

from engage.core.files import recipient_lines, safe_cell
from engage.core.labels import Label
from engage.policies.models import Policy

from .selectors import StatusTable

LABEL = Label.AMBER_STRICT


def rows(*, policy: Policy, table: StatusTable, lines: list[str]) -> Iterator[list]:
    yield from ([line] for line in lines)
    yield [_("Policy"), policy.title]
    yield []
    yield [
        _("Policing body"),
        _("Status"),
        _("By when"),
        _("Milestones"),
        _("Done"),
        _("Overdue"),
        _("At risk"),
    ]
    for row in table.all_rows:
        agreement = row.agreement
        counts = agreement.counts() if agreement is not None and agreement.is_agreed else None
        yield [
            row.body.organisation.name,
            row.summary_label,
            agreement.due_on.isoformat() if agreement is not None else "",
            *(
                (counts.total, counts.done, counts.overdue, counts.at_risk)
                if counts is not None
                else ("", "", "", "")
            ),
        ]


def status_csv(*, policy: Policy, table: StatusTable, recipient, organisation, at: datetime) -> str:
    lines = recipient_lines(
        label=LABEL, recipient=recipient, organisation=organisation, at=at, verb=_("Exported")
    )
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows(policy=policy, table=table, lines=lines):
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
