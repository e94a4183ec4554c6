"""What an engagement tells people, through the one notification path (engage.notifications):
an event recorded in the change's transaction, then a task that asks the providers below who
to tell, when it runs, and delivers one notification and one email each, at most once.

- `engagement_opened`: everyone the engagement reached (`audience.audience_members`, one
  set-based query), when the APCC opens it or it opens on its date. TLP:RED reaches its named
  recipients only. A change notice or a priorities update records instead, at the same
  moment, the event of its own kind (`OPENING_EVENT`: `change_notice`, `priorities_update`),
  which asks the bodies it is addressed to to acknowledge it; the acknowledgements app
  registers who it tells. One event per opening, so nobody gets two emails for it.
- `routing_awaiting_apcc`: the APCC secretariat, when the lead sends an engagement for routing,
  while it still waits for them.
- `engagement_routed`: the APCC adds a body to an open engagement's audience
  (`audience_body_add`): the members of the bodies added (their ids in the event's context)
  who read it now and were not already reached through a body in its audience before. The
  APCC amending the route when it confirms is told by the opening (`engagement_opened`), or by
  nothing until a scheduled one opens: nobody is told twice.
- `engagement_returned`: the policy's leads, when the APCC returns it with advice, while it is
  still returned.
- `wider_route_requested`: the APCC secretariat, while the lead's request to engage all
  policing bodies is pending; `wider_route_decided`: the policy's leads and the lead who asked,
  while still members of the owning organisation.

Emails and notifications name the owning organisation and link to the engagement; its title
only when it is TLP:CLEAR or TLP:GREEN, never its content (nor the APCC's advice, the request
or the decision). Each provider is one query when evaluated, whatever the number of people.
"""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.urls import reverse

from engage.accounts.models import User
from engage.accounts.selectors import apcc_secretariat, members
from engage.notifications.models import Event, EventKind
from engage.notifications.services import event_record, shareable_title

from ..audience import audience_members, audience_members_of_bodies, policy_leads_reading
from ..models import AudienceBody, Decision, Engagement, Kind, Status, WiderRouteRequest

# The event an opening records, by the engagement's kind; `ENGAGEMENT_OPENED` for any other.
# The bodies a change notice or a priorities update is addressed to are asked to acknowledge
# it: its own kind says so, and engage.acknowledgements registers who it tells.
OPENING_EVENT = {
    Kind.CHANGE_NOTICE: EventKind.CHANGE_NOTICE,
    Kind.PRIORITIES: EventKind.PRIORITIES_UPDATE,
}


def _record(
    kind: str,
    engagement: Engagement,
    by: User | None,
    *,
    link: str = "",
    context: dict | None = None,
) -> Event:
    return event_record(
        kind,
        subject_id=engagement.public_id,
        link=link or reverse("engagements:detail", args=[engagement.public_id]),
        title=shareable_title(engagement.title, engagement.label),
        context={"owner": str(engagement.owner), **(context or {})},
        actor=by,
    )


def notify_engagement_opened(engagement: Engagement, by: User | None = None) -> Event:
    """Record the opening, in the caller's transaction: with the database task backend its
    delivery runs only if the opening commits. Its kind is the engagement's
    (`OPENING_EVENT`)."""
    kind = OPENING_EVENT.get(engagement.kind, EventKind.ENGAGEMENT_OPENED)  # type: ignore[call-overload]
    return _record(kind, engagement, by)


def notify_routing_awaiting_apcc(engagement: Engagement, by: User | None = None) -> Event:
    """Record that the engagement waits for the APCC to route it."""
    return _record(EventKind.ROUTING_AWAITING_APCC, engagement, by)


def notify_engagement_routed(
    engagement: Engagement, bodies: Iterable[int], by: User | None = None
) -> Event:
    """Record that the open engagement now reaches the policing bodies `bodies` (ids: they
    carry no label), in the caller's transaction."""
    return _record(EventKind.ENGAGEMENT_ROUTED, engagement, by, context={"bodies": sorted(bodies)})


