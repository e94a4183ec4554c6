"""Engagement fixtures: an MoJ policy that merits engagement, a screened-out one, the Victims
standing group (Gwent leads, Kent is a member), and engagements at each step of the journey,
all made through the services."""

import datetime

import pytest
from django.utils import timezone

from engage.accounts.models import Organisation
from engage.directory.models import StandingGroup
from engage.engagements import services
from engage.engagements.models import Kind
from engage.policies.models import Stage, TriageOutcome

from .factories import PolicyFactory

TODAY = timezone.localdate


@pytest.fixture
def moj(personas):
    return Organisation.objects.get(slug="moj")


@pytest.fixture
def victims(personas):
    return StandingGroup.objects.get(slug="victims")


@pytest.fixture
def policy(personas):
    return PolicyFactory(
        created_by=personas.moj_lead, policy_leads=[personas.moj_lead], stage=Stage.DEVELOPMENT
    )


@pytest.fixture
def screened_policy(personas):
    return PolicyFactory(
        created_by=personas.moj_lead,
        policy_leads=[personas.moj_lead],
        triage_outcome=TriageOutcome.SCREENED_OUT,
        merits_engagement=True,
        national_security=True,
    )


def engagement_fields(**overrides) -> dict:
    today = TODAY()
    fields = {
        "kind": Kind.CONSULTATION,
        "title": "Victims code: local commissioning",
        "body": "How would the new code change what you commission locally?",
        "opens_on": today,
        "response_deadline": today + datetime.timedelta(days=21),
        "asks_response": True,
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def draft(personas, policy):
    return services.engagement_create(policy=policy, by=personas.moj_lead, **engagement_fields())


@pytest.fixture
def awaiting(personas, draft, victims):
    services.question_add(
        engagement=draft, by=personas.moj_lead, text="What would change?", kind="free_text"
    )
    return services.engagement_route(
        engagement=draft, by=personas.moj_lead, route="groups", groups=[victims]
    )


@pytest.fixture
def opened(personas, awaiting):
    return services.engagement_confirm_routing(engagement=awaiting, by=personas.secretariat)


def open_engagement(personas, policy, *, route="groups", groups=(), also_apace=False, **overrides):
    """Create, route and confirm an engagement; all-bodies routes get the APCC's agreement."""
    engagement = services.engagement_create(
        policy=policy, by=personas.moj_lead, **engagement_fields(**overrides)
    )
    if route == "all_bodies":
        ask = services.wider_route_request(
            engagement=engagement, by=personas.moj_lead, request="A national change."
        )
        services.wider_route_decide(
            wider_request=ask, by=personas.secretariat, decision="agreed", advice="Go ahead."
        )
    services.engagement_route(
        engagement=engagement,
        by=personas.moj_lead,
        route=route,
        groups=list(groups),
        also_apace=also_apace,
    )
    return services.engagement_confirm_routing(engagement=engagement, by=personas.secretariat)
