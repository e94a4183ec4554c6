"""Reminding the bodies yet to respond that an engagement's response deadline is near: a
periodic task (engage/core/periodic.py, registered in `ResponsesConfig.ready`).

It works from the data, so it is restart-safe and catches up: every run finds each open
engagement asking for a response whose deadline is within 7 days (and more than 2), or within
2 days (and not passed), and records one `deadline_7_days` or `deadline_2_days` event for it,
once per engagement and kind (a deadline cannot move once the engagement has opened; the
event keeps it, and its provider tells nobody if it has moved). A run missed for days still
finds the engagement in its window; one that opens with 2 days left gets only the 2-day
reminder; one every body addressed has responded to is not reminded of. Who is told (the
bodies that have not submitted by then) is decided when each event is delivered
(`notification.deadline_recipients`). Extensions of the deadline for one body are not
modelled: every body is reminded against the engagement's deadline.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from engage.core.services import lock
from engage.engagements.models import Engagement, Status
from engage.notifications.models import Event, EventKind

from .notification import bodies_yet_to_submit, notify_deadline

logger = logging.getLogger(__name__)

# Each reminder and its window: days left to the deadline, nearest and furthest, inclusive.
WINDOWS = (
    (EventKind.DEADLINE_7_DAYS, 3, 7),
    (EventKind.DEADLINE_2_DAYS, 0, 2),
)


def deadlines_due(kind: str, nearest: int, furthest: int, at: datetime) -> list[int]:
    """The open engagements asking for a response whose deadline is `nearest` to `furthest`
    days after the day of `at`, not yet reminded of with `kind`."""
    today = timezone.localdate(at)
    return list(
        Engagement.objects.filter(
            status=Status.OPEN,
            asks_response=True,
            response_deadline__gte=today + timedelta(days=nearest),
            response_deadline__lte=today + timedelta(days=furthest),
        )
        .exclude(public_id__in=Event.objects.filter(kind=kind).values("subject_id"))
        .order_by("response_deadline", "pk")
        .values_list("pk", flat=True)
    )


def deadline_remind(engagement_id: int, kind: str) -> bool:
    """Record the reminder `kind` for one engagement, unless it has been already (another
    run, another worker) or the engagement has closed since it was found."""
    with transaction.atomic():
        current = lock(Engagement(pk=engagement_id), "owner")
        if current.status != Status.OPEN or current.response_deadline is None:
            return False
        if Event.objects.filter(kind=kind, subject_id=current.public_id).exists():
            return False
        # Every body has responded: nobody to remind (a body added later is found next run).
        if not bodies_yet_to_submit(current).exists():
            return False
        notify_deadline(kind, current, current.response_deadline)
        return True


def deadline_reminders_record(at: datetime | None = None) -> int:
    """Record every deadline reminder due at `at` (now by default); return how many."""
    at = at or timezone.now()
    recorded = 0
    for kind, nearest, furthest in WINDOWS:
        for engagement_id in deadlines_due(kind, nearest, furthest, at):
            if deadline_remind(engagement_id, kind):
                recorded += 1
    if recorded:
        logger.info("Recorded %d response deadline reminder(s).", recorded)
    return recorded


@task
def deadline_reminders_due() -> int:
    """The periodic task: record the reminders due now."""
    return deadline_reminders_record()
