"""The outcome page, and the outcome sections of the engagement and policy pages, run a fixed
number of queries: the same at ten times the responses (and corrections, and outcomes)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from engage.directory.models import PolicingBody
from engage.engagements import services as engagement_services
from engage.outcomes import services
from engage.responses.models import Response
from engage.responses.tests.fixtures import consultation

from .fixtures import closed_consultation, published_outcome

pytestmark = pytest.mark.django_db

# Every request costs 4 queries before the page's own (session, user, memberships, the
# authenticator); a member of a policing body adds one: the bodies and groups of their facts.
REQUEST = 4
FACTS = 1
# The engagement (with whether they read it), its outcome, the access log insert, the notes
# per question, the submitted collective view it links to; the lead adds the outcome's
# publication and corrections.
OUTCOME = {
    "kent_commissioner": REQUEST + FACTS + 5,
    "secretariat": REQUEST + 5,
    "moj_lead": REQUEST + 6,
}


def add_responses(engagement, lead, count: int) -> None:
    """`count` more submitted responses, from bodies that have none yet."""
    bodies = PolicingBody.objects.exclude(responses__engagement=engagement)[:count]
    assert len(bodies) == count
    now = timezone.now()
    Response.objects.bulk_create(
        Response(
            engagement=engagement,
            body=body,
            created_by=lead,
            updated_by=lead,
            submitted_version=1,
            submitted_at=now,
        )
        for body in bodies
    )


def correct(outcome, lead, times: int) -> None:
    for number in range(times):
        outcome.refresh_from_db()
        services.outcome_save(
            engagement=outcome.engagement,
            by=lead,
            revision=outcome.revision,
            heard=outcome.heard,
            changed=f"Correction {outcome.revision}.{number}",
            reason=f"Correction {number}",
        )


@pytest.mark.parametrize("persona", OUTCOME)
def test_the_outcome_page_is_pinned_and_constant_as_responses_grow(
    personas, client_for, policy, django_assert_num_queries, persona
):
    lead = personas.moj_lead
    engagement = consultation(personas, policy, route="all_bodies")
    engagement_services.engagement_close(engagement=engagement, by=lead)
    outcome = published_outcome(engagement, lead)
    client = client_for(getattr(personas, persona))
    url = reverse("outcomes:detail", args=[engagement.public_id])

    add_responses(engagement, lead, 3)
    correct(outcome, lead, 1)
    with django_assert_num_queries(OUTCOME[persona]):
        small = client.get(url)

    add_responses(engagement, lead, 27)  # ten times the responses
    correct(outcome, lead, 9)
    with django_assert_num_queries(OUTCOME[persona]):
        large = client.get(url)

    assert small.status_code == large.status_code == 200
    assert engagement.responses.count() == 30


# The engagement page asks one query for its outcome section (engagements/tests/
# test_query_counts.py pins the page with it); the policy page one for its outcomes: the
# lead's full page (policies/tests/test_query_counts.py), Kent's limited one (the policy, the
# access log, the outcomes); each with one more for the implementation roles panel
# (engage/implementation/panels.py).
POLICY_PAGE = {"moj_lead": REQUEST + 11, "kent_commissioner": REQUEST + FACTS + 4}


@pytest.mark.parametrize("persona", POLICY_PAGE)
def test_the_policy_pages_outcomes_are_one_query_however_many(
    personas, client_for, policy, victims, django_assert_num_queries, persona
):
    client = client_for(getattr(personas, persona))
    url = reverse("policies:detail", args=[policy.public_id])
    for scale in (1, 10):
        for number in range(scale):
            engagement = closed_consultation(personas, policy, [victims])
            published_outcome(engagement, personas.moj_lead, heard=f"Heard {scale}-{number}")
        with django_assert_num_queries(POLICY_PAGE[persona]):
            page = client.get(url).content.decode()
        assert f"Heard {scale}-0" not in page  # listed with links, not their text
        assert page.count(reverse("outcomes:detail", args=[engagement.public_id])) == 1
