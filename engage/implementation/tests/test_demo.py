"""The demo content the lead engineer's seed calls: an agreed role with two milestones, one
at risk."""

import pytest

from engage.implementation.demo import implementation_demo
from engage.implementation.models import AgreementState, MilestoneStatus, Summary

from .conftest import membership_of

pytestmark = pytest.mark.django_db


def test_the_demo_makes_an_agreed_role_with_a_milestone_at_risk(personas, policy):
    kent = personas.kent_commissioner
    agreement = implementation_demo(policy, personas.moj_lead, membership_of(kent), kent)
    assert agreement.state == AgreementState.AGREED
    assert sorted(agreement.milestones.values_list("status", flat=True)) == [
        MilestoneStatus.AT_RISK,
        MilestoneStatus.NOT_STARTED,
    ]
    assert agreement.summary() == Summary.AT_RISK
    assert agreement.events.count() == 3
