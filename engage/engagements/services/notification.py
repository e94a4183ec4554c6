"""What an engagement tells people, through the one notification path (engage.notifications):
an event recorded in the change's transaction, then a task that asks the providers below who
to tell, when it runs, and delivers one notification and one email each, at most once.

- `engagement_opened`: everyone the engagement reached (`audience.audience_members`, one
  set-based query), when the APCC opens it or it opens on its date. TLP:RED reaches its named
  recipients only.
- `routing_awaiting_apcc`: the APCC secretariat, when the lead sends an engagement for routing,
  while it still waits for them.

Emails and notifications name the owning organisation and link to the engagement; its title
only when it is TLP:CLEAR or TLP:GREEN, never its content.
"""

from django.db.models import QuerySet
from django.urls import reverse

from engage.accounts.models import User
from engage.accounts.selectors import apcc_secretariat
from engage.notifications.models import Event, EventKind
from engage.notifications.services import event_record, shareable_title

from ..audience import audience_members
from ..models import Engagement, Status


def _record(kind: str, engagement: Engagement, by: User | None) -> Event:
    return event_record(
        kind,
        subject_id=engagement.public_id,
        link=reverse("engagements:detail", args=[engagement.public_id]),
        title=shareable_title(engagement.title, engagement.label),
        context={"owner": str(engagement.owner)},
        actor=by,
    )


def notify_engagement_opened(engagement: Engagement, by: User | None = None) -> Event:
    """Record the opening, in the caller's transaction: with the database task backend its
    delivery runs only if the opening commits."""
    return _record(EventKind.ENGAGEMENT_OPENED, engagement, by)


def notify_routing_awaiting_apcc(engagement: Engagement, by: User | None = None) -> Event:
    """Record that the engagement waits for the APCC to route it."""
    return _record(EventKind.ROUTING_AWAITING_APCC, engagement, by)


def _engagement_of(event: Event) -> Engagement | None:
    return (
        Engagement.objects.select_related("policy", "owner")
        .filter(public_id=event.subject_id)
        .first()
    )


def engagement_opened_recipients(event: Event) -> QuerySet[User]:
    """Everyone the engagement reaches now (none once withdrawn or screened out)."""
    engagement = _engagement_of(event)
    return audience_members(engagement) if engagement else User.objects.none()


def routing_awaiting_apcc_recipients(event: Event) -> QuerySet[User]:
    """The APCC secretariat, while the engagement still waits for them."""
    engagement = _engagement_of(event)
    if engagement is None or engagement.status != Status.AWAITING_APCC:
        return User.objects.none()
    return apcc_secretariat()
