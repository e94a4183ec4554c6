"""What a clarification request tells people, through the one notification path
(engage.notifications, decision 17): an event recorded in the service's transaction, then a
task that asks the providers below who to tell, when it runs.

- `clarification_asked`: the policy's own leads who are still members of the owning
  organisation, and the APCC secretariat while it reads the engagement (DESIGN.md section 6:
  a request is read by the asking body, the owning organisation and the APCC).
- `clarification_answered` (the first answer, not a later change): the members of the asking
  body who read the engagement now (its audience, the named recipients only under TLP:RED).

Both name the owning organisation and link to the request; the engagement's title only when
it is TLP:CLEAR or TLP:GREEN (`shareable_title`), never the question or the answer.
Each provider is set-based: one query when evaluated, whatever the number of people.
"""

from django.db.models import QuerySet
from django.urls import reverse

from engage.accounts.models import User
from engage.engagements.audience import (
    audience_members_of_bodies,
    policy_leads_reading,
    secretariat_reading,
)
from engage.notifications.models import Event, EventKind
from engage.notifications.services import event_record, shareable_title

from .models import ClarificationRequest


def _record(kind: str, clarification: ClarificationRequest, by: User) -> Event:
    engagement = clarification.engagement
    return event_record(
        kind,
        subject_id=clarification.public_id,
        link=reverse("clarifications:detail", args=[clarification.public_id]),
        title=shareable_title(engagement.title, engagement.label),
        context={"owner": str(engagement.owner), "body": str(clarification.body)},
        actor=by,
    )


def notify_clarification_asked(clarification: ClarificationRequest, by: User) -> Event:
    """Record the question, in the caller's transaction."""
    return _record(EventKind.CLARIFICATION_ASKED, clarification, by)


def notify_clarification_answered(clarification: ClarificationRequest, by: User) -> Event:
    """Record the first answer, in the caller's transaction."""
    return _record(EventKind.CLARIFICATION_ANSWERED, clarification, by)


def _clarification_of(event: Event) -> ClarificationRequest | None:
    return (
        ClarificationRequest.objects.select_related("engagement__policy", "engagement__owner")
        .filter(public_id=event.subject_id)
        .first()
    )


def clarification_asked_recipients(event: Event) -> QuerySet[User]:
    """The policy's leads still in the owning organisation (they read every label of it) and
    the APCC secretariat while it reads the engagement."""
    clarification = _clarification_of(event)
    if clarification is None:
        return User.objects.none()
    engagement = clarification.engagement
    return (policy_leads_reading(engagement) | secretariat_reading(engagement)).order_by("pk")


def clarification_answered_recipients(event: Event) -> QuerySet[User]:
    """The asking body's members who read the engagement now: its audience (fixed at
    opening, none once screened out, the named ones only under TLP:RED) in that body."""
    clarification = _clarification_of(event)
    if clarification is None or not clarification.is_answered:
        return User.objects.none()
    return audience_members_of_bodies(clarification.engagement, [clarification.body_id])
