"""The status page, the body's list, the owner's list and the agreement page run a fixed
number of queries, the same at ten times the bodies' records (agreements, declined ones
proposed anew, milestones and their updates)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from engage.directory.models import PolicingBody
from engage.implementation.models import (
    AgreementEvent,
    AgreementState,
    EventKind,
    ImplementationAgreement,
    Milestone,
    MilestoneStatus,
    MilestoneUpdate,
    Side,
)

from .conftest import ROLE, accept, add_milestone, in_days, propose, update

pytestmark = pytest.mark.django_db

# Every request costs 4 queries before the page's own (session, user, memberships,
# authenticator); a member of a policing body adds one for the bodies and groups (FACTS).
REQUEST = 4
FACTS = 1


def add_rows(personas, policy, scale: int) -> None:
    """For `scale` bodies other than the personas': an agreed role with three milestones
    (one done, one at risk, one overdue) and each milestone's updates; and for each a
    declined role before it (proposed anew). Written directly, for volume; Kent's own role
    goes through the services."""
    lead = personas.moj_lead
    bodies = list(
        PolicingBody.objects.exclude(
            organisation__slug__in=["kent", "gwent", "dorset", "surrey"]
        ).order_by("pk")
    )
    taken = set(
        ImplementationAgreement.objects.filter(policy=policy).values_list("body_id", flat=True)
    )
    fresh = [b for b in bodies if b.pk not in taken][:scale]
    now = timezone.now()
    for body in fresh:
        for state in (AgreementState.DECLINED, AgreementState.AGREED):
            agreement = ImplementationAgreement.objects.create(
                policy=policy,
                body=body,
                role=ROLE,
                due_on=in_days(60),
                proposed_by=lead,
                state=state,
                settled_at=now,
            )
            AgreementEvent.objects.create(
                agreement=agreement, kind=EventKind.PROPOSED, side=Side.LEAD, by=lead
            )
        for status, days in (
            (MilestoneStatus.DONE, 5),
            (MilestoneStatus.AT_RISK, 10),
            (MilestoneStatus.ON_TRACK, -2),
        ):
            milestone = Milestone.objects.create(
                agreement=agreement,
                title="Step",
                due_on=in_days(days),
                status=status,
                added_by=lead,
                added_side=Side.LEAD,
            )
            MilestoneUpdate.objects.create(milestone=milestone, status=status, by=lead, side="lead")


def kent_role(personas, policy):
    agreement = propose(personas, policy, "kent")[0]
    accept(agreement, personas.kent_commissioner)
    milestone = add_milestone(agreement, personas.kent_commissioner)
    update(milestone, personas.moj_lead, MilestoneStatus.AT_RISK, "Chair away.")
    propose(personas, policy, "gwent")
    return agreement


# (page, persona): budget.
CASES = {
    # the policy; the log; the agreements (milestones counted); the bodies; the map's
    # forces (whether the lead may propose asks nothing more)
    ("status", "moj_lead"): REQUEST + 5,
    ("status", "secretariat"): REQUEST + 5,
    # the body acted for; the page count; the page rows
    ("ours", "kent_commissioner"): REQUEST + FACTS + 3,
    ("proposed", "moj_lead"): REQUEST + 2,
    ("proposed", "secretariat"): REQUEST + 2,
    # the agreement; the log; the events; the milestones; their updates
    ("detail", "moj_lead"): REQUEST + 5,
    ("detail", "kent_commissioner"): REQUEST + FACTS + 5,
}


@pytest.mark.parametrize(("page", "persona"), CASES)
def test_query_count_is_pinned_and_constant(
    personas, client_for, policy, django_assert_num_queries, page, persona
):
    kent = kent_role(personas, policy)
    add_rows(personas, policy, 1)
    client = client_for(getattr(personas, persona))
    if page == "status":
        target = reverse("implementation:status", args=[policy.public_id])
    elif page == "detail":
        target = reverse("implementation:detail", args=[kent.public_id])
    else:
        target = reverse(f"implementation:{page}")

    with django_assert_num_queries(CASES[(page, persona)]):
        small = client.get(target)
    add_rows(personas, policy, 10)
    # Kent's own role grows too: ten more milestones, each updated.
    for n in range(10):
        milestone = add_milestone(kent, personas.kent_commissioner, title=f"Step {n}")
        update(milestone, personas.moj_lead, MilestoneStatus.ON_TRACK, "Going.")
    with django_assert_num_queries(CASES[(page, persona)]):
        large = client.get(target)
    assert small.status_code == large.status_code == 200
    if page in ("status", "proposed", "detail"):
        assert len(large.content) > len(small.content)
