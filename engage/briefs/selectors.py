"""Reads for the brief on a policing body ("do your homework", DESIGN.md section 3, tip 1):
what the body is, its plan and priorities, who decides, what it commissions, how to engage,
its Compact status and key dates. Everything read starts from `visible_to(user)` (the
directory and the Compacts are open to everyone signed in: section 6); the brief runs a fixed
number of queries whatever the number of records."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from engage.accounts.models import Membership, OrganisationKind
from engage.compacts.selectors import CompactStatus, compact_status_for_body
from engage.directory.models import (
    BodyContact,
    Commissioning,
    CommissioningKind,
    ContactRole,
    EngagementRoute,
    KeyDate,
    PlanPriority,
    PolicePlan,
    PolicingBody,
)
from engage.directory.selectors import (
    TypeChange,
    body_type_history,
    current_plan_for_user,
    get_body_for_user,
    round_state,
)

__all__ = ["Brief", "body_brief", "brief_filename", "get_body_for_user"]


@dataclass(frozen=True)
class ContactGroup:
    role: str
    label: str
    contacts: list[BodyContact]


@dataclass
class Brief:
    body: PolicingBody
    today: date
    type_history: list[TypeChange]
    plan: PolicePlan | None
    contact_groups: list[ContactGroup]
    commissioning: list[Commissioning]  # each with `round` (directory.selectors.round_state)
    routes: list[EngagementRoute]
    upcoming_dates: list[KeyDate]  # soonest first
    past_dates: list[KeyDate]  # latest first
    compacts: CompactStatus
    priorities: list[PlanPriority] = field(default_factory=list)

    @property
    def open_rounds(self) -> list[Commissioning]:
        return [item for item in self.commissioning if item.round in ("open", "opens")]  # type: ignore[attr-defined]


def body_brief(user, body: PolicingBody) -> Brief:
    """Everything the brief on `body` shows, for `user` (`body` from `get_body_for_user`).
    Nine queries with a current plan, eight without, whatever the number of records."""
    today = timezone.localdate()
    plan = current_plan_for_user(user, body)
    contacts = list(
        BodyContact.objects.visible_to(user).filter(body=body).order_by("position", "pk")
    )
    labels = dict(ContactRole.choices)
    groups = [
        ContactGroup(role=role, label=str(labels[role]), contacts=members)
        for role in ContactRole.values
        if (members := [contact for contact in contacts if contact.role == role])
    ]
    kinds = {kind: index for index, kind in enumerate(CommissioningKind.values)}
    commissioning = sorted(  # victims' services first, in the order of the kinds
        Commissioning.objects.visible_to(user).filter(body=body).order_by("title", "pk"),
        key=lambda item: kinds.get(item.kind, len(kinds)),
    )
    for item in commissioning:
        item.round = round_state(item, today)  # type: ignore[attr-defined]
    dates = list(KeyDate.objects.visible_to(user).filter(body=body).order_by("on", "pk"))
    return Brief(
        body=body,
        today=today,
        type_history=body_type_history(body),
        plan=plan,
        priorities=list(plan.priorities.all()) if plan else [],
        contact_groups=groups,
        commissioning=commissioning,
        routes=list(
            EngagementRoute.objects.visible_to(user)
            .filter(body=body)
            .order_by("kind", "title", "pk")
        ),
        upcoming_dates=[item for item in dates if item.on >= today],
        past_dates=[item for item in reversed(dates) if item.on < today],
        compacts=compact_status_for_body(user, body),
    )


def brief_filename(body: PolicingBody, today: date) -> str:
    """e.g. Brief-West-Yorkshire-2026-11-30.pdf: ASCII letters, digits and hyphens only."""
    place = body.force.ons_name or body.organisation.short_name or body.organisation.name
    ascii_place = unicodedata.normalize("NFKD", place).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", ascii_place).strip("-")[:80].strip("-") or "body"
    return f"Brief-{stem}-{today:%Y-%m-%d}.pdf"


# Where the briefs are found ----------------------------------------------------------------


def own_areas(user, membership: Membership | None) -> list[PolicingBody]:
    """The policing bodies the organisation acted for serves: a voluntary organisation's
    areas served, a policing body itself. One query (none for other organisations)."""
    if membership is None:
        return []
    organisation = membership.organisation
    bodies: QuerySet[PolicingBody] = PolicingBody.objects.visible_to(user).select_related(
        "organisation", "force"
    )
    if organisation.kind == OrganisationKind.VOLUNTARY:
        bodies = bodies.filter(voluntary_organisations=organisation)
    elif organisation.kind == OrganisationKind.POLICING_BODY:
        bodies = bodies.filter(organisation=organisation)
    else:
        return []
    return list(bodies.order_by("organisation__name"))
