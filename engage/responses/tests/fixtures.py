"""Fixtures and helpers for the response tests, imported explicitly by the modules that use
them: an MoJ consultation routed to the Victims standing group (Gwent leads it, Kent is a
member, Dorset is in no group) with a free-text and a stance question, and helpers that start,
draft and submit a body's response through the services.

Each fixture is defined as `<name>_fixture` and registered as `<name>`, so a test module
imports `opened_fixture` and its tests take `opened` without shadowing the import.
"""

import pytest

from engage.accounts.models import Membership, User
from engage.directory.models import PolicingBody, StandingGroup
from engage.engagements import services as engagement_services
from engage.engagements.models import Engagement, QuestionKind
from engage.engagements.tests.conftest import engagement_fields
from engage.engagements.tests.factories import PolicyFactory
from engage.policies.models import Policy, Stage
from engage.responses import services
from engage.responses.models import Response, ResponseVersion

FREE_TEXT = "What would the new code change in what you commission locally?"
STANCE = "Do you support three-year grant settlements?"
QUESTIONS = ((FREE_TEXT, QuestionKind.FREE_TEXT), (STANCE, QuestionKind.STANCE))
# Words that appear in exactly one place, so a page can be searched for them.
SUBMITTED_TEXT = "Submitted: we would recommission the advocacy service"
WORKING_TEXT = "Working copy only: a half-formed thought about budgets"
DRAFT_TEXT = "Draft only: staff notes on commissioning gaps"
COMPLETE = {
    1: services.AnswerInput(text=SUBMITTED_TEXT),
    2: services.AnswerInput(stance="support_with_changes", text="With a break clause."),
}


def membership_of(user: User, slug: str | None = None) -> Membership:
    """The person's active membership (of the organisation `slug`, if they have several)."""
    memberships = Membership.objects.active().filter(user=user).select_related("organisation")
    if slug is not None:
        memberships = memberships.filter(organisation__slug=slug)
    return memberships.get()


def body(slug: str) -> PolicingBody:
    return PolicingBody.objects.get(organisation__slug=slug)


def consultation(
    personas,
    policy: Policy,
    *,
    route: str = "groups",
    groups=(),
    also_apace: bool = False,
    questions=QUESTIONS,
    **overrides,
) -> Engagement:
    """An engagement with `questions`, routed and opened through the services."""
    lead = personas.moj_lead
    engagement = engagement_services.engagement_create(
        policy=policy, by=lead, **engagement_fields(**overrides)
    )
    for text, kind in questions:
        engagement_services.question_add(engagement=engagement, by=lead, text=text, kind=kind)
    if route == "all_bodies":
        ask = engagement_services.wider_route_request(
            engagement=engagement, by=lead, request="A change for every area."
        )
        engagement_services.wider_route_decide(
            wider_request=ask, by=personas.secretariat, decision="agreed", advice="Go ahead."
        )
    engagement_services.engagement_route(
        engagement=engagement, by=lead, route=route, groups=list(groups), also_apace=also_apace
    )
    return engagement_services.engagement_confirm_routing(
        engagement=engagement, by=personas.secretariat
    )


def open_consultation(personas, policy: Policy, groups, **overrides) -> Engagement:
    """`consultation` routed to the standing groups `groups`."""
    return consultation(personas, policy, groups=groups, **overrides)


def start(engagement: Engagement, user: User) -> Response:
    return services.response_start(engagement=engagement, membership=membership_of(user), by=user)


def save(response: Response, user: User, answers=None, **perspective) -> Response:
    """Save the working copy from its current revision."""
    return services.response_save_draft(
        response=response,
        by=user,
        revision=response.revision,
        answers=COMPLETE if answers is None else answers,
        **perspective,
    )


def submit(response: Response, user: User) -> ResponseVersion:
    return services.response_submit(response=response, by=user, revision=response.revision)


def submitted(engagement: Engagement, commissioner: User, **perspective) -> Response:
    """A body's response, complete and submitted by its commissioner."""
    response = save(start(engagement, commissioner), commissioner, **perspective)
    submit(response, commissioner)
    return response


@pytest.fixture(name="victims")
def victims_fixture(personas) -> StandingGroup:
    return StandingGroup.objects.get(slug="victims")


@pytest.fixture(name="policy")
def policy_fixture(personas):
    return PolicyFactory(
        created_by=personas.moj_lead, policy_leads=[personas.moj_lead], stage=Stage.DEVELOPMENT
    )


@pytest.fixture(name="opened")
def opened_fixture(personas, policy, victims) -> Engagement:
    """Open, asking for a response, routed to the Victims group: Gwent (lead) and Kent."""
    return consultation(personas, policy, groups=[victims])
