"""Milestones on an agreed role, and their dated updates, from either side."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from engage.accounts.models import Membership, User
from engage.core.services import lock, refresh, require, save
from engage.engagements.services.refusals import check_not_screened_out, records_refusals

from ..models import (
    ImplementationAgreement,
    Milestone,
    MilestoneStatus,
    MilestoneUpdate,
)
from ..notification import notify_milestone_at_risk
from .common import (
    MAX_TITLE,
    _acting_side,
    _active,
    _collect,
    _due_on,
    _lock,
    _optional,
    _readable,
    _text,
)

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
        if status == MilestoneStatus.AT_RISK:
            notify_milestone_at_risk(current, by)
    refresh(milestone, current)
    return update
