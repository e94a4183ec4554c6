"""The release pages, and the engagement page's release panel, run a fixed number of queries,
the same at ten times the rows."""

import itertools

import pytest
from django.urls import reverse

from engage.accounts.models import Organisation
from engage.directory.models import PolicingBody
from engage.documents.models import Document
from engage.releases.models import Decision, ReleaseRequest

from .conftest import ask, grant

counter = itertools.count()

# Every request costs 4 queries before the page's own (session, user, memberships,
# authenticator); a member of a policing body adds 1 on pages that decide access (its bodies
# and groups: engage.accounts.viewer).
REQUEST = 4
FACTS = 1
BUDGETS = {
    # page count, page rows (engagement, document, body, people joined)
    ("incoming", "moj_lead"): REQUEST + 2,
    # the body acted for, page count, page rows
    ("ours", "gwent_staff"): REQUEST + FACTS + 3,
    # request, access log insert, the label in force for the body, history
    ("detail", "moj_lead"): REQUEST + 4,
    ("detail", "gwent_staff"): REQUEST + FACTS + 4,
    # request, access log insert
    ("decide", "moj_lead"): REQUEST + 2,
}


def add_rows(personas, engagement, scale: int) -> None:
    """Requests from other bodies, decided and pending, on the engagement and documents."""
    kent = PolicingBody.objects.get(organisation=Organisation.objects.get(slug="kent"))
    for _ in range(3 * scale):
        n = next(counter)
        document = Document.objects.create(
            engagement=engagement, title=f"Annex {n}", created_by=personas.moj_lead
        )
        for decision in (Decision.PENDING, Decision.REFUSED):
            ReleaseRequest.objects.create(
                engagement=engagement,
                document=document,
                body=kent,
                requested_by=personas.kent_commissioner,
                from_label="amber_strict",
                to_label="amber",
                with_whom="Partners",
                why="Row",
                decision=decision,
                decided_by=personas.moj_lead if decision != Decision.PENDING else None,
                decided_at=None if decision == Decision.PENDING else engagement.opened_at,
                reason="Row",
            )
        own = ReleaseRequest.objects.create(
            engagement=engagement,
            document=document,
            body=PolicingBody.objects.get(organisation__slug="gwent"),
            requested_by=personas.gwent_staff,
            from_label="amber_strict",
            to_label="green",
            with_whom="Partners",
            why="Row",
        )
        grant(personas, own)


@pytest.mark.parametrize(("page", "persona"), BUDGETS)
def test_query_count_is_pinned_and_constant_as_rows_grow(
    personas, client_for, opened, django_assert_num_queries, page, persona
):
    target = ask(personas, opened)
    url = reverse(
        f"releases:{page}", args=[target.public_id] if page in ("detail", "decide") else []
    )
    client = client_for(getattr(personas, persona))
    add_rows(personas, opened, 1)
    with django_assert_num_queries(BUDGETS[(page, persona)]):
        small = client.get(url)
    add_rows(personas, opened, 10)
    with django_assert_num_queries(BUDGETS[(page, persona)]):
        large = client.get(url)
    assert small.status_code == large.status_code == 200
    if page in ("incoming", "ours"):
        assert len(large.content) > len(small.content)


@pytest.mark.parametrize("persona", ["moj_lead", "gwent_staff"])
def test_the_engagement_panel_is_constant_as_requests_grow(personas, client_for, opened, persona):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    grant(personas, ask(personas, opened))
    url = reverse("engagements:detail", args=[opened.public_id])
    client = client_for(getattr(personas, persona))
    add_rows(personas, opened, 1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add_rows(personas, opened, 10)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large)
