"""What a draft response tells people, through the one notification path
(engage.notifications, decision 17).

- `draft_ready` (a draft marked "ready for the commissioner"): the body's commissioner(s) and
  the members it has delegated to submit, among those who read the engagement now (its
  audience: none once its policy is screened out, the named people only under TLP:RED), and
  only while the draft is still marked ready. One query.

The email names the engagement's owner and links to the response; the engagement's title only
when it is TLP:CLEAR or TLP:GREEN (`shareable_title`), never the draft.
"""

from django.db.models import Q, QuerySet
from django.urls import reverse

from engage.accounts.models import Role, User
from engage.accounts.selectors import members
from engage.engagements.audience import audience_members_of_bodies
from engage.notifications.models import Event, EventKind
from engage.notifications.services import event_record, shareable_title

from .models import Response, SubmissionDelegation


def notify_draft_ready(response: Response, by: User) -> Event:
    """Record that the draft is ready for the commissioner, in the caller's transaction."""
    engagement = response.engagement
    return event_record(
        EventKind.DRAFT_READY,
        subject_id=response.public_id,
        link=reverse("responses:detail", args=[response.public_id]),
        title=shareable_title(engagement.title, engagement.label),
        context={"owner": str(engagement.owner), "body": str(response.body)},
        actor=by,
    )


def draft_ready_recipients(event: Event) -> QuerySet[User]:
    """The body's commissioners and delegates who read the engagement, while it is ready."""
    response = (
        Response.objects.select_related("engagement__policy", "body")
        .filter(public_id=event.subject_id)
        .first()
    )
    if response is None or not response.is_ready:
        return User.objects.none()
    delegates = SubmissionDelegation.objects.active().filter(body_id=response.body_id)
    may_submit = Q(
        pk__in=members(response.body.organisation_id, role=Role.COMMISSIONER).values("user_id")
    ) | Q(pk__in=delegates.values("delegate_id"))
    # Within the body's members who read the engagement now.
    return audience_members_of_bodies(response.engagement, [response.body_id]).filter(may_submit)