def notify_engagement_returned(engagement: Engagement, by: User) -> Event:
    """Record that the APCC returned the engagement to the lead (never its advice)."""
    return _record(EventKind.ENGAGEMENT_RETURNED, engagement, by)


def notify_wider_route_requested(wider: WiderRouteRequest, by: User) -> Event:
    """Record the lead's request to engage all policing bodies (never its text). The APCC
    decides it on its own page."""
    engagement = wider.engagement
    return _record(
        EventKind.WIDER_ROUTE_REQUESTED,
        engagement,
        by,
        link=reverse("engagements:wider_decide", args=[engagement.public_id]),
        context={"request": wider.pk},
    )


def notify_wider_route_decided(wider: WiderRouteRequest, by: User) -> Event:
    """Record the APCC's decision on the request (never the decision's advice)."""
    return _record(
        EventKind.WIDER_ROUTE_DECIDED, wider.engagement, by, context={"request": wider.pk}
    )


def _engagement_of(event: Event) -> Engagement | None:
    return (
        Engagement.objects.select_related("policy", "owner")
        .filter(public_id=event.subject_id)
        .first()
    )


def engagement_opened_recipients(event: Event) -> QuerySet[User]:
    """Everyone the engagement reaches now (none once withdrawn or screened out). Nobody for a
    change notice or a priorities update: its opening event is of its own kind, so an
    `engagement_opened` event about one (recorded before that was so) tells nobody twice."""
    engagement = _engagement_of(event)
    if engagement is None or engagement.kind in OPENING_EVENT:
        return User.objects.none()
    return audience_members(engagement)


def routing_awaiting_apcc_recipients(event: Event) -> QuerySet[User]:
    """The APCC secretariat, while the engagement still waits for them."""
    engagement = _engagement_of(event)
    if engagement is None or engagement.status != Status.AWAITING_APCC:
        return User.objects.none()
    return apcc_secretariat()


def engagement_routed_recipients(event: Event) -> QuerySet[User]:
    """The members of the bodies added who read the engagement now, but not those already
    reached through a body in its audience before these were added (a person of two bodies
    was told when the first reached them)."""
    engagement = _engagement_of(event)
    if engagement is None:
        return User.objects.none()
    added = event.context.get("bodies", [])
    before = (
        AudienceBody.objects.filter(engagement_id=engagement.pk, added_at__lt=event.created_at)
        .exclude(body_id__in=added)
        .values("body_id")
    )
    already = audience_members_of_bodies(engagement, before)
    return audience_members_of_bodies(engagement, added).exclude(pk__in=already.values("pk"))


def engagement_returned_recipients(event: Event) -> QuerySet[User]:
    """The policy's leads still in the owning organisation, while it is still returned (not
    once the lead has sent it again)."""
    engagement = _engagement_of(event)
    if engagement is None or not engagement.is_returned:
        return User.objects.none()
    return policy_leads_reading(engagement)


def _wider_request_of(event: Event, engagement: Engagement) -> WiderRouteRequest | None:
    return WiderRouteRequest.objects.filter(
        pk=event.context.get("request"), engagement_id=engagement.pk
    ).first()


def wider_route_requested_recipients(event: Event) -> QuerySet[User]:
    """The APCC secretariat, while the request waits for them (and its policy may still be
    engaged on)."""
    engagement = _engagement_of(event)
    if engagement is None or engagement.policy.is_screened_out:
        return User.objects.none()
    wider = _wider_request_of(event, engagement)
    if wider is None or wider.decision != Decision.PENDING:
        return User.objects.none()
    return apcc_secretariat()


def wider_route_decided_recipients(event: Event) -> QuerySet[User]:
    """The policy's leads and the lead who asked, while members of the owning organisation
    (who read the engagement under every label)."""
    engagement = _engagement_of(event)
    if engagement is None:
        return User.objects.none()
    wider = _wider_request_of(event, engagement)
    if wider is None or wider.decision == Decision.PENDING:
        return User.objects.none()
    asker = User.objects.filter(
        is_active=True,
        pk=wider.requested_by_id,
        pk__in=members(engagement.owner_id).values("user_id"),
    )
    return (policy_leads_reading(engagement) | asker).order_by("pk")
