"""Opening scheduled engagements on their opening date: a periodic task (engage/core/periodic.py,
registered in `EngagementsConfig.ready`).

It works from the data, so it is restart-safe: every run opens every engagement the APCC
confirmed whose opening date has come, however many runs were missed. Each opens in its own
transaction, on its locked row, only if it is still scheduled (a compare-and-set on the
status): a second run, or two workers at once, open nothing twice, and the opening's emails
go at most once per person (`EmailDelivery`). A failure on one engagement leaves those opened
before it open and those after it for the next run.
"""

import logging
from datetime import datetime

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from engage.core.services import lock

from ..models import Engagement, Status
from .opening import open_locked

logger = logging.getLogger(__name__)


def engagements_due(at: datetime) -> list[int]:
    """The scheduled engagements whose opening date has come at `at`, oldest date first."""
    return list(
        Engagement.objects.filter(status=Status.SCHEDULED, opens_on__lte=timezone.localdate(at))
        .order_by("opens_on", "pk")
        .values_list("pk", flat=True)
    )


def engagement_open_scheduled(engagement_id: int, *, at: datetime) -> bool:
    """Open one scheduled engagement if it is still scheduled; False if someone (another run,
    the lead closing it, a screen) got there first. The opening is attributed to the person
    of the APCC who confirmed it."""
    with transaction.atomic():
        current = lock(Engagement(pk=engagement_id), "policy", "owner")
        if current.status != Status.SCHEDULED or current.policy.is_screened_out:
            return False
        current._change_reason = "Opened on its opening date"  # type: ignore[attr-defined]
        open_locked(current, at=at, by=current.confirmed_by)  # type: ignore[arg-type]
        return True


@task
def engagements_open_due() -> int:
    """Open every scheduled engagement whose opening date has come; return how many."""
    at = timezone.now()
    opened = 0
    for engagement_id in engagements_due(at):
        if engagement_open_scheduled(engagement_id, at=at):
            opened += 1
    if opened:
        logger.info("Opened %d scheduled engagement(s).", opened)
    return opened
