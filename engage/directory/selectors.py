"""Reads for the directory pages, each scoped to the person asking (`visible_to`).

Every function returns a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from engage.accounts.models import Membership, Organisation, OrganisationKind, Role
from engage.core.access import is_signed_in

from .maps import MapKey, StatusMap, status_map
from .models import (
    BodyContact,
    BodyType,
    Commissioning,
    EngagementRoute,
    GroupRole,
    KeyDate,
    PlanPriority,
    PolicePlan,
    PolicingBody,
    StandingGroup,
    StandingGroupMembership,
)

NATIONAL_PAGE_KINDS = (
    OrganisationKind.NATIONAL_DEPARTMENT,
    OrganisationKind.NATIONAL_AGENCY,
    OrganisationKind.APCC,
    OrganisationKind.APACE,
)


def policing_bodies_for_user(
    user,
    *,
    q: str = "",
    nations: list[str] | tuple = (),
    regions: list[str] | tuple = (),
    body_types: list[str] | tuple = (),
) -> QuerySet[PolicingBody]:
    bodies = PolicingBody.objects.visible_to(user).select_related("organisation", "force")
    if q:
        bodies = bodies.filter(
            Q(organisation__name__icontains=q)
            | Q(organisation__short_name__icontains=q)
            | Q(force__name__icontains=q)
            | Q(force__ons_name__icontains=q)
        )
    if nations:
        bodies = bodies.filter(nation__in=nations)
    if regions:
        bodies = bodies.filter(region__in=regions)
    if body_types:
        bodies = bodies.filter(body_type__in=body_types)
    return bodies.order_by("organisation__name")


def regions_for_user(user) -> list[str]:
    return list(
        PolicingBody.objects.visible_to(user)
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )


def get_body_for_user(user, slug: str) -> PolicingBody:
    return get_object_or_404(
        PolicingBody.objects.visible_to(user).select_related("organisation", "force"),
        organisation__slug=slug,
    )


def body_group_memberships(user, body: PolicingBody) -> QuerySet[StandingGroupMembership]:
    return (
        StandingGroupMembership.objects.visible_to(user)
        .filter(body=body)
        .select_related("group")
        .order_by("group__name")
    )


def ordered_priorities() -> QuerySet[PlanPriority]:
    """Priorities in the plan's order, each with its theme (for a prefetch)."""
    return PlanPriority.objects.select_related("theme").order_by("position", "pk")


def current_plan_for_user(user, body: PolicingBody) -> PolicePlan | None:
    """`body`'s current police and crime plan, if it has one and `user` may see it, with its
    priorities in the plan's order (`plan.priorities.all()`, each with `theme` joined): two
    queries whatever the number of priorities."""
    return (
        PolicePlan.objects.visible_to(user)
        .current()
        .filter(body=body)
        .prefetch_related(Prefetch("priorities", queryset=ordered_priorities()))
        .first()
    )


def earlier_plans_for_user(user, body: PolicingBody) -> QuerySet[PolicePlan]:
    """`body`'s superseded plans, the most recently replaced first."""
    return (
        PolicePlan.objects.visible_to(user)
        .filter(body=body, superseded_at__isnull=False)
        .order_by("-superseded_at", "-pk")
    )


def get_plan_for_user(user, body: PolicingBody, public_id: UUID | str) -> PolicePlan:
    """One of `body`'s plans (current or earlier), with its priorities in order (404 if
    unseen)."""
    return get_object_or_404(
        PolicePlan.objects.visible_to(user)
        .filter(body=body)
        .select_related("superseded_by")
        .prefetch_related(Prefetch("priorities", queryset=ordered_priorities())),
        public_id=public_id,
    )


@dataclass(frozen=True)
class PlanChange:
    when: datetime
    what: str
    who: str


PLAN_CHANGES_SHOWN = 50


def plan_changes(user, body: PolicingBody) -> list[PlanChange]:
    """Who changed `body`'s plans and their priorities, what and when, newest first (the
    history records that carry a reason, from the services): two queries."""
    if not is_signed_in(user):
        return []
    records = [
        model.history.filter(body_id=body.pk)  # type: ignore[attr-defined]
        .exclude(history_change_reason__isnull=True)
        .exclude(history_change_reason="")
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:PLAN_CHANGES_SHOWN]
        for model in (PolicePlan, PlanPriority)
    ]
    rows = sorted(chain(*records), key=lambda row: row.history_date, reverse=True)
    return [
        PlanChange(
            when=row.history_date,
            what=row.history_change_reason,
            who=(row.history_user.full_name or row.history_user.email) if row.history_user else "",
        )
        for row in rows[:PLAN_CHANGES_SHOWN]
    ]


@dataclass(frozen=True)
class Publications:
    contacts: list[BodyContact]
    commissioning: list[Commissioning]
    routes: list[EngagementRoute]
    key_dates: list[KeyDate]


def round_state(item: Commissioning, today: dt.date) -> str:
    """Where `item`'s funding round stands: "open", "opens" (later), "closed", or "" when no
    round is recorded."""
    if item.opens_on is None and item.closes_on is None:
        return ""
    if item.closes_on is not None and item.closes_on < today:
        return "closed"
    if item.opens_on is not None and item.opens_on > today:
        return "opens"
    return "open"


