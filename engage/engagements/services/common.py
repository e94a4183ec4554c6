"""Checks and steps every engagement write shares: who may act, the state, the input, and
locking, saving and refreshing the engagement."""

from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from engage.accounts.models import User
from engage.policies.models import Policy, Stage

from ..models import Engagement, Kind

EARLY_STAGES = (Stage.DEVELOPMENT, Stage.TESTING)


def _require(perm: str, user: User, obj: Any = None) -> None:
    # rules.has_perm, not user.has_perm: a superuser gets no way round these rules.
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied


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
    if engagement.status not in allowed:
        raise ValidationError(message % {"status": engagement.get_status_display().lower()})


def _text(value: str | None) -> str:
    return (value or "").strip()


def _required(value: str | None, field: str, message: str) -> str:
    text = _text(value)
    if not text:
        raise ValidationError({field: message})
    return text


def _lock(engagement: Engagement) -> Engagement:
    """The engagement's row, locked for the rest of the transaction, read afresh: every write
    starts from what is stored, not from what the caller happened to load."""
    return (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("policy", "owner")
        .get(pk=engagement.pk)
    )


def _refresh(target: Engagement, source: Engagement) -> Engagement:
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    return target


def _save(instance, by: User, fields: list[str] | None = None) -> None:
    instance.full_clean()
    instance._history_user = by  # the history records who, even outside a request
    if fields is None:
        instance.save()
    else:
        instance.save(update_fields=fields)
