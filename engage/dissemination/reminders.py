"""Reminding the bodies of a dissemination request due soon: a periodic task
(engage/core/periodic.py, registered in `DisseminationConfig.ready`) records one
`dissemination_due` event per request, which tells the bodies that have not answered yet.

When: once the due date is two days away or less (`DUE_SOON`), and not past. On the due day
itself a body would have no time left to put a message in a bulletin or before a board; two
days ahead is also when a response deadline is told (`deadline_2_days`). A request already past
its due date is not reminded: its pages show it overdue.

It works from the data, so it is restart-safe and catches up: every run records the event for
every request inside the window that has none yet, however many runs were missed. A request's
due date never changes, so one event per request is the rule; its date is kept in the event
(`context["due_on"]`) all the same. Each request is recorded in its own transaction, on its
locked row, after checking again that it has no event: a second run, or two at once, record
nothing twice. A request every body has answered is not reminded.
"""

import datetime
import logging

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.tasks import task
from django.utils import timezone

from engage.core.services import lock
from engage.notifications.models import Event, EventKind
from engage.policies.models import TriageOutcome

from .models import DisseminationConfirmation, DisseminationRequest
from .notification import notify_dissemination_due

logger = logging.getLogger(__name__)

# How many days before the due date the bodies still to answer are reminded.
DUE_SOON = 2


def _reminded() -> Exists:
    return Exists(
        Event.objects.filter(kind=EventKind.DISSEMINATION_DUE, subject_id=OuterRef("public_id"))
    )


def disseminations_due(at: datetime.datetime) -> list[int]:
    """The requests due within `DUE_SOON` days of `at` (UK time), not past, that a body has
    not answered yet and nobody has been reminded of; soonest first. One query."""
    today = timezone.localdate(at)
    waiting = DisseminationConfirmation.objects.filter(request_id=OuterRef("pk"), outcome="")
    return list(
        DisseminationRequest.objects.filter(
            due_on__gte=today, due_on__lte=today + datetime.timedelta(days=DUE_SOON)
        )
        .exclude(engagement__policy__triage_outcome=TriageOutcome.SCREENED_OUT)
        .filter(Exists(waiting))
        .exclude(_reminded())
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)
    )


def dissemination_remind(request_id: int) -> bool:
    """Record the reminder of one request, unless another run got there first."""
    with transaction.atomic():
        current = lock(DisseminationRequest(pk=request_id), "engagement__owner")
        if DisseminationRequest.objects.filter(pk=current.pk).filter(_reminded()).exists():
            return False
        notify_dissemination_due(current)
        return True


def disseminations_remind_due(at: datetime.datetime | None = None) -> int:
    """Record a reminder for every request due soon at `at` (now by default); return how
    many."""
    at = at or timezone.now()
    reminded = sum(dissemination_remind(pk) for pk in disseminations_due(at))
    if reminded:
        logger.info("Reminded the bodies of %d dissemination request(s) due soon.", reminded)
    return reminded


@task
def disseminations_due_sweep() -> int:
    """The periodic task: remind the bodies of every request due soon."""
    return disseminations_remind_due()
