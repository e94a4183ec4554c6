"""The brief (page and PDF) and the index run a fixed number of queries, the same at ten times
the priorities, contacts, commissioning, routes, key dates and Compacts."""

import itertools

import pytest
from django.urls import reverse

from engage.compacts.models import Compact, CompactSignatory

from .conftest import add_facts, in_days

pytestmark = pytest.mark.django_db

counter = itertools.count()

# Every request costs queries before the page's own: session, user, memberships (and the
# authenticator for members of protocol organisations, a policing body's facts for its members).
CASES = {
    # body, type history, plan, priorities, contacts, commissioning, routes, key dates,
    # Compacts (2)
    ("brief", "vcs_member"): 13,
    ("brief", "gwent_staff"): 14,
    ("pdf", "vcs_member"): 13,
    # regions, bodies, the areas served
    ("index", "vcs_member"): 6,
}


def add_compacts(body, scale: int) -> None:
    for _ in range(scale):
        n = next(counter)
        compact = Compact.objects.create(title=f"Compact {n}", area="Area", agreed_on=in_days(-900))
        compact.bodies.set([body])
        CompactSignatory.objects.create(
            compact=compact, organisation=body.organisation, signed_on=in_days(-800)
        )


@pytest.mark.parametrize(("page", "persona"), CASES)
def test_query_count_is_pinned_and_constant(
    personas, client_for, wy_facts, wy_plan, django_assert_num_queries, page, persona
):
    body = wy_facts
    add_facts(body, wy_plan, 1)
    add_compacts(body, 1)
    client = client_for(getattr(personas, persona))
    url = (
        reverse("briefs:index") if page == "index" else reverse(f"briefs:{page}", args=[body.slug])
    )
    with django_assert_num_queries(CASES[(page, persona)]):
        small = client.get(url)
    add_facts(body, wy_plan, 10)
    add_compacts(body, 10)
    with django_assert_num_queries(CASES[(page, persona)]):
        large = client.get(url)
    assert small.status_code == large.status_code == 200
    if page == "brief":
        assert large.content.count(b"Extra priority") == 11
        assert large.content.count(b"Compact ") > small.content.count(b"Compact ")
