"""What a release request tells people, through the one notification path
(engage.notifications, decision 17): an event recorded in the service's transaction, then a
task that asks the providers below who to tell, when it runs.

- `release_asked`: those who may decide it (`rules.decide_release`, `is_owner_lead`): the
  policy leads of the owning organisation (under TLP:RED only the policy's own leads, who
  read it), while the request waits for a decision and the policy is not screened out.
- `release_answered`: the asking body's members who read the engagement now (its audience:
  a grant widens the label the whole body is shown, so the body is told, not only the asker),
  and none if the document it is about has since been made TLP:RED.

Both name the asking body and the owning organisation and link to the request; the
engagement's title only when it is TLP:CLEAR or TLP:GREEN (`shareable_title`), never the
request's reasons, the decision's reason, the scope or the document's title.
Each provider is set-based: one query when evaluated, whatever the number of people.
"""

from django.db.models import QuerySet
from django.urls import reverse

from engage.accounts.models import Role, User
from engage.accounts.selectors import members
from engage.core.labels import Label
from engage.engagements.audience import audience_members_of_bodies, policy_leads_reading
from engage.notifications.models import Event, EventKind
from engage.notifications.services import event_record, shareable_title

from .models import ReleaseRequest


def _record(kind: str, release_request: ReleaseRequest, by: User) -> Event:
    engagement = release_request.engagement
    return event_record(
        kind,
        subject_id=release_request.public_id,
        link=reverse("releases:detail", args=[release_request.public_id]),
        title=shareable_title(engagement.title, engagement.label),
        context={"owner": str(engagement.owner), "body": str(release_request.body)},
        actor=by,
    )


def notify_release_asked(release_request: ReleaseRequest, by: User) -> Event:
    """Record the request, in the caller's transaction."""
    return _record(EventKind.RELEASE_ASKED, release_request, by)


def notify_release_answered(release_request: ReleaseRequest, by: User) -> Event:
    """Record the decision, in the caller's transaction."""
    return _record(EventKind.RELEASE_ANSWERED, release_request, by)


def _request_of(event: Event) -> ReleaseRequest | None:
    return (
        ReleaseRequest.objects.select_related("engagement__policy", "engagement__owner", "document")
        .filter(public_id=event.subject_id)
        .first()
    )


def release_asked_recipients(event: Event) -> QuerySet[User]:
    """The owning organisation's policy leads, while the request waits."""
    release_request = _request_of(event)
    if release_request is None or not release_request.is_pending:
        return User.objects.none()
    engagement = release_request.engagement
    if engagement.policy.is_screened_out:
        return User.objects.none()
    if engagement.label == Label.RED:
        return policy_leads_reading(engagement)
    leads = members(engagement.owner_id, role=Role.POLICY_LEAD)
    return User.objects.filter(is_active=True, pk__in=leads.values("user_id")).order_by("pk")


def release_answered_recipients(event: Event) -> QuerySet[User]:
    """The asking body's members who read the engagement (and the document) now."""
    release_request = _request_of(event)
    if release_request is None or release_request.is_pending:
        return User.objects.none()
    document = release_request.document
    if document is not None and document.label == Label.RED:
        return User.objects.none()
    return audience_members_of_bodies(release_request.engagement, [release_request.body_id])
