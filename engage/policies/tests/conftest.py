"""Fixtures for the policy register: MoJ policies, a colleague of the MoJ lead, and a helper
that opens an engagement on a policy (built directly: the engagement services belong to the
engagements app)."""

from datetime import date

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from engage.accounts.models import Membership, Organisation, Role, User
from engage.conftest import PASSWORD, TOTP_SECRET
from engage.directory.models import PriorityTheme, StandingGroup
from engage.engagements.models import Engagement
from engage.engagements.services import audience_fix
from engage.policies import services
from engage.policies.models import Policy, Stage


@pytest.fixture
def moj(personas) -> Organisation:
    return Organisation.objects.get(slug="moj")


@pytest.fixture
def moj_colleague(personas, moj) -> User:
    """A member of the MoJ who is not a policy lead: sees the register, cannot change it."""
    user = User.objects.create_user(
        email="colleague@moj.example.org", password=PASSWORD, full_name="Chris Colleague"
    )
    Membership.objects.create(user=user, organisation=moj, role=Role.STAFF)
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def themes(reference_data) -> list[PriorityTheme]:
    return list(PriorityTheme.objects.order_by("name")[:3])


@pytest.fixture
def make_policy(personas, moj):
    def make(**kwargs) -> Policy:
        kwargs.setdefault("owner", moj)
        kwargs.setdefault("title", "Victims' code reform")
        kwargs.setdefault("summary", "A new code of practice for victims of crime.")
        kwargs.setdefault("created_by", personas.moj_lead)
        return services.policy_create(**kwargs)

    return make


@pytest.fixture
def policy(make_policy) -> Policy:
    return make_policy(stage=Stage.DEVELOPMENT)


def triage(policy: Policy, by: User, *, merits: bool = True, **grounds: bool) -> Policy:
    """Record a magnitude decision and a screen (no grounds unless given)."""
    services.policy_record_magnitude(policy=policy, merits=merits, reason="Major reform", by=by)
    answers = {
        "sensitive_information": False,
        "prosecutorial_independence": False,
        "judicial_independence": False,
        "national_security": False,
        **grounds,
    }
    return services.policy_screen(policy=policy, by=by, **answers)


@pytest.fixture
def open_engagement(personas):
    """Open an engagement on `policy`, routed to the Victims standing group (Gwent, Kent)."""

    def make(policy: Policy, **kwargs) -> Engagement:
        defaults = {
            "policy": policy,
            "owner": policy.owner,
            "kind": "consultation",
            "title": "Consultation on the victims' code",
            "body": "What would change locally?",
            "opens_on": date(2027, 3, 1),
            "status": "open",
            "route": "groups",
            "opened_at": timezone.now(),
            "stage_at_opening": policy.stage,
            "created_by": personas.moj_lead,
        }
        engagement = Engagement.objects.create(**{**defaults, **kwargs})
        engagement.routed_groups.add(StandingGroup.objects.get(slug="victims"))
        # As `engagement_open` would have fixed it.
        audience_fix(engagement=engagement, at=engagement.opened_at or timezone.now())
        return engagement

    return make
