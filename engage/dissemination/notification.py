"""What a dissemination request tells people, through the one notification path
(engage.notifications, decision 17).

- `dissemination_requested`: the members of the bodies asked (the request's confirmation rows
  name them) who read the engagement now: its audience (fixed at opening, none once its policy
  is screened out, the named people only under TLP:RED) within those bodies. One query.
- `dissemination_due` (recorded by the sweep in `reminders`): the members of the bodies asked
  that have not yet said what they did, who read the engagement now. A body that answers
  between the sweep and the delivery is not reminded, and nobody is once the due date has
  passed or moved from the one reminded of (a late delivery would arrive after it). One query.
- `dissemination_confirmed` (a body's first answer, not a later correction): the requesting
  side, as the app lets it read the answer (`DisseminationConfirmation.visible_to`): the
  policy's own leads still in the owning organisation, and the person who made the request
  while they read the answer. A fixed number of queries.

Each email names the owning organisation (and the body, for an answer) and links to the
request; the engagement's title only when it is TLP:CLEAR or TLP:GREEN (`shareable_title`),
never the message or the answer.
"""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from engage.accounts.models import User
from engage.engagements.audience import audience_members_of_bodies, policy_leads_reading
from engage.notifications.models import Event, EventKind
from engage.notifications.services import event_record, shareable_title

from .models import DisseminationConfirmation, DisseminationRequest


def _record(kind: str, request: DisseminationRequest, by: User | None, **context: str) -> Event:
    engagement = request.engagement
    return event_record(
        kind,
        subject_id=request.public_id,
        link=reverse("dissemination:detail", args=[request.public_id]),
        title=shareable_title(engagement.title, engagement.label),
        context={"owner": str(engagement.owner), "due_on": request.due_on.isoformat(), **context},
        actor=by,
    )


def notify_dissemination_requested(request: DisseminationRequest, by: User) -> Event:
    """Record the request, in the caller's transaction."""
    return _record(EventKind.DISSEMINATION_REQUESTED, request, by)


def notify_dissemination_due(request: DisseminationRequest) -> Event:
    """Record that the request's due date is near, in the caller's transaction (the sweep's:
    nobody acts)."""
    return _record(EventKind.DISSEMINATION_DUE, request, None)


def notify_dissemination_confirmed(
    request: DisseminationRequest, confirmation: DisseminationConfirmation, by: User
) -> Event:
    """Record a body's first answer to `request`, in the caller's transaction. The event is
    the answer's (its public id), so that the provider knows which body answered."""
    engagement = request.engagement
    return event_record(
        EventKind.DISSEMINATION_CONFIRMED,
        subject_id=confirmation.public_id,
        link=reverse("dissemination:detail", args=[request.public_id]),
        title=shareable_title(engagement.title, engagement.label),
        context={"owner": str(engagement.owner), "body": str(confirmation.body)},
        actor=by,
    )


def _request_of(event: Event) -> DisseminationRequest | None:
    return (
        DisseminationRequest.objects.select_related("engagement__policy")
        .filter(public_id=event.subject_id)
        .first()
    )


def dissemination_requested_recipients(event: Event) -> QuerySet[User]:
    """The members of the bodies asked who read the engagement now."""
    request = _request_of(event)
    if request is None:
        return User.objects.none()
    asked = DisseminationConfirmation.objects.filter(request_id=request.pk).values("body_id")
    return audience_members_of_bodies(request.engagement, asked)


def dissemination_due_recipients(event: Event) -> QuerySet[User]:
    """The members of the bodies asked that have not answered yet, who read the engagement
    now, while the due date is the one reminded of and has not passed."""
    request = _request_of(event)
    if (
        request is None
        or request.due_on.isoformat() != event.context.get("due_on")
        or request.due_on < timezone.localdate()
    ):
        return User.objects.none()
    waiting = DisseminationConfirmation.objects.filter(request_id=request.pk, outcome="").values(
        "body_id"
    )
    return audience_members_of_bodies(request.engagement, waiting)


def dissemination_confirmed_recipients(event: Event) -> QuerySet[User]:
    """The policy's own leads still in the owning organisation (they read every answer on
    its engagements), and the person who made the request while they read this answer."""
    confirmation = (
        DisseminationConfirmation.objects.select_related(
            "request__created_by", "engagement__policy"
        )
        .filter(public_id=event.subject_id)
        .first()
    )
    if confirmation is None or not confirmation.is_confirmed:
        return User.objects.none()
    requester = confirmation.request.created_by
    reads = (
        DisseminationConfirmation.objects.visible_to(requester).filter(pk=confirmation.pk).exists()
    )
    leads = policy_leads_reading(confirmation.engagement)
    if reads:
        leads = leads | User.objects.filter(pk=requester.pk, is_active=True)
    return leads.order_by("pk")
