"""Reads of the voluntary sector's own records for a person. Every read starts from
`visible_to(user)`: profiles and voluntary organisations for every signed-in person; an
activity for its organisation's members and, once shared, the policing body's members.

Each function runs a fixed number of queries whatever the number of rows."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engage.accounts.models import Membership, Organisation, OrganisationKind
from engage.accounts.viewer import Viewer
from engage.directory.models import PolicingBody, PriorityTheme

from .models import Activity, FollowUp, OrganisationProfile
from .rules import EDIT_PROFILE, KEEP_LOG

SOON_DAYS = 14  # follow-ups due within this many days are counted at the top of the log


# Who acts for which organisation ------------------------------------------------------------


def voluntary_organisation_of(viewer_or_membership: Any) -> Organisation | None:
    """The voluntary organisation the person acts for: that of a membership (the request's
    `request.membership`, the organisation acted for now), if it is a voluntary one. Given a
    `Viewer` (or a user), the voluntary organisation among its memberships joined first. No
    query for a membership or a request's viewer."""
    if viewer_or_membership is None:
        return None
    if isinstance(viewer_or_membership, Membership):
        memberships = [viewer_or_membership]
    else:  # a Viewer, or a user
        viewer = Viewer.of(viewer_or_membership)
        memberships = sorted(viewer.memberships, key=lambda m: (m.created_at, m.pk))
    for membership in memberships:
        organisation = membership.organisation
        if organisation.kind == OrganisationKind.VOLUNTARY and organisation.is_active:
            return organisation
    return None


def can_edit_profile(user, organisation: Organisation) -> bool:
    return rules.has_perm(EDIT_PROFILE, user, organisation)


def can_keep_log(user, organisation: Organisation) -> bool:
    return rules.has_perm(KEEP_LOG, user, organisation)


# Organisations and profiles -----------------------------------------------------------------


def _voluntary(user) -> QuerySet[Organisation]:
    return Organisation.objects.visible_to(user).filter(kind=OrganisationKind.VOLUNTARY)


def _areas() -> Prefetch:
    return Prefetch(
        "areas_served",
        queryset=PolicingBody.objects.select_related("organisation").order_by("organisation__name"),
    )


def organisations_for_user(
    user, *, q: str = "", body: PolicingBody | None = None, theme: PriorityTheme | None = None
) -> QuerySet[Organisation]:
    """Every active voluntary organisation, by name, each with its profile (or none), the areas
    it serves and the themes it works on: searched by name, filtered by an area served and by a
    theme. Three queries for a page of them (the rows, the areas, the themes)."""
    organisations = _voluntary(user)
    if q:
        organisations = organisations.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    if body is not None:
        organisations = organisations.filter(areas_served=body)
    if theme is not None:
        organisations = organisations.filter(profile__themes=theme)
    return (
        organisations.select_related("profile")
        .prefetch_related(_areas(), "profile__themes")
        .distinct()
        .order_by("name", "pk")
    )


def get_profile_for_user(user, slug: str) -> tuple[Organisation, OrganisationProfile | None]:
    """The voluntary organisation `slug` and its profile (None if not yet written), with the
    areas it serves and the themes; 404 for an organisation that is not an active voluntary
    one, or a person not signed in."""
    organisation = get_object_or_404(
        _voluntary(user).prefetch_related(_areas()),
        slug=slug,
    )
    profile = (
        OrganisationProfile.objects.visible_to(user)
        .filter(organisation=organisation)
        .select_related("updated_by")
        .prefetch_related("themes")
        .first()
    )
    if profile is not None:
        profile.organisation = organisation
    return organisation, profile


def get_profile_for_edit(user, slug: str) -> tuple[Organisation, OrganisationProfile | None]:
    """As `get_profile_for_user`, and 403 unless `user` may edit it."""
    organisation, profile = get_profile_for_user(user, slug)
    if not can_edit_profile(user, organisation):
        raise PermissionDenied
    return organisation, profile


# Activities ---------------------------------------------------------------------------------


def _open_follow_ups(today: date) -> dict[str, Count]:
    return {
        "open_follow_ups": Count("follow_ups", filter=Q(follow_ups__done_on__isnull=True)),
        "overdue_follow_ups": Count(
            "follow_ups", filter=Q(follow_ups__done_on__isnull=True, follow_ups__due_on__lt=today)
        ),
    }


