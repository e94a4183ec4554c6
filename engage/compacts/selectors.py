"""Reads of local Compacts for a person. Every read starts from `visible_to(user)` (Compacts are
open to everyone signed in: DESIGN.md section 6), and each function runs a fixed number of
queries whatever the number of Compacts, bodies or signatures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import rules
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from engage.accounts.models import Organisation
from engage.core.access import is_signed_in
from engage.directory.maps import MapKey, StatusMap, status_map
from engage.directory.models import PolicingBody

from .models import Compact, CompactSignatory

SIGNED = "signed"
IN_AREA = "area"
NONE = "none"
STATES = (SIGNED, IN_AREA, NONE)


def state_labels() -> dict[str, str]:
    return {
        SIGNED: _("Signed"),
        IN_AREA: _("Compact in the area, body not signed"),
        NONE: _("No Compact recorded"),
    }


def map_keys() -> list[MapKey]:
    labels = state_labels()
    return [
        MapKey(SIGNED, labels[SIGNED], "done"),
        MapKey(IN_AREA, labels[IN_AREA], "due"),
        MapKey(NONE, labels[NONE], "none"),
    ]


# One Compact ---------------------------------------------------------------------------------


def get_compact_for_user(user, public_id) -> Compact:
    """The Compact (with who recorded it and the bodies it covers) if `user` reads it; 404
    otherwise."""
    return get_object_or_404(
        Compact.objects.visible_to(user)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("bodies", queryset=PolicingBody.objects.select_related("organisation"))
        ),
        public_id=public_id,
    )


def get_signature_for_user(user, compact: Compact, public_id) -> CompactSignatory:
    return get_object_or_404(
        CompactSignatory.objects.visible_to(user).select_related("organisation", "compact"),
        compact=compact,
        public_id=public_id,
    )


def compact_signatories(user, compact: Compact) -> list[CompactSignatory]:
    """Who signed, in the order they signed, each with `can_remove` for `user`."""
    rows = list(
        CompactSignatory.objects.visible_to(user)
        .filter(compact=compact)
        .select_related("organisation", "recorded_by")
        .order_by("signed_on", "organisation__name")
    )
    for row in rows:
        row.can_remove = rules.has_perm("compacts.remove_signature", user, row)  # type: ignore[attr-defined]
    return rows


def sign_choices(user) -> QuerySet[Organisation]:
    """The organisations a site administrator may record a signature for: any active one."""
    return Organisation.objects.visible_to(user).filter(is_active=True).order_by("name")


def body_choices(user) -> QuerySet[PolicingBody]:
    """The policing body areas a Compact may cover."""
    return (
        PolicingBody.objects.visible_to(user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


@dataclass(frozen=True)
class Change:
    when: datetime
    what: str
    who: str


def compact_history(user, compact: Compact) -> list[Change]:
    """What happened to the Compact and its signatures, newest first (two queries)."""
    if not is_signed_in(user):
        return []
    changes: list[Change] = []
    words = {"+": _("Recorded"), "~": _("Changed"), "-": _("Deleted")}
    for row in Compact.history.filter(id=compact.pk).select_related("history_user"):
        changes.append(
            Change(
                when=row.history_date,
                what=str(words.get(row.history_type, row.history_type)),
                who=row.history_user.get_full_name() if row.history_user else "",
            )
        )
    signatures = CompactSignatory.history.filter(compact_id=compact.pk).select_related(
        "history_user", "organisation"
    )
    for row in signatures:
        name = row.organisation.name if row.organisation else ""
        day = f"{row.signed_on.day} {row.signed_on:%B %Y}"
        if row.history_type == "-":
            what = _("Signature of %(name)s removed") % {"name": name}
        elif row.history_type == "+":
            what = _("Signed by %(name)s on %(date)s") % {"name": name, "date": day}
        else:
            what = _("Signature of %(name)s changed") % {"name": name}
        changes.append(
            Change(
                when=row.history_date,
                what=what,
                who=row.history_user.get_full_name() if row.history_user else "",
            )
        )
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes


# Lists ---------------------------------------------------------------------------------------


def compacts_for_user(user, *, q: str = "") -> QuerySet[Compact]:
    """Every Compact, by area, with the bodies it covers and how many signed; `q` searches
    the title and the area."""
    compacts = Compact.objects.visible_to(user)
    if q:
        compacts = compacts.filter(Q(title__icontains=q) | Q(area__icontains=q))
    return (
        compacts.annotate(signature_count=Count("signatories", distinct=True))
        .prefetch_related(
            Prefetch(
                "bodies",
                queryset=PolicingBody.objects.select_related("organisation").order_by(
                    "organisation__name"
                ),
            )
        )
        .order_by("area", "-agreed_on", "pk")
    )


# Compact working: which bodies have signed --------------------------------------------------


@dataclass
class BodyRow:
    body: PolicingBody
    compacts: list[Compact] = field(default_factory=list)  # covering its area, or signed
    signed_on: date | None = None  # the body's first signature
    state: str = NONE


@dataclass(frozen=True)
class YearShare:
    year: int
    signed: int
    share: int  # per cent of every body, by the end of the year


@dataclass(frozen=True)
class CompactWorking:
    rows: list[BodyRow]  # every body, or those in the state asked for
    counts: dict[str, int]  # state -> bodies
    total: int  # every policing body
    over_time: list[YearShare]
    map: StatusMap

    @property
    def signed(self) -> int:
        return self.counts[SIGNED]

    @property
    def share(self) -> int:
        return percent(self.signed, self.total)


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def share_over_time(first_signed: list[date], total: int, *, today: date) -> list[YearShare]:
    """For each year from the earliest signature to this one, how many bodies had signed by
    the end of it, and their share of `total`."""
    if not first_signed:
        return []
    years = range(min(first_signed).year, today.year + 1)
    return [
        YearShare(
            year=year,
            signed=(signed := sum(1 for day in first_signed if day.year <= year)),
            share=percent(signed, total),
        )
        for year in years
    ]


def compact_working(user, *, state: str = "") -> CompactWorking:
    """Every policing body with the Compacts covering its area and whether it signed one (a
    body has signed when its own organisation signed any Compact), the counts, the share over
    time and the map. Five queries."""
    bodies = list(
        PolicingBody.objects.visible_to(user)
        .select_related("organisation", "force")
        .order_by("organisation__name")
    )
    rows = {body.pk: BodyRow(body=body) for body in bodies}
    by_organisation = {body.organisation_id: rows[body.pk] for body in bodies}
    compacts = Compact.objects.visible_to(user).prefetch_related("bodies").order_by("agreed_on")
    by_id: dict[int, Compact] = {}
    for compact in compacts:
        by_id[compact.pk] = compact
        for body in compact.bodies.all():
            if body.pk in rows:
                rows[body.pk].compacts.append(compact)
                rows[body.pk].state = IN_AREA
    signatures = (
        CompactSignatory.objects.visible_to(user)
        .filter(organisation_id__in=list(by_organisation))
        .values_list("organisation_id", "compact_id", "signed_on")
        .order_by("signed_on")
    )
    for organisation_id, compact_id, signed_on in signatures:
        row = by_organisation[organisation_id]
        row.state = SIGNED
        if row.signed_on is None or signed_on < row.signed_on:
            row.signed_on = signed_on
        compact = by_id.get(compact_id)
        if compact is not None and compact not in row.compacts:
            row.compacts.append(compact)
    counts = dict.fromkeys(STATES, 0)
    for row in rows.values():
        counts[row.state] += 1
    states = {pk: row.state for pk, row in rows.items()}
    working_map = status_map(
        states,
        map_keys(),
        default=NONE,
        link=lambda body: reverse("briefs:brief", args=[body.organisation.slug]),
    )
    total = len(bodies)
    first_signed = [row.signed_on for row in rows.values() if row.signed_on is not None]
    listed = [row for row in rows.values() if not state or row.state == state]
    return CompactWorking(
        rows=listed,
        counts=counts,
        total=total,
        over_time=share_over_time(first_signed, total, today=timezone.localdate()),
        map=working_map,
    )


# For the brief on a body ---------------------------------------------------------------------


@dataclass(frozen=True)
class CompactStatus:
    compacts: list[Compact]  # covering the body's area, or signed by the body; by date agreed
    signed_on: date | None  # the body's first signature, None if it has not signed

    @property
    def signed(self) -> bool:
        return self.signed_on is not None


def compact_status_for_body(user, body: PolicingBody) -> CompactStatus:
    """The Compacts covering `body`'s area (or signed by it), each with `body_signature` (the
    body's own signature, or None) and `signature_count`, and whether and when the body
    signed. Two queries."""
    own = CompactSignatory.objects.visible_to(user).filter(organisation_id=body.organisation_id)
    compacts = list(
        Compact.objects.visible_to(user)
        .filter(Q(bodies=body) | Q(signatories__organisation_id=body.organisation_id))
        .distinct()
        .annotate(signature_count=Count("signatories", distinct=True))
        .prefetch_related(Prefetch("signatories", queryset=own, to_attr="own_signatures"))
        .order_by("-agreed_on", "pk")
    )
    dates = []
    for compact in compacts:
        own_rows = compact.own_signatures  # type: ignore[attr-defined]
        compact.body_signature = own_rows[0] if own_rows else None  # type: ignore[attr-defined]
        if own_rows:
            dates.append(own_rows[0].signed_on)
    return CompactStatus(compacts=compacts, signed_on=min(dates) if dates else None)
