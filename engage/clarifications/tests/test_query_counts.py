"""The clarification lists and the request page run a fixed number of queries, the same at
ten times the rows."""

import pytest
from django.urls import reverse

from engage.clarifications import services
from engage.engagements.tests.conftest import open_engagement

from .conftest import ask

pytestmark = pytest.mark.django_db

# Every request costs 4 queries before the page's own (session, user, memberships,
# authenticator); a member of a policing body adds one for the bodies and groups (FACTS).
REQUEST = 4
FACTS = 1


def add_rows(personas, policy, victims, scale: int):
    """`scale` engagements, each with a question from Gwent and one from Kent, Gwent's
    answered and published."""
    for _ in range(scale):
        engagement = open_engagement(personas, policy, groups=[victims])
        ask(engagement, personas.kent_commissioner)
        gwent = ask(engagement, personas.gwent_staff)
        services.clarification_answer(clarification=gwent, by=personas.moj_lead, answer="A.")
        services.clarification_publish(
            clarification=gwent, by=personas.moj_lead, question="Q?", answer="A."
        )
    return engagement


# (page, persona): budget. Lists: page count, page rows (engagement and body joined).
CASES = {
    ("received", "moj_lead"): REQUEST + 2,
    ("received", "secretariat"): REQUEST + 2,
    ("asked", "gwent_staff"): REQUEST + FACTS + 3,  # + the body acted for
    # engagement, log, the documents they read there (once: audience.document_ids_read), page
    ("engagement", "kent_commissioner"): REQUEST + FACTS + 1 + 1 + 1 + 2,
    ("detail", "moj_lead"): REQUEST + 2,  # the request (joined), the log
}


@pytest.mark.parametrize(("page", "persona"), CASES)
def test_query_count_is_pinned_and_constant(
    personas, client_for, policy, victims, django_assert_num_queries, page, persona
):
    last = add_rows(personas, policy, victims, 1)
    client = client_for(getattr(personas, persona))
    if page == "engagement":
        target = reverse("clarifications:engagement", args=[last.public_id])
    elif page == "detail":
        first = last.clarifications.order_by("pk").first()
        target = reverse("clarifications:detail", args=[first.public_id])
    else:
        target = reverse(f"clarifications:{page}")

    with django_assert_num_queries(CASES[(page, persona)]):
        small = client.get(target)
    add_rows(personas, policy, victims, 10)
    with django_assert_num_queries(CASES[(page, persona)]):
        large = client.get(target)
    assert small.status_code == large.status_code == 200
    if page in ("received", "asked"):
        assert len(large.content) > len(small.content)
