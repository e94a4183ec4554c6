"""Fixtures for the implementation tests: an MoJ policy in implementation (moj_lead leads it)
and a local role proposed to Kent, made through the services."""

import datetime

import pytest

from engage.accounts.models import Membership, User
from engage.directory.models import PolicingBody
from engage.engagements.tests.conftest import victims
from engage.engagements.tests.factories import PolicyFactory
from engage.implementation import services
from engage.implementation.models import ImplementationAgreement, MilestoneStatus, today
from engage.policies.models import Stage

__all__ = ["victims"]  # fixtures, for pytest

ROLE = "Convene the local criminal justice board to plan the roll-out in your area."
SUPPORT = "Guidance, a funded project officer for six months, and a monthly call."


def membership_of(user: User, slug: str | None = None) -> Membership:
    memberships = Membership.objects.active().filter(user=user).select_related("organisation")
    if slug is not None:
        memberships = memberships.filter(organisation__slug=slug)
    return memberships.get()


def body(slug: str) -> PolicingBody:
    return PolicingBody.objects.select_related("organisation").get(organisation__slug=slug)


def in_days(days: int) -> datetime.date:
    return today() + datetime.timedelta(days=days)


def implementation_policy(personas, **overrides):
    fields = {
        "created_by": personas.moj_lead,
        "policy_leads": [personas.moj_lead],
        "stage": Stage.IMPLEMENTATION,
    }
    fields.update(overrides)
    return PolicyFactory(**fields)


def propose(personas, policy, *slugs: str, **overrides) -> list[ImplementationAgreement]:
    fields = {
        "role": ROLE,
        "due_on": in_days(90),
        "support": SUPPORT,
    }
    fields.update(overrides)
    return services.agreement_propose(
        policy=policy, by=personas.moj_lead, bodies=[body(slug) for slug in slugs], **fields
    )


def accept(agreement, user, slug: str | None = None):
    return services.agreement_accept(
        agreement=agreement, by=user, membership=membership_of(user, slug)
    )


def add_milestone(agreement, user, title="Board meets", days=30, slug=None):
    return services.milestone_add(
        agreement=agreement,
        by=user,
        membership=membership_of(user, slug),
        title=title,
        due_on=in_days(days),
    )


def update(milestone, user, status=MilestoneStatus.ON_TRACK, note="", slug=None):
    return services.milestone_update(
        milestone=milestone,
        by=user,
        membership=membership_of(user, slug),
        status=status,
        note=note,
    )


@pytest.fixture
def policy(personas):
    return implementation_policy(personas)


@pytest.fixture
def proposed(personas, policy) -> ImplementationAgreement:
    return propose(personas, policy, "kent")[0]


@pytest.fixture
def agreed(personas, proposed) -> ImplementationAgreement:
    return accept(proposed, personas.kent_commissioner)