def body_publications(user, body: PolicingBody) -> Publications:
    """What `body` publishes for the voluntary sector, one query a list. Each commissioning
    entry carries `round_state` (see `round_state`)."""
    today = timezone.localdate()
    commissioning = list(
        Commissioning.objects.visible_to(user).filter(body=body).order_by("kind", "title")
    )
    for item in commissioning:
        item.round_state = round_state(item, today)  # type: ignore[attr-defined]
    return Publications(
        contacts=list(
            BodyContact.objects.visible_to(user).filter(body=body).order_by("position", "pk")
        ),
        commissioning=commissioning,
        routes=list(
            EngagementRoute.objects.visible_to(user).filter(body=body).order_by("kind", "title")
        ),
        key_dates=list(KeyDate.objects.visible_to(user).filter(body=body).order_by("on", "pk")),
    )


@dataclass(frozen=True)
class TypeChange:
    date: datetime
    old: str | None  # None for the first record
    new: str
    reason: str


def body_type_history(body: PolicingBody) -> list[TypeChange]:
    """The body's type as first recorded, then each change of type, oldest first."""
    labels = dict(BodyType.choices)
    records = body.history.order_by("history_date", "history_id").values_list(
        "history_date", "body_type", "history_change_reason"
    )
    changes: list[TypeChange] = []
    previous = None
    for date, body_type, reason in records:
        if previous is None or body_type != previous:
            changes.append(
                TypeChange(
                    date=date,
                    old=labels.get(previous, previous) if previous else None,
                    new=labels.get(body_type, body_type),
                    reason=reason or "",
                )
            )
        previous = body_type
    return changes


def national_bodies_for_user(user) -> QuerySet[Organisation]:
    return (
        Organisation.objects.visible_to(user)
        .filter(kind__in=NATIONAL_PAGE_KINDS)
        .select_related("parent")
        .order_by("name")
    )


def groups_for_user(user) -> QuerySet[StandingGroup]:
    leads = StandingGroupMembership.objects.filter(role=GroupRole.LEAD).select_related(
        "body__organisation"
    )
    return (
        StandingGroup.objects.visible_to(user)
        .annotate(member_count=Count("memberships", distinct=True))
        .prefetch_related("themes", Prefetch("memberships", queryset=leads, to_attr="leads"))
        .order_by("name")
    )


def get_group_for_user(user, slug: str) -> StandingGroup:
    return get_object_or_404(
        StandingGroup.objects.visible_to(user).prefetch_related("themes"), slug=slug
    )


def group_members(user, group: StandingGroup) -> QuerySet[StandingGroupMembership]:
    """The group's member bodies, leads first, each with its commissioners (`commissioners`)."""
    commissioners = (
        Membership.objects.visible_to(user)
        .filter(role=Role.COMMISSIONER)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    return (
        StandingGroupMembership.objects.visible_to(user)
        .filter(group=group)
        .select_related("body__organisation", "body__force")
        .prefetch_related(
            Prefetch(
                "body__organisation__memberships", queryset=commissioners, to_attr="commissioners"
            )
        )
        .order_by("role", "body__organisation__name")
    )


@dataclass(frozen=True)
class GroupChange:
    when: datetime
    body: str
    what: str
    who: str


def group_history(user, group: StandingGroup) -> list[GroupChange]:
    """Who joined, left or led the group, when and by whom, newest first: from the
    memberships' history, in one query. `group` comes from `get_group_for_user`."""
    if not is_signed_in(user):
        return []
    rows = (
        StandingGroupMembership.history.filter(group_id=group.pk)
        .select_related("history_user", "body__organisation")
        .order_by("-history_date", "-history_id")
    )
    words = {"+": _("Joined"), "-": _("Left")}
    changes = []
    for row in rows:
        if row.history_type == "~":
            what = _("Became lead") if row.role == GroupRole.LEAD else _("Stopped leading")
        else:
            what = words.get(row.history_type, row.history_type)
            if row.history_type == "+" and row.role == GroupRole.LEAD:
                what = _("Joined as lead")
        changes.append(
            GroupChange(
                when=row.history_date,
                body=row.body.organisation.name,
                what=str(what),
                who=row.history_user.email if row.history_user else "",
            )
        )
    return changes


BODY_TYPE_TONES: dict[str, str] = {
    BodyType.PCC: "blue",
    BodyType.PFCC: "green",
    BodyType.MAYOR: "red",
    BodyType.POLICE_AUTHORITY: "purple",
    BodyType.BOARD: "orange",
}
NO_BODY = "none"


def body_type_map(user) -> StatusMap | None:
    """The directory's map: every force area shaded by the type of its policing body (one
    query). None for someone not signed in (the directory is for signed-in people)."""
    if not is_signed_in(user):
        return None
    keys = [MapKey(value, str(label), BODY_TYPE_TONES[value]) for value, label in BodyType.choices]
    keys.append(MapKey(NO_BODY, str(_("No policing body recorded")), "grey"))
    return status_map(
        {},
        keys,
        default=NO_BODY,
        statuses_of=lambda body: body.body_type,
        link=lambda body: reverse("directory:body", args=[body.organisation.slug]),
    )


def policing_body_of(membership: Membership | None) -> PolicingBody | None:
    """The policing body a membership acts for (its organisation, with it), if it is one: the
    body that responds, asks or acknowledges for the person (one query, none when the
    organisation is not a policing body)."""
    if membership is None or membership.organisation.kind != OrganisationKind.POLICING_BODY:
        return None
    return (
        PolicingBody.objects.select_related("organisation")
        .filter(organisation_id=membership.organisation_id)
        .first()
    )
