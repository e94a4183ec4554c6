"""Writes for implementation agreements: proposing a local role, the turns of the thread
(accept, decline, propose changes; accept the changes, revise, withdraw), milestones and
their updates.

Every function is keyword-only and atomic. It checks who is acting (PermissionDenied), then
the state and the input (ValidationError with a message for the page, keyed by form field
where there is one), and attributes history records to the person acting. A refused write
changes nothing.

Decisions:
- Only a policy in implementation, whose triage found it merits engagement, gets a proposal;
  a screened-out policy gets nothing, ever (refused and recorded: `records_refusals`), and
  nothing more happens on an agreement once its policy is screened out.
- One live agreement (proposed, changes proposed, agreed) per body and policy; proposing to
  several bodies makes one each, in one transaction, or none. After a decline or a
  withdrawal the lead may propose anew (a new agreement; the old one keeps its thread).
- "By when" (the role's and a milestone's) is never before the day it is proposed.
- Turns: while proposed, the body accepts, declines (reasons required) or proposes changes
  (new terms and a note); while changes are proposed, the lead accepts them (agreed on the
  body's terms) or revises (proposed again, with new terms). Acting out of turn is refused
  with a message saying whose turn it is. Agreed, declined and withdrawn are final.
- The body side is the policing body the person acts for now (their current membership),
  never one named in a form: a member of Kent and Gwent acting for Gwent cannot answer for
  Kent. The lead side is a policy lead of the owning organisation for the terms; any member
  of the owning organisation or of the body adds milestones and updates. The APCC
  secretariat reads and never acts.
"""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from engage.accounts.models import Membership, User
from engage.accounts.selectors import membership_is_active
from engage.accounts.viewer import Viewer
from engage.core.labels import Label
from engage.core.services import lock, refresh, require, require_permission, required_text, save
from engage.directory.models import PolicingBody
from engage.directory.selectors import policing_body_of
from engage.engagements.models import LIVE, Engagement, Kind
from engage.engagements.services.refusals import check_not_screened_out, records_refusals
from engage.policies.models import Policy, Stage
from engage.policies.services import policy_can_be_engaged

from .models import (
    AGREEMENT_LABELS,
    LIVE_STATES,
    AgreementEvent,
    AgreementState,
    EventKind,
    ImplementationAgreement,
    Milestone,
    MilestoneStatus,
    MilestoneUpdate,
    Side,
    today,
)
from .rules import LEAD, PROPOSE

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


# Proposing ---------------------------------------------------------------------------------


def agreement_propose_check(policy: Policy, by: User) -> None:
    """Refuse unless a local role may be proposed on `policy` now, in words for the page: a
    policy lead of the owning organisation, a policy in implementation that merits
    engagement and is not screened out. The policy page asks it before offering the link,
    the propose page before its form, and `agreement_propose` again on the locked policy."""
    require_permission(PROPOSE, by, policy)
    check_not_screened_out(policy, by, "propose an implementation role")
    allowed, reason = policy_can_be_engaged(policy)
    require(allowed, reason)
    require(
        policy.stage == Stage.IMPLEMENTATION,
        _(
            "You can agree local roles only for a policy in implementation. This policy is at "
            "the %(stage)s stage."
        )
        % {"stage": policy.get_stage_display().lower()},
    )


def bodies_with_live_agreement(policy: Policy) -> set[int]:
    """The bodies that already have a proposed, changing or agreed role on `policy`."""
    return set(
        ImplementationAgreement.objects.filter(policy=policy, state__in=LIVE_STATES).values_list(
            "body_id", flat=True
        )
    )


def implementation_updates(policy: Policy) -> list[Engagement]:
    """The policy's implementation updates that have reached their audience: what a proposal
    may say it was made in."""
    return list(
        policy.engagements.filter(kind=Kind.IMPLEMENTATION, status__in=LIVE).order_by(
            "-opened_at", "-pk"
        )
    )


