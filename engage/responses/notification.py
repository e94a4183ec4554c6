"""What a response, and a response deadline drawing near, tell people, through the one
notification path (engage.notifications, decision 17).

- `draft_ready` (a draft marked "ready for the commissioner"): the body's commissioner(s) and
  the members it has delegated to submit, among those who read the engagement now (its
  audience: none once its policy is screened out, the named people only under TLP:RED), and
  only while the draft is still marked ready. One query.
- `response_submitted` (each submission, a resubmission included): those who read submitted
  responses among the engagement's owners and the APCC (`audience.response_read`): the
  policy's leads still in the owning organisation and the APCC secretariat while it reads the
  engagement. The notifications app may gather these into a daily digest.
- `deadline_7_days`, `deadline_2_days` (recorded by the periodic task in `reminders`): the
  members, who read the engagement now, of the bodies in its audience that have not submitted
  a response yet: anyone of the body may prepare it (`edit_response`), the commissioner or a
  delegate submits it; on an APACE route, the chief executives. None once it has closed, its
  deadline has passed or moved.

The email names the engagement's owner and links to the response (or, for a deadline, the
engagement); the engagement's title only when it is TLP:CLEAR or TLP:GREEN (`shareable_title`),
never the draft or the response.
"""

from datetime import date

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from engage.accounts.models import Role, User
from engage.accounts.selectors import members
from engage.directory.models import PolicingBody
from engage.engagements.audience import (
    audience_bodies,
    audience_members_of_bodies,
    policy_leads_reading,
    secretariat_reading,
)
from engage.engagements.models import Engagement, Status
from engage.notifications.models import Event, EventKind
from engage.notifications.services import event_record, shareable_title

from .models import Response, SubmissionDelegation


def _record(kind: str, response: Response, by: User, **context: str) -> Event:
    engagement = response.engagement
    return event_record(
        kind,
        subject_id=response.public_id,
        link=reverse("responses:detail", args=[response.public_id]),
        title=shareable_title(engagement.title, engagement.label),
        context={"owner": str(engagement.owner), "body": str(response.body), **context},
        actor=by,
    )


def notify_draft_ready(response: Response, by: User) -> Event:
    """Record that the draft is ready for the commissioner, in the caller's transaction."""
    return _record(EventKind.DRAFT_READY, response, by)


def notify_response_submitted(response: Response, by: User) -> Event:
    """Record a submission (one event each, a resubmission too), in the caller's
    transaction. A daily summary makes one line of an engagement's submissions, linking to
    its responses (`group_link`)."""
    group_link = reverse("responses:engagement_responses", args=[response.engagement.public_id])
    return _record(EventKind.RESPONSE_SUBMITTED, response, by, group_link=group_link)


def notify_deadline(kind: str, engagement: Engagement, deadline: date) -> Event:
    """Record that the engagement's response `deadline` is near (`kind`: 7 or 2 days). The
    deadline is kept, so a provider can tell it has not moved since."""
    return event_record(
        kind,
        subject_id=engagement.public_id,
        link=reverse("engagements:detail", args=[engagement.public_id]),
        title=shareable_title(engagement.title, engagement.label),
        context={"owner": str(engagement.owner), "deadline": deadline.isoformat()},
    )


def _response_of(event: Event) -> Response | None:
    return (
        Response.objects.select_related("engagement__policy", "body")
        .filter(public_id=event.subject_id)
        .first()
    )


def draft_ready_recipients(event: Event) -> QuerySet[User]:
    """The body's commissioners and delegates who read the engagement, while it is ready."""
    response = _response_of(event)
    if response is None or not response.is_ready:
        return User.objects.none()
    delegates = SubmissionDelegation.objects.active().filter(body_id=response.body_id)
    may_submit = Q(
        pk__in=members(response.body.organisation_id, role=Role.COMMISSIONER).values("user_id")
    ) | Q(pk__in=delegates.values("delegate_id"))
    # Within the body's members who read the engagement now.
    return audience_members_of_bodies(response.engagement, [response.body_id]).filter(may_submit)


def response_submitted_recipients(event: Event) -> QuerySet[User]:
    """The policy's leads and the APCC secretariat, those of them who read the submitted
    response now (`audience.response_read`: the owning organisation and the secretariat read
    every submitted response to an engagement they read)."""
    response = _response_of(event)
    if response is None or not response.is_submitted:
        return User.objects.none()
    engagement = response.engagement
    return (policy_leads_reading(engagement) | secretariat_reading(engagement)).order_by("pk")


def deadline_recipients(event: Event) -> QuerySet[User]:
    """The members who read the engagement of the audience bodies yet to submit, while it is
    open and its deadline is the one reminded of and has not passed."""
    engagement = (
        Engagement.objects.select_related("policy").filter(public_id=event.subject_id).first()
    )
    if (
        engagement is None
        or engagement.status != Status.OPEN
        or not engagement.asks_response
        or engagement.response_deadline is None
        or engagement.response_deadline.isoformat() != event.context.get("deadline")
        or engagement.response_deadline < timezone.localdate()
    ):
        return User.objects.none()
    return audience_members_of_bodies(engagement, bodies_yet_to_submit(engagement).values("pk"))


def bodies_yet_to_submit(engagement: Engagement) -> QuerySet[PolicingBody]:
    """The bodies the engagement is addressed to that have submitted no response to it."""
    submitted = Response.objects.submitted().filter(engagement_id=engagement.pk)
    return audience_bodies(engagement).exclude(pk__in=submitted.values("body_id"))
