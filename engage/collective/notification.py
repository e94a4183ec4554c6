"""What a collective view tells people, through the one notification path
(engage.notifications, decision 17): an event recorded in the service's transaction, then a
task that asks the providers below who to tell, when it runs.

- `collective_ready` (sent to the group leads): the commissioners of the bodies that lead the
  routed groups whose sign-off waits (`rules.leads_group`: they sign for their group), among
  those who read the engagement now, while the view is still with the leads.
- `collective_sent_back` (a lead sent it back): the secretariat members who drafted or edited
  the view (its history) and still read the engagement, while it is still a draft.
- `collective_submitted`: the policy's leads still in the owning organisation, and the
  members of the bodies whose submitted responses it draws on who read the engagement now
  (its audience: `access.view_read` lets them read the submitted view).

Each names the owning organisation and links to the view; the engagement's title only when it
is TLP:CLEAR or TLP:GREEN (`shareable_title`), never the view's text or a lead's comments.
Each provider asks a fixed number of queries, whatever the number of groups or people.
"""

from django.db.models import Q, QuerySet
from django.urls import reverse

from engage.accounts.models import Role, User
from engage.accounts.selectors import members
from engage.engagements.audience import (
    audience_members_of_bodies,
    policy_leads_reading,
    secretariat_reading,
)
from engage.notifications.models import Event, EventKind
from engage.notifications.services import event_record, shareable_title

from . import selectors
from .models import CollectiveView, SignOffState, ViewStatus


def _record(kind: str, view: CollectiveView, by: User, **context: str) -> Event:
    engagement = view.engagement
    return event_record(
        kind,
        subject_id=view.public_id,
        link=reverse("collective:detail", args=[engagement.public_id]),
        title=shareable_title(engagement.title, engagement.label),
        context={"owner": str(engagement.owner), **context},
        actor=by,
    )


def notify_collective_ready(view: CollectiveView, by: User) -> Event:
    """Record that the view waits for the group leads' sign-off, in the caller's transaction."""
    return _record(EventKind.COLLECTIVE_READY, view, by)


def notify_collective_sent_back(view: CollectiveView, by: User, group: str) -> Event:
    """Record that the lead of `group` (a standing group's name) sent the view back."""
    return _record(EventKind.COLLECTIVE_SENT_BACK, view, by, group=group)


def notify_collective_submitted(view: CollectiveView, by: User) -> Event:
    """Record the view's submission to the policy lead, in the caller's transaction."""
    return _record(EventKind.COLLECTIVE_SUBMITTED, view, by)


def _view_of(event: Event) -> CollectiveView | None:
    return (
        CollectiveView.objects.select_related("engagement__policy", "engagement__owner")
        .filter(public_id=event.subject_id)
        .first()
    )


def collective_ready_recipients(event: Event) -> QuerySet[User]:
    """The commissioners of the bodies leading the groups still to sign, who read the
    engagement, while the view is with the leads."""
    view = _view_of(event)
    if view is None or view.status != ViewStatus.WITH_LEADS:
        return User.objects.none()
    waiting = view.sign_offs.exclude(state=SignOffState.SIGNED, revision=view.revision)
    bodies = selectors.lead_bodies(waiting.values_list("group_id", flat=True)).values()
    if not bodies:
        return User.objects.none()
    signers = Q()
    for body in bodies:
        commissioners = members(body.organisation_id, role=Role.COMMISSIONER)
        signers |= Q(pk__in=commissioners.values("user_id"))
    lead_body_ids = [body.pk for body in bodies]
    return audience_members_of_bodies(view.engagement, lead_body_ids).filter(signers)


def collective_sent_back_recipients(event: Event) -> QuerySet[User]:
    """The secretariat members who wrote the view (created, saved or sent it) and read the
    engagement now, while it is back in draft."""
    view = _view_of(event)
    if view is None or view.status != ViewStatus.DRAFT:
        return User.objects.none()
    writers = view.history.filter(history_user__isnull=False).values("history_user_id")
    return secretariat_reading(view.engagement).filter(pk__in=writers).order_by("pk")


def collective_submitted_recipients(event: Event) -> QuerySet[User]:
    """The policy's leads and the members of the source bodies who read the engagement."""
    view = _view_of(event)
    if view is None or not view.is_submitted:
        return User.objects.none()
    engagement = view.engagement
    sources = view.sources.values("response__body_id")
    contributors = audience_members_of_bodies(engagement, sources)
    return (policy_leads_reading(engagement) | contributors).order_by("pk")
