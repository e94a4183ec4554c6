"""Fixtures for the clarification tests: an MoJ consultation open to the Victims standing
group (Gwent leads it, Kent is a member, Dorset is in no group) and a question Gwent's staff
asked about it, all made through the services. The policy and group fixtures are the
engagement tests' own, imported here so pytest finds them."""

import pytest

from engage.accounts.models import Membership, User
from engage.clarifications import services
from engage.clarifications.models import ClarificationRequest
from engage.engagements.tests.conftest import draft, moj, open_engagement, policy, victims

__all__ = ["draft", "moj", "policy", "victims"]  # fixtures, for pytest

QUESTION = "Does the new code cover commissioned services for children?"
ANSWER = "Yes: section 4 covers them, from April."


def membership_of(user: User, slug: str | None = None) -> Membership:
    memberships = Membership.objects.active().filter(user=user).select_related("organisation")
    if slug is not None:
        memberships = memberships.filter(organisation__slug=slug)
    return memberships.get()


def ask(engagement, user, question: str = QUESTION, document=None) -> ClarificationRequest:
    return services.clarification_ask(
        engagement=engagement,
        membership=membership_of(user),
        by=user,
        question=question,
        document=document,
    )


@pytest.fixture
def consultation(personas, policy, victims):
    return open_engagement(personas, policy, groups=[victims])


@pytest.fixture
def asked(personas, consultation) -> ClarificationRequest:
    return ask(consultation, personas.gwent_staff)


@pytest.fixture
def answered(personas, asked) -> ClarificationRequest:
    return services.clarification_answer(clarification=asked, by=personas.moj_lead, answer=ANSWER)


@pytest.fixture
def published(personas, answered) -> ClarificationRequest:
    return services.clarification_publish(
        clarification=answered,
        by=personas.moj_lead,
        question="Does the code cover children's services?",
        answer=ANSWER,
    )