@records_refusals
def agreement_propose(
    *,
    policy: Policy,
    by: User,
    bodies: Iterable[PolicingBody],
    role: str,
    due_on: date | None,
    support: str = "",
    label: str = Label.AMBER_STRICT,
    engagement: Engagement | None = None,
) -> list[ImplementationAgreement]:
    """The lead proposes a local role to each of `bodies`: one agreement each, all or none."""
    current = lock(policy, "owner")
    agreement_propose_check(current, by)
    chosen = {body.pk: body for body in bodies}
    role_text, due, support_text, label_value, _bodies = _collect(
        lambda: _text(role, "role", _("Describe the local role")),
        lambda: _due_on(due_on),
        lambda: _optional(support, "support"),
        lambda: _label(label),
        lambda: require(chosen, _("Choose at least one policing body"), field="bodies"),
    )
    live = bodies_with_live_agreement(current)
    taken = sorted(
        (body for pk, body in chosen.items() if pk in live),
        key=lambda body: body.organisation.name,
    )
    require(
        not taken,
        ngettext(
            "%(bodies)s already has a role proposed or agreed on this policy",
            "%(bodies)s already have a role proposed or agreed on this policy",
            len(taken),
        )
        % {"bodies": ", ".join(body.organisation.name for body in taken)},
        field="bodies",
    )
    if engagement is not None:
        require(
            engagement.policy_id == current.pk
            and engagement.kind == Kind.IMPLEMENTATION
            and engagement.status in LIVE,
            _("Choose one of this policy's implementation updates, or none"),
            field="engagement",
        )
    made = []
    now = timezone.now()
    for body in sorted(chosen.values(), key=lambda body: body.organisation.name):
        agreement = ImplementationAgreement(
            policy=current,
            engagement=engagement,
            body=body,
            role=role_text,
            due_on=due,
            support=support_text,
            label=label_value,
            proposed_by=by,
            proposed_at=now,
            updated_at=now,
        )
        agreement._change_reason = "Proposed"  # type: ignore[attr-defined]
        save(agreement, by, clean=False)
        _event(agreement, kind=EventKind.PROPOSED, side=Side.LEAD, by=by, terms=True)
        made.append(agreement)
    return made


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


# Milestones --------------------------------------------------------------------------------


def milestone_check(
    agreement: ImplementationAgreement, by: User, membership: Membership | None
) -> str:
    """The side `by` adds milestones and updates for, if they may now: on an agreed role,
    for the body concerned or the owning organisation. Else why not."""
    check_not_screened_out(agreement.policy, by, "record implementation progress")
    side = _acting_side(agreement, by, membership)
    require(
        agreement.is_agreed,
        _("Milestones are added once the role is agreed. It is %(state)s.")
        % {"state": agreement.get_state_display().lower()},
    )
    return side


@records_refusals
def milestone_add(
    *,
    agreement: ImplementationAgreement,
    by: User,
    membership: Membership | None,
    title: str,
    due_on: date | None,
) -> Milestone:
    """Either side adds a milestone to an agreed role: not started, due on a date no earlier
    than the day the role was proposed."""
    _active(membership, by)
    current = _lock(agreement)
    _readable(current, by)
    side = milestone_check(current, by, membership)
    proposed_on = timezone.localdate(current.proposed_at)
    title_text, due = _collect(
        lambda: _text(title, "title", _("Enter the milestone's title"), MAX_TITLE),
        lambda: _due_on(
            due_on, not_before=proposed_on, missing=_("Enter the milestone's due date")
        ),
    )
    milestone = Milestone(
        agreement=current, title=title_text, due_on=due, added_by=by, added_side=side
    )
    milestone._change_reason = "Added"  # type: ignore[attr-defined]
    save(milestone, by, clean=False)
    MilestoneUpdate.objects.create(
        milestone=milestone, status=milestone.status, note="", by=by, side=side
    )
    return milestone


@records_refusals
def milestone_update(
    *,
    milestone: Milestone,
    by: User,
    membership: Membership | None,
    status: str,
    note: str = "",
) -> MilestoneUpdate:
    """Either side records progress on a milestone: its status now and a note. An update
    that changes nothing (the same status, no note) is refused."""
    _active(membership, by)
    current = lock(milestone, "agreement__policy__owner", "agreement__body__organisation")
    agreement = current.agreement
    _readable(agreement, by)
    side = milestone_check(agreement, by, membership)
    require(
        status in MilestoneStatus.values,
        _("Choose the milestone's status from the list"),
        field="status",
    )
    text = _optional(note, "note")
    require(
        status != current.status or text,
        _("Change the status or add a note about progress"),
        field="note",
    )
    update = MilestoneUpdate.objects.create(
        milestone=current, status=status, note=text, by=by, side=side
    )
    if status != current.status:
        current.status = status
        current._change_reason = "Status updated"  # type: ignore[attr-defined]
        save(current, by, ["status"], updated_at=update.at, clean=False)
    refresh(milestone, current)
    return update
