"""Demo content (development only): a local role agreed with a policing body on a policy in
implementation, with two milestones, one at risk. For `seed_demo` to call (engage/demo)."""

import datetime

from django.utils import timezone

from engage.accounts.models import Membership, User
from engage.directory.selectors import policing_body_of
from engage.policies.models import Policy

from . import services
from .models import ImplementationAgreement, MilestoneStatus


def implementation_demo(
    policy: Policy, lead: User, body_membership: Membership, body_user: User
) -> ImplementationAgreement:
    """`lead` (a policy lead of `policy`'s owning organisation) proposes a local role to the
    body `body_membership` acts for; `body_user` (its member) proposes a later date, the lead
    accepts the change; then a milestone from each side, the body's marked at risk. `policy`
    must be in implementation and merit engagement."""
    today = timezone.localdate()
    body = policing_body_of(body_membership)
    if body is None:
        raise ValueError("The membership must be of a policing body.")
    (agreement,) = services.agreement_propose(
        policy=policy,
        by=lead,
        bodies=[body],
        role="Convene the local criminal justice board to plan the roll-out, name a lead "
        "officer and report progress each quarter.",
        due_on=today + datetime.timedelta(days=120),
        support="Implementation guidance, a funded project officer for six months and a "
        "monthly call with the policy team.",
    )
    services.agreement_propose_changes(
        agreement=agreement,
        by=body_user,
        membership=body_membership,
        role=agreement.role,
        due_on=today + datetime.timedelta(days=180),
        support=agreement.support,
        note="Our board next meets in the spring; we need two more months to report.",
    )
    services.agreement_accept_changes(agreement=agreement, by=lead)
    board = services.milestone_add(
        agreement=agreement,
        by=body_user,
        membership=body_membership,
        title="Local board convened and lead officer named",
        due_on=today + datetime.timedelta(days=45),
    )
    services.milestone_update(
        milestone=board,
        by=body_user,
        membership=body_membership,
        status=MilestoneStatus.AT_RISK,
        note="The board's chair has changed; the first meeting may slip.",
    )
    services.milestone_add(
        agreement=agreement,
        by=lead,
        membership=None,
        title="First quarterly progress report",
        due_on=today + datetime.timedelta(days=100),
    )
    agreement.refresh_from_db()
    return agreement
