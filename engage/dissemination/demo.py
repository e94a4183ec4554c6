"""Demo content (development only): a request to communicate an engagement locally, and the
answers of some of the bodies asked. For `seed_demo` to call; not wired in here."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from engage.accounts.models import Membership, User
from engage.engagements.models import Engagement

from . import services
from .models import DisseminationRequest

MESSAGE = (
    "From April, victims' services commissioned locally must offer the new needs assessment. "
    "Please let your local criminal justice board and victims' services know, and point them "
    "to the published guidance."
)


def dissemination_demo(
    engagement: Engagement,
    lead: User,
    confirmations: Iterable[tuple[Membership, User, dict[str, Any]]] = (),
    *,
    message: str = MESSAGE,
    audiences: Iterable[str] = ("cjb", "victims"),
    due_in_days: int = 14,
) -> DisseminationRequest:
    """`lead` (a member of the owning organisation) asks every body `engagement` (open or
    closed) is addressed to to communicate it locally; then each `(membership, user, answer)`
    answers for the body `membership` acts for. `answer` holds `dissemination_confirm`'s
    fields; by default "done" at a board meeting today. For example:

        dissemination_demo(engagement, moj_lead, confirmations=[
            (gwent_membership, gwent_staff, {}),
            (kent_membership, kent_commissioner, {"outcome": "could_not",
                                                  "reason": "Our board meets next quarter."}),
        ])
    """
    request = services.dissemination_request_create(
        engagement=engagement,
        by=lead,
        message=message,
        message_label="green",
        audiences=list(audiences),
        due_on=timezone.localdate() + datetime.timedelta(days=due_in_days),
    )
    for membership, user, answer in confirmations:
        fields: dict[str, Any] = {
            "outcome": "done",
            "channel": "meeting",
            "to_whom": "Members of the local criminal justice board",
            "audiences_reached": ["cjb"],
            "done_on": timezone.localdate(),
            **answer,
        }
        services.dissemination_confirm(
            dissemination=request, membership=membership, by=user, **fields
        )
    return request
