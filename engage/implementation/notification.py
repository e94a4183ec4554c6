"""What an implementation agreement tells people, through the one notification path
(engage.notifications, decision 17): an event recorded in the service's transaction (or by
the overdue sweep, `services.overdue`), then a task that asks the providers below who to tell,
when it runs.

Who reads an agreement is `ImplementationAgreement.visible_to`: the members of the body
concerned (not once the policy is screened out), of the owning organisation, and the APCC
secretariat. The providers tell some of those readers, never anyone else:

- `implementation_proposed` (a proposal, or the lead's revision: the body's turn to answer):
  those who answer for the body, its commissioner and the members it has delegated to submit
  (`responses.submit_for_body`), while it is still the body's turn.
- `implementation_accepted` (the body accepts, or the lead accepts the body's changes): both
  parties, the owning organisation's side (the policy's own leads and the proposer, while
  members of it) and the members of the body, while it is agreed.
- `milestone_at_risk` (a milestone's status set to at risk) and `milestone_overdue` (found by
  the sweep): the same parties, while the milestone is still at risk, or still overdue on the
  same due date and not done.

Each provider is set-based: two queries when evaluated (the item, then the people), whatever
the number of people. Each email names the body and the owning organisation and links to the
agreement, never a title (the policy's title is governed by the policy, not by the
agreement's label: the agreement export treats it as TLP:AMBER+STRICT), its terms, a
milestone's title, a note or a reason.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from engage.accounts.models import Role, User
from engage.accounts.selectors import members
from engage.engagements.audience import policy_leads_of
from engage.notifications.models import Event, EventKind
from engage.notifications.services import event_record
from engage.policies.models import TriageOutcome
from engage.responses.models import SubmissionDelegation

from .models import (
    AgreementState,
    ImplementationAgreement,
    Milestone,
    MilestoneStatus,
)


def _record(
    kind: str,
    agreement: ImplementationAgreement,
    *,
    subject_id: Any,
    by: User | None,
    **context: Any,
) -> Event:
    return event_record(
        kind,
        subject_id=subject_id,
        link=reverse("implementation:detail", args=[agreement.public_id]),
        # No title: the policy's is not the agreement's to tell, whatever its label.
        title="",
        context={"owner": str(agreement.policy.owner), "body": str(agreement.body), **context},
        actor=by,
    )


def notify_implementation_proposed(
    agreement: ImplementationAgreement, by: User, *, revised: bool = False
) -> Event:
    """Record a proposal (or the lead's revision of one), in the caller's transaction."""
    return _record(
        EventKind.IMPLEMENTATION_PROPOSED,
        agreement,
        subject_id=agreement.public_id,
        by=by,
        revised=revised,
    )


def notify_implementation_accepted(agreement: ImplementationAgreement, by: User) -> Event:
    """Record that the role is agreed, in the caller's transaction."""
    return _record(
        EventKind.IMPLEMENTATION_ACCEPTED, agreement, subject_id=agreement.public_id, by=by
    )


def notify_milestone_at_risk(milestone: Milestone, by: User) -> Event:
    """Record that a milestone was marked at risk, in the caller's transaction."""
    return _record(
        EventKind.MILESTONE_AT_RISK,
        milestone.agreement,
        subject_id=milestone.public_id,
        by=by,
        due_on=milestone.due_on.isoformat(),
    )


def notify_milestone_overdue(milestone: Milestone) -> Event:
    """Record that a milestone is past its due date and not done (the sweep's: nobody
    acts). The due date is kept, so that a milestone due again later is told again."""
    return _record(
        EventKind.MILESTONE_OVERDUE,
        milestone.agreement,
        subject_id=milestone.public_id,
        by=None,
        due_on=milestone.due_on.isoformat(),
    )


# Who is told ------------------------------------------------------------------------------


def _screened_out(agreement: ImplementationAgreement) -> bool:
    return agreement.policy.triage_outcome == TriageOutcome.SCREENED_OUT


def _owner_side(agreement: ImplementationAgreement) -> Q:
    """The policy's own leads and the proposer, while members of the owning organisation
    (whose members read every agreement on its policies)."""
    policy = agreement.policy
    leads = policy_leads_of(policy.pk, policy.owner_id)
    proposer = members(policy.owner_id).filter(user_id=agreement.proposed_by_id)
    return Q(pk__in=leads.values("pk")) | Q(pk__in=proposer.values("user_id"))


def _parties(agreement: ImplementationAgreement) -> QuerySet[User]:
    """The owning organisation's side and the body's members (none of the body once the
    policy is screened out: it no longer reads the agreement)."""
    told = _owner_side(agreement)
    if not _screened_out(agreement):
        told |= Q(pk__in=members(agreement.body.organisation_id).values("user_id"))
    return User.objects.filter(told, is_active=True).order_by("pk")


def _agreement_of(event: Event) -> ImplementationAgreement | None:
    return (
        ImplementationAgreement.objects.select_related("policy", "body")
        .filter(public_id=event.subject_id)
        .first()
    )


def _milestone_of(event: Event) -> Milestone | None:
    return (
        Milestone.objects.select_related("agreement__policy", "agreement__body")
        .filter(public_id=event.subject_id)
        .first()
    )


def implementation_proposed_recipients(event: Event) -> QuerySet[User]:
    """The body's commissioner and the members it has delegated to submit, while the
    proposal waits for the body's answer."""
    agreement = _agreement_of(event)
    if agreement is None or agreement.state != AgreementState.PROPOSED or _screened_out(agreement):
        return User.objects.none()
    delegates = SubmissionDelegation.objects.active().filter(body_id=agreement.body_id)
    answering = members(agreement.body.organisation_id).filter(
        Q(role=Role.COMMISSIONER) | Q(user_id__in=delegates.values("delegate_id"))
    )
    return User.objects.filter(is_active=True, pk__in=answering.values("user_id")).order_by("pk")


def implementation_accepted_recipients(event: Event) -> QuerySet[User]:
    """Both parties, while the role is agreed."""
    agreement = _agreement_of(event)
    if agreement is None or agreement.state != AgreementState.AGREED:
        return User.objects.none()
    return _parties(agreement)


def milestone_at_risk_recipients(event: Event) -> QuerySet[User]:
    """Both parties, while the milestone is still at risk."""
    milestone = _milestone_of(event)
    if milestone is None or milestone.status != MilestoneStatus.AT_RISK:
        return User.objects.none()
    return _parties(milestone.agreement)


def milestone_overdue_recipients(event: Event) -> QuerySet[User]:
    """Both parties, while the milestone is not done and still due on the date told (past
    when the event was recorded, so past still: a date moved later is told anew if it
    passes)."""
    milestone = _milestone_of(event)
    if (
        milestone is None
        or milestone.status == MilestoneStatus.DONE
        or event.context.get("due_on") != milestone.due_on.isoformat()
    ):
        return User.objects.none()
    return _parties(milestone.agreement)
