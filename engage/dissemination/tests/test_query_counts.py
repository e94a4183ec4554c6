"""The status page (table and map), the request page and the lists run a fixed number of
queries, the same at ten times the bodies' records."""

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from engage.dissemination.models import DisseminationConfirmation, DisseminationRequest
from engage.engagements.tests.conftest import open_engagement

from .conftest import confirm, in_days, make_request

pytestmark = pytest.mark.django_db

# Every request costs 4 queries before the page's own (session, user, memberships,
# authenticator); a member of a policing body adds one for the bodies and groups (FACTS).
REQUEST = 4
FACTS = 1
counter = itertools.count()


def add_rows(personas, policy, victims, target: DisseminationRequest, scale: int) -> None:
    """`scale` more requests on engagements to the Victims group, Gwent's confirmed, Kent's
    overdue on every other one; and `scale` more bodies' answers on `target` (a request to
    every body)."""
    for _ in range(scale):
        engagement = open_engagement(personas, policy, groups=[victims])
        request = make_request(engagement, personas.moj_lead)
        confirm(request, personas.gwent_staff)
        if next(counter) % 2:
            DisseminationRequest.objects.filter(pk=request.pk).update(due_on=in_days(-1))
    waiting = target.confirmations.filter(outcome="").order_by("pk")[:scale]
    DisseminationConfirmation.objects.filter(
        pk__in=list(waiting.values_list("pk", flat=True))
    ).update(
        outcome="done",
        channel="website",
        to_whom="The public",
        done_on=timezone.localdate(),
        link="https://example.org/news",
        confirmed_by=personas.gwent_staff,
        confirmed_at=timezone.now(),
    )


# (page, persona): budget.
CASES = {
    # request (joined), the log, the person's own row (none: not a body), the rows, the map
    ("status", "moj_lead"): REQUEST + 5,
    ("status", "secretariat"): REQUEST + 5,
    ("detail", "moj_lead"): REQUEST + 4,
    ("detail", "gwent_staff"): REQUEST + FACTS + 4,
    # page count, page rows (request and engagement joined), the body acted for
    ("asked", "gwent_staff"): REQUEST + FACTS + 3,
    ("made", "moj_lead"): REQUEST + 2,
}


@pytest.fixture
def target(personas, policy):
    engagement = open_engagement(personas, policy, route="all_bodies")
    request = make_request(engagement, personas.moj_lead)
    confirm(request, personas.gwent_staff)
    return request


@pytest.mark.parametrize(("page", "persona"), CASES)
def test_query_count_is_pinned_and_constant(
    personas, client_for, policy, victims, target, django_assert_num_queries, page, persona
):
    add_rows(personas, policy, victims, target, 1)
    client = client_for(getattr(personas, persona))
    if page in ("status", "detail"):
        url = reverse(f"dissemination:{page}", args=[target.public_id])
    else:
        url = reverse(f"dissemination:{page}")

    with django_assert_num_queries(CASES[(page, persona)]):
        small = client.get(url)
    add_rows(personas, policy, victims, target, 10)
    with django_assert_num_queries(CASES[(page, persona)]):
        large = client.get(url)
    assert small.status_code == large.status_code == 200
    if page == "status":
        assert large.content.count(b"Done</strong>") > small.content.count(b"Done</strong>")
    if page in ("asked", "made"):
        assert len(large.content) > len(small.content)
