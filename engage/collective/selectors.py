"""Reads of collective views for a person. Every read starts from `visible_to(user)`; each
helper asks a fixed number of queries, whatever the number of responses."""

from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404

from engage.directory.models import GroupRole, PolicingBody, StandingGroupMembership
from engage.engagements.audience import audience_bodies
from engage.engagements.models import Engagement
from engage.responses.models import Response, ResponseVersion

from .models import CollectiveView, CollectiveViewVersion, SignOff, ViewStatus

DRAFT = "collective.draft"
SIGN_OFF = "collective.sign_off"


def get_collective_view_for_user(
    user, public_id, *, write: bool = False, perm: str = DRAFT
) -> CollectiveView:
    """The collective view of the engagement `public_id` if `user` may read it (404
    otherwise); with `write`, 403 unless they also hold `perm` (by default: the secretariat)."""
    view = get_object_or_404(
        CollectiveView.objects.visible_to(user).select_related(
            "engagement__policy", "engagement__owner", "updated_by", "submitted_by"
        ),
        engagement__public_id=public_id,
    )
    if write and not rules.has_perm(perm, user):
        raise PermissionDenied
    return view


def submitted_view_for(user, engagement: Engagement) -> CollectiveView | None:
    """The submitted collective view of `engagement`, if there is one and `user` reads it
    (for the outcomes app: "you said, we did" answers it)."""
    return (
        CollectiveView.objects.visible_to(user)
        .filter(engagement=engagement, status=ViewStatus.SUBMITTED)
        .select_related("submitted_by")
        .first()
    )


def is_drafter(user, view: CollectiveView) -> bool:
    """Whether `user` reads the view as a drafter or signer (one query)."""
    return CollectiveView.objects.drafts_visible_to(user).filter(pk=view.pk).exists()


def latest_versions(engagement: Engagement):
    """The latest submitted version of each body's response: never a working copy."""
    return (
        ResponseVersion.objects.filter(
            response__engagement=engagement, number=F("response__submitted_version")
        )
        .select_related("response__body__organisation")
        .order_by("response__body__organisation__name")
    )


def sources_of(view: CollectiveView) -> list[ResponseVersion]:
    """The exact versions the view draws on, by body name (one query)."""
    return list(
        view.sources.select_related("response__body__organisation").order_by(
            "response__body__organisation__name"
        )
    )


def lead_bodies(group_ids) -> dict[int, PolicingBody]:
    """The body that leads each group (one query)."""
    rows = StandingGroupMembership.objects.filter(
        group_id__in=list(group_ids), role=GroupRole.LEAD
    ).select_related("body__organisation")
    return {row.group_id: row.body for row in rows}


def sign_offs_for(view: CollectiveView) -> list[SignOff]:
    """The view's sign-offs with their group, decider and lead body (two queries)."""
    sign_offs = list(view.sign_offs.select_related("group", "decided_by"))
    leads = lead_bodies(s.group_id for s in sign_offs) if sign_offs else {}
    for sign_off in sign_offs:
        sign_off.lead_body = leads.get(sign_off.group_id)  # type: ignore[attr-defined]
    return sign_offs


def get_sign_off_for_user(user, view: CollectiveView, slug: str) -> SignOff:
    """The sign-off of the group `slug` on a view `user` reads; 403 unless they may give it."""
    for sign_off in sign_offs_for(view):
        if sign_off.group.slug == slug:
            if not rules.has_perm(SIGN_OFF, user, sign_off):
                raise PermissionDenied
            return sign_off
    raise Http404


@dataclass(frozen=True)
class Responded:
    """Who has and has not responded, of the bodies the engagement is addressed to."""

    responded: list[PolicingBody]
    not_responded: list[PolicingBody]


def responded(engagement: Engagement) -> Responded:
    """Two queries: the bodies addressed, and the bodies with a submitted response."""
    bodies = list(audience_bodies(engagement).select_related("organisation"))
    bodies.sort(key=lambda body: body.organisation.name)
    submitted = set(
        Response.objects.filter(engagement=engagement).submitted().values_list("body_id", flat=True)
    )
    return Responded(
        responded=[b for b in bodies if b.pk in submitted],
        not_responded=[b for b in bodies if b.pk not in submitted],
    )


def versions_for(user, view: CollectiveView) -> list[CollectiveViewVersion]:
    return list(
        CollectiveViewVersion.objects.visible_to(user)
        .filter(view=view)
        .select_related("created_by")
        .order_by("-number")
    )


def get_version(user, view: CollectiveView, number) -> CollectiveViewVersion:
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(
        CollectiveViewVersion.objects.visible_to(user).select_related("created_by"),
        view=view,
        number=number,
    )
