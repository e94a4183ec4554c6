"""What a change notice or a priorities update asks of the bodies it is addressed to, through
the one notification path (engage.notifications, decision 17).

The moment is its opening, which the engagements app owns (and which cannot call up into this
app): a periodic task (`acknowledgements_asked`, registered in `AcknowledgementsConfig.ready`)
finds, from the data, every open change notice or priorities update opened within
`CATCH_UP` that has no event of its kind yet and records one, on the engagement's locked row.
So it is restart-safe and idempotent: one event per engagement, whatever the number of runs or
workers, and runs missed within `CATCH_UP` are made up.

- `change_notice` / `priorities_update`: the members of the bodies it is addressed to
  (`audience.audience_bodies`) that have not acknowledged it when the event is delivered, who
  read it now (`audience.audience_members_of_bodies`: none once screened out, the named
  people only under TLP:RED); nobody once it is closed (it can no longer be acknowledged).

The email names the owning organisation and links to the engagement (whose page offers to
acknowledge); its title only when it is TLP:CLEAR or TLP:GREEN (`shareable_title`), never its
rationale or content. The provider asks two queries, whatever the number of bodies.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from engage.accounts.models import User
from engage.core.services import lock
from engage.engagements.audience import audience_bodies, audience_members_of_bodies
from engage.engagements.models import Engagement, Kind, Status
from engage.notifications.models import Event, EventKind
from engage.notifications.services import event_record, shareable_title

from .models import Acknowledgement

logger = logging.getLogger(__name__)

# The event of each kind of engagement bodies acknowledge.
EVENT_OF = {
    Kind.CHANGE_NOTICE: EventKind.CHANGE_NOTICE,
    Kind.PRIORITIES: EventKind.PRIORITIES_UPDATE,
}
# How far back a run looks for openings not yet told: runs missed for this long are made up;
# an engagement opened before that (before this event existed, say) is not announced late.
CATCH_UP = timedelta(days=7)


def acknowledgements_due(at: datetime) -> list[int]:
    """The open change notices and priorities updates opened within `CATCH_UP` before `at`
    with no event of their kind yet, oldest first."""
    told = Event.objects.filter(kind__in=EVENT_OF.values()).values("subject_id")
    return list(
        Engagement.objects.filter(
            kind__in=EVENT_OF,
            status=Status.OPEN,
            opened_at__gt=at - CATCH_UP,
            opened_at__lte=at,
        )
        .exclude(public_id__in=told)
        .order_by("opened_at", "pk")
        .values_list("pk", flat=True)
    )


def notify_acknowledgement_asked(engagement_id: int) -> Event | None:
    """Record the engagement's event if it is still open and has none yet; None otherwise
    (another run, or two workers at once, got there first)."""
    with transaction.atomic():
        current = lock(Engagement(pk=engagement_id), "policy", "owner")
        kind = EVENT_OF.get(current.kind)  # type: ignore[call-overload]
        if kind is None or current.status != Status.OPEN:
            return None
        if Event.objects.filter(kind=kind, subject_id=current.public_id).exists():
            return None
        return event_record(
            kind,
            subject_id=current.public_id,
            link=reverse("engagements:detail", args=[current.public_id]),
            title=shareable_title(current.title, current.label),
            context={"owner": str(current.owner)},
        )


def acknowledgements_ask(at: datetime | None = None) -> int:
    """Record the event of every change notice and priorities update due at `at` (now by
    default); return how many were recorded."""
    at = at or timezone.now()
    recorded = sum(notify_acknowledgement_asked(pk) is not None for pk in acknowledgements_due(at))
    if recorded:
        logger.info("Asked for %d acknowledgement(s).", recorded)
    return recorded


@task
def acknowledgements_asked() -> int:
    """The periodic task: `acknowledgements_ask` now."""
    return acknowledgements_ask()


def acknowledgement_asked_recipients(event: Event) -> QuerySet[User]:
    """The members of the addressed bodies that have not acknowledged yet, who read it, while
    it is open."""
    engagement = (
        Engagement.objects.select_related("policy").filter(public_id=event.subject_id).first()
    )
    if (
        engagement is None
        or EVENT_OF.get(engagement.kind) != event.kind  # type: ignore[call-overload]
        or engagement.status != Status.OPEN
    ):
        return User.objects.none()
    made = Acknowledgement.objects.filter(engagement_id=engagement.pk).values("body_id")
    waiting = audience_bodies(engagement).exclude(pk__in=made).values("pk")
    return audience_members_of_bodies(engagement, waiting)
