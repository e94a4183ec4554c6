"""An engagement once sent: opening it, closing it, sharing its responses, and closing it
with its policy's screen."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engage.accounts.models import User
from engage.core.services import (
    lock,
    refresh,
    require_permission,
    required_text,
    save,
)
from engage.policies.models import Policy

from ..models import Engagement, Status
from .common import _check_status
from .refusals import check_not_screened_out, records_refusals


def engagement_close_check(engagement: Engagement) -> None:
    """Refuse unless the engagement is open, or confirmed to open later (it has reached
    nobody yet): `engagement_close` checks it, and so does the page that offers to close it."""
    _check_status(
        engagement,
        Status.OPEN,
        Status.SCHEDULED,
        message=_("Only an open engagement can be closed. This one is %(status)s."),
    )


@transaction.atomic
def engagement_close(*, engagement: Engagement, by: User) -> Engagement:
    """The lead closes an open engagement. Its audience still sees it, marked closed. A
    scheduled one closed before its opening date never opens: it reached nobody, and its
    audience never sees it (audience.py, "closed before the APCC opened it")."""
    current = lock(engagement, "policy", "owner")
    require_permission("engagements.manage_engagement", by, current)
    engagement_close_check(current)
    current.status = Status.CLOSED
    current.closed_at = timezone.now()
    save(current, by, ["status", "closed_at"])
    return refresh(engagement, current)


# The history's change reason holds at most 100 characters.
SHARE_REASON_MAX = 100


@records_refusals
def engagement_share_responses(*, engagement: Engagement, by: User, reason: str) -> Engagement:
    """The lead shares submitted responses with every body the engagement is addressed to,
    once it has been sent. Sharing widens who reads the responses, so, like a release, it is
    kept with why (in the engagement's history) and cannot be taken back: what the other
    bodies have read cannot be recalled. Drafts set it on the engagement form instead."""
    current = lock(engagement, "policy", "owner")
    require_permission("engagements.manage_engagement", by, current)
    _check_status(
        current,
        Status.OPEN,
        Status.CLOSED,
        message=_(
            "Responses can be shared from here once the engagement is open. It is %(status)s."
        ),
    )
    check_not_screened_out(current.policy, by, "share responses")
    if not current.asks_response:
        raise ValidationError(_("This engagement does not ask for a response."))
    if current.share_responses:
        raise ValidationError(_("Responses are already shared with the bodies addressed."))
    reason = required_text(reason, "reason", _("Say why you are sharing the responses"))
    if len(reason) > SHARE_REASON_MAX:
        raise ValidationError(
            {
                "reason": _("Keep the reason to %(max)s characters or fewer")
                % {"max": SHARE_REASON_MAX}
            }
        )
    current.share_responses = True
    current._change_reason = reason  # type: ignore[attr-defined]
    save(current, by, ["share_responses"])
    return refresh(engagement, current)


@transaction.atomic
def engagements_close_for_screened_out_policy(
    *, policy: Policy, by: User, at: datetime
) -> list[Engagement]:
    """Close every engagement on `policy` that is awaiting the APCC or open: the policy has
    just been screened out (protocol principle 2), so nothing on it may go ahead or stay
    live. Each keeps a history record by `by`, with the reason. It runs in `policy_screen`'s
    transaction, on the `policy_screened_out` signal (connected in `EngagementsConfig.ready`),
    once `policy_screen` has checked that `by` may triage the policy.

    Drafts stay drafts: only the owning organisation sees them, and every step that would
    move one on is refused while the policy is screened out. No `full_clean` here: the
    screen must never fail because of an engagement's other fields."""
    live = list(
        Engagement.objects.select_for_update(of=("self",))
        .filter(policy=policy, status__in=(Status.AWAITING_APCC, Status.SCHEDULED, Status.OPEN))
        .order_by("pk")
    )
    for engagement in live:
        engagement.status = Status.CLOSED
        engagement.closed_at = at
        engagement._change_reason = "Closed: the policy was screened out"  # type: ignore[attr-defined]
        save(engagement, by, ["status", "closed_at"], clean=False)
    return live
