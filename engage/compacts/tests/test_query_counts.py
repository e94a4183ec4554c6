"""The Compact working page and a Compact's page run a fixed number of queries, the same at ten
times the Compacts and signatures."""

import itertools

import pytest
from django.urls import reverse

from engage.accounts.models import Organisation
from engage.compacts.models import Compact, CompactSignatory
from engage.directory.models import PolicingBody

from .conftest import days_ago

pytestmark = pytest.mark.django_db

counter = itertools.count()

# Every request costs queries before the page's own (session, user, memberships; the
# authenticator for a protocol member).
CASES = {
    # bodies, compacts and their bodies (2), body signatures, the map; the list's count, page
    # and its bodies (3)
    ("list", "vcs_member"): 11,
    ("list", "gwent_staff"): 12,
    # the Compact with its bodies (2), signatories, history (2)
    ("detail", "vcs_member"): 8,
    ("detail", "gwent_staff"): 9,
}


def add_compacts(scale: int, target: Compact) -> None:
    """`scale` Compacts, each covering two bodies and signed by both, and `scale` more
    signatures on `target`."""
    bodies = list(PolicingBody.objects.select_related("organisation").order_by("pk"))
    voluntary = []
    for _ in range(scale):
        n = next(counter)
        first, second = bodies[n % len(bodies)], bodies[(n + 7) % len(bodies)]
        compact = Compact.objects.create(
            title=f"Compact {n}", area=f"Area {n}", agreed_on=days_ago(900)
        )
        compact.bodies.set([first, second])
        for signer in (first, second):
            CompactSignatory.objects.create(
                compact=compact, organisation=signer.organisation, signed_on=days_ago(800 - n)
            )
        organisation = Organisation.objects.create(
            slug=f"charity-{n}", name=f"Charity {n}", kind="voluntary"
        )
        voluntary.append(organisation)
        CompactSignatory.objects.create(
            compact=target, organisation=organisation, signed_on=days_ago(10)
        )


@pytest.mark.parametrize(("page", "persona"), CASES)
def test_query_count_is_pinned_and_constant(
    personas, client_for, wy_compact, django_assert_num_queries, page, persona
):
    add_compacts(1, wy_compact)
    client = client_for(getattr(personas, persona))
    if page == "list":
        url = reverse("compacts:list")
    else:
        url = reverse("compacts:detail", args=[wy_compact.public_id])
    with django_assert_num_queries(CASES[(page, persona)]):
        small = client.get(url)
    add_compacts(10, wy_compact)
    with django_assert_num_queries(CASES[(page, persona)]):
        large = client.get(url)
    assert small.status_code == large.status_code == 200
    assert len(large.content) > len(small.content)
