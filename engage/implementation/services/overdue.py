"""Telling the parties of a milestone gone overdue: a periodic task (engage/core/periodic.py,
registered in `ImplementationConfig.ready`) records one `milestone_overdue` event per
milestone and due date.

Overdue is worked out when read, never stored (models.py): past its due date and not done, in
UK time. The sweep works from the data, so it is restart-safe and catches up: every run
records the event for every milestone of an agreed role that went overdue within the last
`CATCH_UP` days and has none for that due date yet, however many runs were missed; older ones
(a service started after a long stop) are shown overdue on the pages, not told late. The due
date is part of the rule (`context["due_on"]`): a milestone whose date moved and passed again
is told again. Each milestone is recorded in its own transaction, on its locked row, after
checking again: a second run, or two at once, record nothing twice. A policy screened out
tells nobody.
"""

import datetime
import logging

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from engage.core.services import lock
from engage.notifications.models import Event, EventKind
from engage.policies.models import TriageOutcome

from ..models import AgreementState, Milestone, overdue_q
from ..notification import notify_milestone_overdue

logger = logging.getLogger(__name__)

# How far back a run looks for milestones gone overdue (runs missed are caught up within it).
CATCH_UP = datetime.timedelta(days=7)


def milestones_overdue(at: datetime.datetime) -> list[int]:
    """The milestones of agreed roles gone overdue within `CATCH_UP` of `at` (UK time), not
    yet told for their due date; the earliest first. Two queries."""
    today = timezone.localdate(at)
    candidates = (
        Milestone.objects.filter(overdue_q(today), due_on__gte=today - CATCH_UP)
        .filter(agreement__state=AgreementState.AGREED)
        .exclude(agreement__policy__triage_outcome=TriageOutcome.SCREENED_OUT)
        .order_by("due_on", "pk")
        .values_list("pk", "public_id", "due_on")
    )
    found = list(candidates)
    if not found:
        return []
    told = set(
        Event.objects.filter(
            kind=EventKind.MILESTONE_OVERDUE, subject_id__in=[public for _, public, _ in found]
        ).values_list("subject_id", "context__due_on")
    )
    return [pk for pk, public, due in found if (public, due.isoformat()) not in told]


def milestone_tell_overdue(milestone_id: int, *, at: datetime.datetime) -> bool:
    """Record the overdue event of one milestone, unless it is no longer overdue or another
    run got there first."""
    with transaction.atomic():
        current = lock(
            Milestone(pk=milestone_id), "agreement__policy__owner", "agreement__body__organisation"
        )
        if not current.is_overdue(timezone.localdate(at)):
            return False
        if Event.objects.filter(
            kind=EventKind.MILESTONE_OVERDUE,
            subject_id=current.public_id,
            context__due_on=current.due_on.isoformat(),
        ).exists():
            return False
        notify_milestone_overdue(current)
        return True


def milestones_tell_overdue(at: datetime.datetime | None = None) -> int:
    """Record an overdue event for every milestone gone overdue at `at` (now by default) and
    not yet told; return how many."""
    at = at or timezone.now()
    told = sum(milestone_tell_overdue(pk, at=at) for pk in milestones_overdue(at))
    if told:
        logger.info("Told the parties of %d overdue milestone(s).", told)
    return told


@task
def milestones_overdue_sweep() -> int:
    """The periodic task: tell the parties of every milestone gone overdue."""
    return milestones_tell_overdue()
