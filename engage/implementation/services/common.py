"""The steps every write of this app shares: reading the terms, recording a step of the
thread, working out the side a person acts for and whose turn it is."""

from collections.abc import Callable
from datetime import date
from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from engage.accounts.models import Membership, User
from engage.accounts.selectors import membership_is_active
from engage.accounts.viewer import Viewer
from engage.core.labels import Label
from engage.core.services import lock, require, require_permission, required_text, save
from engage.directory.selectors import policing_body_of
from engage.engagements.services.refusals import check_not_screened_out

from ..models import (
    AGREEMENT_LABELS,
    AgreementEvent,
    AgreementState,
    ImplementationAgreement,
    Side,
    today,
)
from ..rules import LEAD

# Who answers a proposal for a body: who submits its responses (engage/responses/rules.py).
ANSWER_FOR_BODY = "responses.submit_for_body"
MAX_TEXT = 5_000  # characters in a role, support, reason or note
MAX_TITLE = 200


def _text(value: str | None, field: str, missing: str, limit: int = MAX_TEXT) -> str:
    text = required_text(value, field, missing)
    _limit(text, field, limit)
    return text


def _optional(value: str | None, field: str, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    _limit(text, field, limit)
    return text


def _limit(text: str, field: str, limit: int) -> None:
    require(
        len(text) <= limit,
        _("Keep this to %(max)s characters or fewer") % {"max": f"{limit:,}"},
        field=field,
    )


def _collect(*checks: Callable[[], Any]) -> list[Any]:
    """Run each check (a function of no arguments), gathering their errors by field, so a
    form shows every problem at once."""
    errors: dict[str, list[str]] = {}
    values = []
    for check in checks:
        try:
            values.append(check())
        except ValidationError as exc:
            values.append(None)
            if hasattr(exc, "error_dict"):
                for key, messages in exc.message_dict.items():
                    errors.setdefault(key, []).extend(messages)
            else:
                errors.setdefault("__all__", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return values


# The terms ---------------------------------------------------------------------------------


def _due_on(
    value: date | None,
    field: str = "due_on",
    *,
    not_before: date | None = None,
    missing: str = "",
) -> date:
    if value is None:
        raise ValidationError({field: missing or _("Enter the date the role is due by")})
    earliest = not_before or today()
    require(
        value >= earliest,
        _("The date must be today or later")
        if not_before is None
        else _("The date must be on or after %(date)s") % {"date": f"{earliest:%-d %B %Y}"},
        field=field,
    )
    return value


def _label(value: str | None) -> str:
    value = value or Label.AMBER_STRICT
    require(
        value in AGREEMENT_LABELS,
        _("Choose TLP:AMBER+STRICT, TLP:AMBER, TLP:GREEN or TLP:CLEAR"),
        field="label",
    )
    return value


def _terms(role: str | None, due_on: date | None, support: str | None) -> tuple[str, date, str]:
    role_text, due, support_text = _collect(
        lambda: _text(role, "role", _("Describe the local role")),
        lambda: _due_on(due_on),
        lambda: _optional(support, "support"),
    )
    return role_text, due, support_text


def _event(
    agreement: ImplementationAgreement,
    *,
    kind: str,
    side: str,
    by: User,
    note: str = "",
    terms: bool = False,
) -> AgreementEvent:
    event = AgreementEvent(agreement=agreement, kind=kind, side=side, by=by, note=note)
    if terms:
        event.role = agreement.role
        event.due_on = agreement.due_on
        event.support = agreement.support
        event.label = agreement.label
    event.save()
    return event


# Who acts, and whose turn ------------------------------------------------------------------


def _readable(agreement: ImplementationAgreement, by: User) -> None:
    """Nobody acts on an agreement they may not read (another body's, a screened-out one)."""
    if not ImplementationAgreement.objects.visible_to(by).filter(pk=agreement.pk).exists():
        raise PermissionDenied


def side_of(
    agreement: ImplementationAgreement, by: User, membership: Membership | None
) -> str | None:
    """The side `by` acts for on `agreement`, acting for `membership`'s organisation now: the
    body when they act for the body concerned, the lead when they are a member of the owning
    organisation; None otherwise (the APCC secretariat; a member of the body acting for
    another organisation)."""
    viewer = Viewer.of(by)
    if membership is not None and membership.organisation_id == agreement.body.organisation_id:
        return Side.BODY if viewer.is_member_of_body(agreement.body) else None
    if viewer.is_member_of(agreement.policy.owner_id):
        return Side.LEAD
    return None


def _acting_side(
    agreement: ImplementationAgreement, by: User, membership: Membership | None
) -> str:
    """The side `by` acts for, or why they may not act, in words for the page."""
    side = side_of(agreement, by, membership)
    if side is not None:
        return side
    viewer = Viewer.of(by)
    if viewer.is_member_of_body(agreement.body):
        acting = policing_body_of(membership)
        raise ValidationError(
            _(
                "This role was proposed to %(body)s, and you are acting for %(acting)s. Switch "
                "to %(body)s to act on it."
            )
            % {
                "body": agreement.body.organisation.name,
                "acting": acting.organisation.name
                if acting is not None
                else (membership.organisation.name if membership else _("no organisation")),
            }
        )
    if viewer.is_secretariat:
        raise ValidationError(
            _("The APCC secretariat reads implementation agreements but does not act on them.")
        )
    raise PermissionDenied


def _check_turn(agreement: ImplementationAgreement, side: str) -> None:
    if agreement.state == AgreementState.AGREED:
        raise ValidationError(_("This role has been agreed, so its terms can no longer change."))
    if agreement.state == AgreementState.DECLINED:
        raise ValidationError(
            _("%(body)s declined this role. The policy lead may propose a new one.")
            % {"body": agreement.body.organisation.name}
        )
    if agreement.state == AgreementState.WITHDRAWN:
        raise ValidationError(_("The policy lead withdrew this proposal."))
    if agreement.turn != side:
        if side == Side.BODY:
            raise ValidationError(
                _(
                    "It is the policy lead's turn: %(body)s proposed changes and the lead has "
                    "not answered yet."
                )
                % {"body": agreement.body.organisation.name}
            )
        raise ValidationError(
            _("It is the turn of %(body)s: it has not answered the proposal yet.")
            % {"body": agreement.body.organisation.name}
        )


def body_turn_check(
    agreement: ImplementationAgreement, by: User, membership: Membership | None
) -> None:
    """Refuse unless `by`, acting for the body concerned, may answer the proposal now."""
    check_not_screened_out(agreement.policy, by, "answer an implementation role")
    side = _acting_side(agreement, by, membership)
    if side != Side.BODY:
        raise ValidationError(
            _("Only %(body)s answers this proposal.") % {"body": agreement.body.organisation.name}
        )
    _check_turn(agreement, Side.BODY)
    # Answering commits the body, so it is for those who submit its responses: the
    # commissioner, or staff the commissioner has delegated to (DESIGN.md section 6).
    require(
        rules.has_perm(ANSWER_FOR_BODY, by, agreement.body),
        _(
            "Only the commissioner of %(body)s, or staff the commissioner has delegated to, "
            "can answer for the body. You can add a comment for them below."
        )
        % {"body": agreement.body.organisation.name},
    )


def lead_turn_check(agreement: ImplementationAgreement, by: User) -> None:
    """Refuse unless `by`, a policy lead of the owning organisation, may act on the terms
    now: accept the body's changes or revise."""
    require_permission(LEAD, by, agreement)
    check_not_screened_out(agreement.policy, by, "change an implementation role")
    _check_turn(agreement, Side.LEAD)


def withdraw_check(agreement: ImplementationAgreement, by: User) -> None:
    """Refuse unless the lead may withdraw: before it is agreed, declined or withdrawn."""
    require_permission(LEAD, by, agreement)
    check_not_screened_out(agreement.policy, by, "withdraw an implementation role")
    if agreement.is_final:
        _check_turn(agreement, Side.LEAD)


def _active(membership: Membership | None, by: User) -> None:
    """A membership ended since the request began acts for nobody (asked by every write
    that acts for the organisation of `membership`; the pages' checks need not)."""
    if membership is not None and not membership_is_active(membership, by):
        raise PermissionDenied


def _lock(agreement: ImplementationAgreement) -> ImplementationAgreement:
    return lock(agreement, "policy__owner", "body__organisation")


def _settle(agreement: ImplementationAgreement, state: str, by: User, reason: str) -> None:
    now = timezone.now()
    agreement.state = state
    agreement.settled_at = now  # every state settled on is final
    agreement._change_reason = reason  # type: ignore[attr-defined]
    save(agreement, by, ["state", "settled_at"], updated_at=now, clean=False)
