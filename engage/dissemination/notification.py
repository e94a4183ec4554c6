"""What a dissemination request tells people, through the one notification path
(engage.notifications, decision 17).

- `dissemination_requested`: the members of the bodies asked (the request's confirmation rows
  name them) who read the engagement now: its audience (fixed at opening, none once its policy
  is screened out, the named people only under TLP:RED) within those bodies. One query.

The email names the owning organisation and links to the request; the engagement's title only
when it is TLP:CLEAR or TLP:GREEN (`shareable_title`), never the message.
"""

from django.db.models import QuerySet
from django.urls import reverse

from engage.accounts.models import User
from engage.engagements.audience import audience_members_of_bodies
from engage.notifications.models import Event, EventKind
from engage.notifications.services import event_record, shareable_title

from .models import DisseminationConfirmation, DisseminationRequest


def notify_dissemination_requested(request: DisseminationRequest, by: User) -> Event:
    """Record the request, in the caller's transaction."""
    engagement = request.engagement
    return event_record(
        EventKind.DISSEMINATION_REQUESTED,
        subject_id=request.public_id,
        link=reverse("dissemination:detail", args=[request.public_id]),
        title=shareable_title(engagement.title, engagement.label),
        context={"owner": str(engagement.owner), "due_on": request.due_on.isoformat()},
        actor=by,
    )


def dissemination_requested_recipients(event: Event) -> QuerySet[User]:
    """The members of the bodies asked who read the engagement now."""
    request = (
        DisseminationRequest.objects.select_related("engagement__policy")
        .filter(public_id=event.subject_id)
        .first()
    )
    if request is None:
        return User.objects.none()
    asked = DisseminationConfirmation.objects.filter(request_id=request.pk).values("body_id")
    return audience_members_of_bodies(request.engagement, asked)