def get_activity_for_user(user, public_id) -> Activity:
    """The activity if `user` reads it (its organisation; the body's members once shared);
    404 otherwise. With its organisation, body and author joined."""
    try:
        return (
            Activity.objects.visible_to(user)
            .select_related("organisation", "body__organisation", "created_by")
            .get(public_id=public_id)
        )
    except (Activity.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None


def get_activity_for_edit(user, public_id) -> Activity:
    """The activity for a change: 404 unless `user` reads it, 403 unless they keep its
    organisation's log (the body it is shared with only reads)."""
    activity = get_activity_for_user(user, public_id)
    if not can_keep_log(user, activity.organisation):
        raise PermissionDenied
    return activity


def get_follow_up_for_edit(user, public_id) -> FollowUp:
    """A follow-up, for a change: 404 unless `user` reads its activity, 403 unless they keep
    its organisation's log."""
    visible = Activity.objects.visible_to(user)
    follow_up = get_object_or_404(
        FollowUp.objects.filter(activity__in=visible).select_related(
            "activity__organisation", "activity__body__organisation"
        ),
        public_id=public_id,
    )
    if not can_keep_log(user, follow_up.activity.organisation):
        raise PermissionDenied
    return follow_up


def activities_for_user(
    user,
    *,
    organisation: Organisation | None = None,
    body: PolicingBody | None = None,
    kind: str = "",
    shared: bool | None = None,
    open_follow_ups: bool = False,
    lasting: bool = False,
    q: str = "",
) -> QuerySet[Activity]:
    """The activities `user` reads, newest first, each with its body and counts of open and
    overdue follow-ups; filtered by organisation, body, kind, shared or not, with open
    follow-ups, lasting arrangements only, and words in the summary."""
    today = timezone.localdate()
    rows = Activity.objects.visible_to(user)
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    if body is not None:
        rows = rows.filter(body=body)
    if kind:
        rows = rows.filter(kind=kind)
    if shared is not None:
        rows = rows.filter(shared_at__isnull=not shared)
    if open_follow_ups:
        rows = rows.filter(
            Exists(FollowUp.objects.filter(activity=OuterRef("pk"), done_on__isnull=True))
        )
    if lasting:
        rows = rows.exclude(arrangement="")
    if q:
        rows = rows.filter(summary__icontains=q)
    return (
        rows.select_related("organisation", "body__organisation")
        .annotate(**_open_follow_ups(today))
        .order_by("-happened_on", "-pk")
    )


def shared_activity_for_body(
    user, body: PolicingBody, *, organisation: Organisation | None = None, kind: str = ""
) -> QuerySet[Activity]:
    """What voluntary organisations have shared with `body`, as `user` reads it (the body's
    members: every organisation's shared activity; anyone else sees only what they read
    anyway), newest first."""
    return activities_for_user(user, body=body, shared=True, organisation=organisation, kind=kind)


def organisations_sharing_with(user, body: PolicingBody) -> list[Organisation]:
    """The organisations that have shared activity with `body` that `user` reads, by name (the
    filter of the body's list). One query."""
    shared = Activity.objects.visible_to(user).filter(body=body, shared_at__isnull=False)
    return list(
        Organisation.objects.filter(pk__in=shared.values("organisation_id")).order_by("name")
    )


@dataclass(frozen=True)
class FollowUpCounts:
    due_soon: int  # open, due today or within SOON_DAYS days
    overdue: int  # open, due before today


def follow_up_counts(user, organisation: Organisation) -> FollowUpCounts:
    """For the top of the log: the organisation's open follow-ups due within 14 days, and
    those overdue. One query."""
    today = timezone.localdate()
    counts = FollowUp.objects.filter(
        activity__in=Activity.objects.visible_to(user).filter(organisation=organisation),
        done_on__isnull=True,
    ).aggregate(
        due_soon=Count(
            "pk", filter=Q(due_on__gte=today, due_on__lte=today + timedelta(days=SOON_DAYS))
        ),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
    )
    return FollowUpCounts(due_soon=counts["due_soon"], overdue=counts["overdue"])


def lasting_arrangements(user, organisation: Organisation) -> list[Activity]:
    """The organisation's activities that became lasting arrangements, newest first, with
    their bodies. One query."""
    return list(
        Activity.objects.visible_to(user)
        .filter(organisation=organisation)
        .exclude(arrangement="")
        .select_related("body__organisation")
        .order_by("-happened_on", "-pk")
    )


def follow_ups_of(activity: Activity) -> list[FollowUp]:
    """The activity's follow-ups, soonest due first, each with `is_overdue`. One query. The
    caller has read the activity through `get_activity_for_user`."""
    today = timezone.localdate()
    rows = list(activity.follow_ups.order_by("due_on", "pk"))
    for row in rows:
        row.is_overdue = row.done_on is None and row.due_on < today  # type: ignore[attr-defined]
    return rows


# History --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    at: datetime
    by: str
    what: str  # "Created", "Changed", "Deleted"
    fields: list[str]  # the names of the fields changed (for "Changed")
    subject: str  # "Activity" or the follow-up's description


# How a change to these fields reads in the history (the others: their verbose names).
FIELD_NAMES = {"shared_at": _("sharing with the body"), "done_on": _("done")}


def _field_name(model, name: str) -> str:
    if name in FIELD_NAMES:
        return str(FIELD_NAMES[name])
    return str(model._meta.get_field(name).verbose_name)


def _changes(records: list, subject) -> list[Change]:
    found: list[Change] = []
    previous = None
    for record in records:
        fields: list[str] = []
        if record.history_type == "+":
            what = "created"
        elif record.history_type == "-":
            what = "deleted"
        else:
            what = "changed"
            if previous is not None:
                delta = record.diff_against(previous)
                fields = [
                    _field_name(record.instance_type, change.field) for change in delta.changes
                ]
        user = record.history_user
        found.append(
            Change(
                at=record.history_date,
                by=str(user) if user else "",
                what=what,
                fields=fields,
                subject=subject(record),
            )
        )
        previous = record
    return found


def activity_history(activity: Activity) -> list[Change]:
    """The changes to the activity and its follow-ups, newest first. Two queries. The caller
    has read the activity through `get_activity_for_user`."""
    records = list(
        activity.history.select_related("history_user").order_by("history_date", "history_id")
    )
    changes = _changes(records, lambda record: "")
    follow_ups = list(
        FollowUp.history.filter(activity_id=activity.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    by_follow_up: dict[int, list] = {}
    for record in follow_ups:
        by_follow_up.setdefault(record.id, []).append(record)
    for rows in by_follow_up.values():
        changes.extend(_changes(rows, lambda record: record.description))
    changes.sort(key=lambda change: change.at, reverse=True)
    return changes
