"""The turns of the thread: the body accepts, declines or proposes changes; the lead accepts
the changes, revises or withdraws; either side comments."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from engage.accounts.models import Membership, User
from engage.core.services import refresh, require, save
from engage.engagements.services.refusals import check_not_screened_out, records_refusals

from ..models import (
    AgreementEvent,
    AgreementState,
    EventKind,
    ImplementationAgreement,
    Side,
)
from ..notification import notify_implementation_accepted, notify_implementation_proposed
from .common import (
    _acting_side,
    _active,
    _collect,
    _event,
    _label,
    _lock,
    _readable,
    _settle,
    _terms,
    _text,
    body_turn_check,
    lead_turn_check,
    withdraw_check,
)

# The body's turn ---------------------------------------------------------------------------


@records_refusals
def agreement_accept(
    *, agreement: ImplementationAgreement, by: User, membership: Membership | None
) -> ImplementationAgreement:
    """The body accepts the role on the terms proposed: agreed."""
    _active(membership, by)
    current = _lock(agreement)
    _readable(current, by)
    body_turn_check(current, by, membership)
    _settle(current, AgreementState.AGREED, by, "Accepted by the body")
    _event(current, kind=EventKind.ACCEPTED, side=Side.BODY, by=by)
    notify_implementation_accepted(current, by)
    return refresh(agreement, current)


@records_refusals
def agreement_decline(
    *, agreement: ImplementationAgreement, by: User, membership: Membership | None, reason: str
) -> ImplementationAgreement:
    """The body declines the role, saying why: final (the lead may propose anew)."""
    _active(membership, by)
    current = _lock(agreement)
    _readable(current, by)
    body_turn_check(current, by, membership)
    text = _text(reason, "reason", _("Say why your body declines this role"))
    _settle(current, AgreementState.DECLINED, by, "Declined by the body")
    _event(current, kind=EventKind.DECLINED, side=Side.BODY, by=by, note=text)
    return refresh(agreement, current)


@records_refusals
def agreement_propose_changes(
    *,
    agreement: ImplementationAgreement,
    by: User,
    membership: Membership | None,
    role: str,
    due_on: date | None,
    support: str,
    note: str,
) -> ImplementationAgreement:
    """The body proposes other terms, with a note: the lead's turn."""
    _active(membership, by)
    current = _lock(agreement)
    _readable(current, by)
    body_turn_check(current, by, membership)
    (role_text, due, support_text), text = _collect(
        lambda: _terms(role, due_on, support),
        lambda: _text(note, "note", _("Say what you have changed and why")),
    )
    require(
        (role_text, due, support_text) != (current.role, current.due_on, current.support),
        _("Change the role, the date or the support, or accept the proposal as it is"),
    )
    current.role, current.due_on, current.support = role_text, due, support_text
    current.state = AgreementState.CHANGES_PROPOSED
    current._change_reason = "Changes proposed by the body"  # type: ignore[attr-defined]
    save(
        current,
        by,
        ["role", "due_on", "support", "state"],
        updated_at=timezone.now(),
        clean=False,
    )
    _event(current, kind=EventKind.CHANGES_PROPOSED, side=Side.BODY, by=by, note=text, terms=True)
    return refresh(agreement, current)


# The lead's turn ---------------------------------------------------------------------------


@records_refusals
def agreement_accept_changes(
    *, agreement: ImplementationAgreement, by: User
) -> ImplementationAgreement:
    """The lead accepts the body's changes: agreed on the body's terms."""
    current = _lock(agreement)
    _readable(current, by)
    lead_turn_check(current, by)
    _settle(current, AgreementState.AGREED, by, "Changes accepted by the lead")
    _event(current, kind=EventKind.ACCEPTED, side=Side.LEAD, by=by)
    notify_implementation_accepted(current, by)
    return refresh(agreement, current)


@records_refusals
def agreement_revise(
    *,
    agreement: ImplementationAgreement,
    by: User,
    role: str,
    due_on: date | None,
    support: str,
    label: str,
    note: str,
) -> ImplementationAgreement:
    """The lead answers the body's changes with new terms: proposed again, the body's turn."""
    current = _lock(agreement)
    _readable(current, by)
    lead_turn_check(current, by)
    (role_text, due, support_text), label_value, text = _collect(
        lambda: _terms(role, due_on, support),
        lambda: _label(label),
        lambda: _text(note, "note", _("Say what you have changed and why")),
    )
    current.role, current.due_on, current.support = role_text, due, support_text
    current.label = label_value
    current.state = AgreementState.PROPOSED
    current._change_reason = "Revised by the lead"  # type: ignore[attr-defined]
    save(
        current,
        by,
        ["role", "due_on", "support", "label", "state"],
        updated_at=timezone.now(),
        clean=False,
    )
    _event(current, kind=EventKind.REVISED, side=Side.LEAD, by=by, note=text, terms=True)
    notify_implementation_proposed(current, by, revised=True)  # the body's turn again
    return refresh(agreement, current)


@records_refusals
def agreement_withdraw(
    *, agreement: ImplementationAgreement, by: User, reason: str
) -> ImplementationAgreement:
    """The lead withdraws a proposal not yet agreed, saying why: final."""
    current = _lock(agreement)
    _readable(current, by)
    withdraw_check(current, by)
    text = _text(reason, "reason", _("Say why you are withdrawing this proposal"))
    _settle(current, AgreementState.WITHDRAWN, by, "Withdrawn by the lead")
    _event(current, kind=EventKind.WITHDRAWN, side=Side.LEAD, by=by, note=text)
    return refresh(agreement, current)


# Comments ----------------------------------------------------------------------------------


@records_refusals
def agreement_comment(
    *, agreement: ImplementationAgreement, by: User, membership: Membership | None, note: str
) -> AgreementEvent:
    """Either side adds a comment to the thread, whatever the state (a note on progress, a
    question): it changes no terms."""
    _active(membership, by)
    current = _lock(agreement)
    _readable(current, by)
    check_not_screened_out(current.policy, by, "comment on an implementation role")
    side = _acting_side(current, by, membership)
    text = _text(note, "note", _("Enter your comment"))
    return _event(current, kind=EventKind.COMMENT, side=side, by=by, note=text)
