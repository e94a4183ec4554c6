"""Routing through the APCC: the lead sends a draft (or first consults the APCC on engaging
all policing bodies), and the secretariat confirms, opens or returns it."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from engage.accounts.models import User
from engage.core.labels import Label
from engage.core.services import lock, refresh, require_permission, required_text, save
from engage.directory.models import StandingGroup, StandingGroupMembership

from ..audience import route_reaches
from ..models import (
    Decision,
    Engagement,
    Kind,
    Route,
    RouteAmendment,
    Status,
    WiderRouteRequest,
)
from .common import _check_kind_fits_stage, _check_status
from .notification import (
    notify_engagement_returned,
    notify_routing_awaiting_apcc,
    notify_wider_route_decided,
    notify_wider_route_requested,
)
from .opening import open_locked
from .refusals import _check_policy, check_not_screened_out, records_refusals
from .timing import opening_date_check, opening_day, short_notice_message, timing_of


def engagement_route_check(engagement: Engagement) -> None:
    """Refuse unless the engagement is a draft: `engagement_route` checks it, and so does the
    page that offers to send it."""
    _check_status(
        engagement,
        Status.DRAFT,
        message=_("Only a draft can be sent for routing. This one is %(status)s."),
    )


def _check_groups_have_bodies(groups: list[StandingGroup]) -> None:
    """Refuse a standing group with no member bodies: routing to it would reach nobody."""
    empty = StandingGroup.objects.filter(pk__in=[g.pk for g in groups]).exclude(
        pk__in=StandingGroupMembership.objects.values("group_id")
    )
    if names := sorted(group.name for group in empty):
        raise ValidationError(
            {
                "groups": _(
                    "%(groups)s has no member bodies, so it would reach nobody. Choose a group "
                    "with members"
                )
                % {"groups": ", ".join(names)}
            }
        )


def _check_named_reached(
    current: Engagement, route: str, groups: list[StandingGroup], also_apace: bool
) -> None:
    if current.label != Label.RED:
        return
    named = list(current.recipients.all())
    if not named:
        raise ValidationError(_("Name the recipients of this TLP:RED engagement first."))
    reached = route_reaches(route, groups, named, also_apace=also_apace)
    if outside := [person.email for person in named if person.pk not in reached]:
        raise ValidationError(
            {
                "route": _(
                    "Everyone named on a TLP:RED engagement must be in its audience or the "
                    "APCC. Not reached by this route: %(emails)s"
                )
                % {"emails": ", ".join(sorted(outside))}
            }
        )


@records_refusals
def engagement_route(
    *,
    engagement: Engagement,
    by: User,
    route: str,
    groups: Iterable[StandingGroup] = (),
    also_apace: bool = False,
) -> Engagement:
    """The lead sends a draft for routing: to standing groups (with APACE alongside them if
    `also_apace`), to all policing bodies (once the APCC has agreed), or to APACE. It waits for
    the APCC to confirm. A group with no member bodies is refused."""
    current = lock(engagement, "policy", "owner")
    require_permission("engagements.manage_engagement", by, current)
    engagement_route_check(current)
    _check_policy(current.policy, by, "route an engagement")
    _check_kind_fits_stage(current.kind, current.policy)
    groups = list(groups)
    if route not in Route.values:
        raise ValidationError({"route": _("Choose who the engagement goes to")})
    if route == Route.STANDING_GROUPS and not groups:
        raise ValidationError({"groups": _("Choose at least one standing group")})
    if route != Route.STANDING_GROUPS:
        groups = []
        also_apace = False
    _check_groups_have_bodies(groups)
    if (
        route == Route.ALL_BODIES
        and not current.wider_route_requests.filter(decision=Decision.AGREED).exists()
    ):
        raise ValidationError(
            {
                "route": _(
                    "You can only engage all policing bodies once the APCC has been consulted "
                    "and agreed. Ask the APCC first"
                )
            }
        )
    if current.kind == Kind.PRIORITIES and not current.national_priorities.exists():
        raise ValidationError(
            _("Add at least one national priority before sending the priorities update.")
        )
    if current.response_deadline and current.response_deadline < timezone.localdate():
        raise ValidationError(
            _("The response deadline has passed. Change it before sending the engagement.")
        )
    try:
        opening_date_check(current.opens_on)
    except ValidationError:
        raise ValidationError(
            _("The opening date has passed. Change it before sending the engagement.")
        ) from None
    _check_named_reached(current, route, groups, also_apace)
    current.route = route
    current.also_apace = also_apace
    current.status = Status.AWAITING_APCC
    current.routed_at = timezone.now()
    current.routed_by = by
    save(current, by, ["route", "also_apace", "status", "routed_at", "routed_by"])
    current.routed_groups.set(groups)
    notify_routing_awaiting_apcc(current, by)
    return refresh(engagement, current)


def wider_route_request_check(engagement: Engagement) -> None:
    """Refuse unless the engagement is a draft: `wider_route_request` checks it, and so does
    the page that offers to consult the APCC."""
    _check_status(
        engagement,
        Status.DRAFT,
        message=_("You can only consult the APCC on a draft. This engagement is %(status)s."),
    )


@records_refusals
def wider_route_request(
    *, engagement: Engagement, by: User, request: str, documents: Iterable[Any] = ()
) -> WiderRouteRequest:
    """The lead consults the APCC on engaging all policing bodies, saying why. The APCC reads
    the draft's heading and the request, and the `documents` of the draft the lead attaches
    (never a TLP:RED one): nothing else of the draft (DESIGN.md section 6, ADR 0012)."""
    current = lock(engagement, "policy", "owner")
    require_permission("engagements.manage_engagement", by, current)
    wider_route_request_check(current)
    _check_policy(current.policy, by, "ask to engage all policing bodies")
    text = required_text(
        request, "request", _("Explain why you want to engage all policing bodies")
    )
    existing = set(current.wider_route_requests.values_list("decision", flat=True))
    if Decision.PENDING in existing:
        raise ValidationError(_("The APCC has not answered your last request yet."))
    if Decision.AGREED in existing:
        raise ValidationError(_("The APCC has already agreed to engaging all policing bodies."))
    documents = list(documents)
    if any(document.engagement_id != current.pk for document in documents):
        raise ValidationError({"documents": _("Choose documents of this engagement")})
    if any(document.label == Label.RED for document in documents):
        raise ValidationError(
            {
                "documents": _(
                    "TLP:RED documents are for their named recipients only: they cannot be "
                    "shared with the APCC"
                )
            }
        )
    wider = WiderRouteRequest(engagement=current, request=text, requested_by=by)
    save(wider, by)
    if documents:
        wider.attached_documents.set(documents)
    notify_wider_route_requested(wider, by)
    return wider


@records_refusals
def wider_route_decide(
    *, wider_request: WiderRouteRequest, by: User, decision: str, advice: str
) -> WiderRouteRequest:
    """The APCC secretariat agrees or declines, with its advice on how to engage."""
    require_permission("engagements.act_as_apcc", by)
    current = lock(wider_request)
    engagement = Engagement.objects.select_related("policy", "owner").get(pk=current.engagement_id)
    if current.decision != Decision.PENDING:
        raise ValidationError(_("This request has already been answered."))
    if decision not in (Decision.AGREED, Decision.DECLINED):
        raise ValidationError({"decision": _("Choose whether the APCC agrees")})
    advice = required_text(advice, "advice", _("Give the APCC's advice on how to engage"))
    if decision == Decision.AGREED:
        _check_policy(engagement.policy, by, "agree to engage all policing bodies")
    current.decision = decision
    current.advice = advice
    current.decided_by = by
    current.decided_at = timezone.now()
    save(current, by, ["decision", "advice", "decided_by", "decided_at"])
    current.engagement = engagement
    notify_wider_route_decided(current, by)
    refresh(wider_request, current)
    return current


def engagement_confirm_routing_check(engagement: Engagement) -> None:
    """Refuse unless the engagement is awaiting the APCC: `engagement_confirm_routing` checks
    it, and so does the page that offers to confirm."""
    _check_status(
        engagement,
        Status.AWAITING_APCC,
        message=_("Only an engagement awaiting the APCC can be confirmed. This one is %(status)s."),
    )


def engagement_confirm_timing_check(engagement: Engagement) -> None:
    """Refuse to confirm if, counted from the day it would open, the response window or the
    change notice is shorter than usual and the lead recorded no reason (a late confirmation
    shortens it): the APCC returns it to the lead instead. The confirm page asks it before
    offering to confirm; `engagement_confirm_routing` runs it on the locked row."""
    timing = timing_of(engagement, opening_day(engagement))
    if timing.is_short and not engagement.short_notice_reason.strip():
        raise ValidationError(
            _(
                "It cannot open as it is: counted from the day it would open, %(why)s, and the "
                "policy lead has recorded no reason. Return it to the lead to give one or to "
                "change the dates."
            )
            % {"why": short_notice_message(timing)}
        )


def _route_words(groups: Iterable[StandingGroup]) -> str:
    return ", ".join(sorted(group.name for group in groups))


@records_refusals
def engagement_confirm_routing(
    *,
    engagement: Engagement,
    by: User,
    groups: Iterable[StandingGroup] | None = None,
    also_apace: bool | None = None,
) -> Engagement:
    """The APCC secretariat confirms the route. An engagement whose opening date has come
    (today, or passed while it waited) opens to its audience at once (`engagement_open`,
    which fixes the audience); one whose opening date is later is scheduled: it opens on that
    date (`engagements_open_due`), and until then only the owner and the secretariat see it.
    On a standing-groups route the APCC may first amend the groups (`groups`) or add APACE
    alongside them (`also_apace`); a change is kept as a `RouteAmendment` (who, when, before
    and after) on the routing record. A group with no member bodies is refused, as when the
    lead routes."""
    current = lock(engagement, "policy", "owner")
    require_permission("engagements.act_as_apcc", by, current)
    engagement_confirm_routing_check(current)
    _check_policy(current.policy, by, "confirm routing")
    if (
        current.route == Route.ALL_BODIES
        and not current.wider_route_requests.filter(decision=Decision.AGREED).exists()
    ):
        raise ValidationError(_("Engaging all policing bodies has not been agreed."))
    engagement_confirm_timing_check(current)
    if current.route == Route.STANDING_GROUPS and (groups is not None or also_apace is not None):
        _amend_route(current, by, groups, also_apace)
    now = timezone.now()
    current.confirmed_at = now
    current.confirmed_by = by
    if current.opens_on > timezone.localdate():
        current.status = Status.SCHEDULED
        save(current, by, ["status", "confirmed_at", "confirmed_by"])
    else:
        # Opens now: `open_locked` is `engagement_open` on this locked, checked row, saving
        # the confirmation with the opening (one history record).
        open_locked(current, at=now, by=by, also=("confirmed_at", "confirmed_by"))
    return refresh(engagement, current)


def _amend_route(
    current: Engagement,
    by: User,
    groups: Iterable[StandingGroup] | None,
    also_apace: bool | None,
) -> None:
    before = list(current.routed_groups.all())
    after = before if groups is None else list(groups)
    apace_after = current.also_apace if also_apace is None else bool(also_apace)
    if not after:
        raise ValidationError({"groups": _("Choose at least one standing group")})
    _check_groups_have_bodies(after)
    if {g.pk for g in after} == {g.pk for g in before} and apace_after == current.also_apace:
        return
    _check_named_reached(current, Route.STANDING_GROUPS, after, apace_after)
    RouteAmendment.objects.create(
        engagement=current,
        amended_by=by,
        groups_before=_route_words(before),
        groups_after=_route_words(after),
        also_apace_before=current.also_apace,
        also_apace_after=apace_after,
    )
    current.also_apace = apace_after
    current._change_reason = "Route amended by the APCC"  # type: ignore[attr-defined]
    save(current, by, ["also_apace"])
    current.routed_groups.set(after)


def engagement_return_check(engagement: Engagement) -> None:
    """Refuse unless the engagement is awaiting the APCC: `engagement_return` checks it, and
    so does the page that offers to return it."""
    _check_status(
        engagement,
        Status.AWAITING_APCC,
        message=_("Only an engagement awaiting the APCC can be returned. This one is %(status)s."),
    )


@records_refusals
def engagement_return(*, engagement: Engagement, by: User, advice: str) -> Engagement:
    """The APCC secretariat sends the engagement back to the lead, with advice."""
    current = lock(engagement, "policy", "owner")
    require_permission("engagements.act_as_apcc", by, current)
    engagement_return_check(current)
    check_not_screened_out(current.policy, by, "return an engagement")
    current.apcc_advice = required_text(
        advice, "advice", _("Give your advice to the policy lead: why it is coming back")
    )
    current.status = Status.DRAFT
    current.returned_at = timezone.now()
    current.returned_by = by
    save(current, by, ["apcc_advice", "status", "returned_at", "returned_by"])
    notify_engagement_returned(current, by)
    return refresh(engagement, current)
