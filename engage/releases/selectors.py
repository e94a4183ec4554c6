"""Reads of release requests for a person: every page and panel goes through these, and each
through `ReleaseRequest.objects.visible_to` (built on engage.engagements.audience)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from engage.accounts.viewer import Viewer

from .models import ReleaseRequest, ReleaseRequestQuerySet

# The engagement page's panel shows this many requests, then links to the full list.
PANEL_ROWS = 10

ROW_RELATIONS = (
    "engagement",
    "document",
    "body__organisation",
    "requested_by",
    "decided_by",
)


def get_release_request_for_user(user, public_id) -> ReleaseRequest:
    """The request, or 404 if this person may not see it."""
    return get_object_or_404(
        ReleaseRequest.objects.visible_to(user).select_related(
            *ROW_RELATIONS, "engagement__policy", "engagement__owner", "document__engagement"
        ),
        public_id=public_id,
    )


def requests_on_engagement(user, engagement) -> list[ReleaseRequest]:
    """The requests about the engagement (and its documents) this person sees, pending first:
    one query, at most PANEL_ROWS rows."""
    rows = (
        ReleaseRequest.objects.readable_on(engagement, user)
        .select_related(*ROW_RELATIONS)
        .pending_first()
    )
    return list(rows[:PANEL_ROWS])


def _filtered(rows: ReleaseRequestQuerySet, *, decision: str = "", engagement=None):
    if decision:
        rows = rows.filter(decision=decision)
    if engagement is not None:
        rows = rows.filter(engagement__public_id=engagement)
    return rows.select_related(*ROW_RELATIONS).pending_first()


def incoming(user, *, decision: str = "", engagement=None) -> ReleaseRequestQuerySet:
    """For a policy lead: the requests about the engagements of the organisations they lead
    policies for; 403 for anyone else."""
    viewer = Viewer.of(user)
    if not viewer.lead_of:
        raise PermissionDenied
    rows = ReleaseRequest.objects.visible_to(user).filter(engagement__owner_id__in=viewer.lead_of)
    return _filtered(rows, decision=decision, engagement=engagement)


def of_body(user, body, *, decision: str = "", engagement=None) -> ReleaseRequestQuerySet:
    """The requests of the body the person acts for."""
    rows = ReleaseRequest.objects.visible_to(user).filter(body=body)
    return _filtered(rows, decision=decision, engagement=engagement)


def history_of(release_request: ReleaseRequest) -> list:
    """The request's history records, oldest first, with who made each change."""
    return list(release_request.history.select_related("history_user").order_by("history_date"))
