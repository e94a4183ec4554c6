"""Checks every engagement write shares: the state and the input. Locking, saving,
refreshing and refusing are `engage.core.services`, shared with the other apps."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from engage.core.services import require
from engage.policies.models import Policy, Stage

from ..models import Engagement, Kind

EARLY_STAGES = (Stage.DEVELOPMENT, Stage.TESTING)


def _check_kind_fits_stage(kind: str, policy: Policy) -> None:
    if kind == Kind.EARLY and policy.stage not in EARLY_STAGES:
        raise ValidationError(
            {
                "kind": _(
                    "An early engagement needs the policy at development or testing stage. "
                    "This policy is at %(stage)s stage."
                )
                % {"stage": policy.get_stage_display().lower()}
            }
        )


def _check_status(engagement: Engagement, *allowed: str, message: str) -> None:
    require(
        engagement.status in allowed,
        message % {"status": engagement.get_status_display().lower()},
    )


def _text(value: str | None) -> str:
    return (value or "").strip()
