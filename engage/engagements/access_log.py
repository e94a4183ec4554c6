"""Logging who was shown an engagement's labelled content (DESIGN.md section 6: every view of a
labelled item is logged), for the engagement's own pages and for every record that hangs off
it (responses, and the apps built on engagements): the entry carries the engagement's label
and, once its policy is screened out, is its owning organisation's only."""

from engage.audit.models import AccessAction
from engage.audit.services import access_record_request
from engage.core.types import AuthedRequest

from .models import Engagement


def log_engagement_view(
    request: AuthedRequest,
    engagement: Engagement,
    *,
    object_type: str = "engagement",
    object_id: str | None = None,
    detail: str = "",
    action: str = AccessAction.VIEW,
) -> None:
    """Record that this person was shown labelled content of `engagement`: the engagement
    itself, or (with `object_type` and `object_id`) a record on it. Call it once the page is
    sure to render, after any refusal or redirect, so that the log holds what was read, not
    what was asked. `action` is DOWNLOAD for an export."""
    access_record_request(
        request,
        action=action,
        object_type=object_type,
        object_id=object_id if object_id is not None else str(engagement.public_id),
        label=engagement.label,
        detail=detail,
        confidential_to=engagement.policy.log_confidential_to,
    )
