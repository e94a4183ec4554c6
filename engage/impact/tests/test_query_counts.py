"""The evidence list, the case page, the case PDF and the sector view run a fixed number of
queries, the same at ten times the evidence, outcomes, priorities, organisations and activity."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engage.accounts.models import Organisation, OrganisationKind
from engage.directory.models import PriorityTheme
from engage.impact.models import EvidenceOutcome, ImpactEvidence
from engage.sector.models import Activity, OrganisationProfile

from .conftest import VICTIMS, priority, record

pytestmark = pytest.mark.django_db

# Every request costs 3 queries before the page's own (session, user, memberships); a member
# of a protocol organisation (a policing body) adds one for the authenticator (MFA).
REQUEST = 3
MFA = 1
counter = itertools.count()


def add_rows(personas, leeds, plan, body, scale: int) -> None:
    """`scale` more priorities on the plan, `scale` more evidence records (shared, three
    outcomes each), and `scale` more voluntary organisations serving the area, each with a
    profile on the victims theme, shared evidence and shared activity."""
    victims = PriorityTheme.objects.get(slug=VICTIMS)
    for _ in range(scale):
        n = next(counter)
        extra = priority(plan, VICTIMS, f"Extra priority {n}", 10 + n)
        evidence = record(personas, leeds, extra, shared=True, title=f"Evidence {n}")
        EvidenceOutcome.objects.create(
            evidence=evidence, description="More", measure="M", result="1", position=3
        )
        other = Organisation.objects.create(
            slug=f"charity-{n}", name=f"Charity {n}", kind=OrganisationKind.VOLUNTARY
        )
        other.areas_served.add(body)
        OrganisationProfile.objects.create(organisation=other).themes.add(victims)
        shared = ImpactEvidence.objects.create(
            organisation=other,
            body=body,
            priority=extra,
            title=f"Their evidence {n}",
            starts_on=evidence.starts_on,
            ends_on=evidence.ends_on,
            shared_at=timezone.now(),
        )
        EvidenceOutcome.objects.create(evidence=shared, description="Theirs", position=1)
        Activity.objects.create(
            organisation=other,
            body=body,
            kind="meeting",
            happened_on=timezone.localdate(),
            participants="Director",
            summary="Met",
            shared_at=timezone.now(),
        )


def count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


# page -> budget.
BUDGETS = {
    # evidence bodies (areas served), themes, count, page rows
    "evidence_list": REQUEST + 4,
    # case (joined: organisation, profile, body), plan, priorities, evidence, outcomes
    "case": REQUEST + 5,
    # as the page, and the access log entry
    "case_pdf": REQUEST + 6,
}


@pytest.mark.parametrize("page", list(BUDGETS))
def test_the_organisation_s_pages_run_a_fixed_number_of_queries(
    client_for, personas, leeds, wy_plan, west_yorkshire, shared_case, shared_evidence, page
):
    client = client_for(personas.vcs_member)
    path = (
        reverse("impact:evidence_list")
        if page == "evidence_list"
        else reverse(f"impact:{page}", args=[shared_case.public_id])
    )
    add_rows(personas, leeds, wy_plan, west_yorkshire, 2)
    small = count(client, path)
    add_rows(personas, leeds, wy_plan, west_yorkshire, 20)
    large = count(client, path)
    assert small == large == BUDGETS[page]


# the body acted for, plan, priorities, organisations (profile joined), their themes, activity
# counts, evidence, outcomes
SECTOR_BUDGET = REQUEST + MFA + 8


def test_the_sector_view_runs_a_fixed_number_of_queries(
    client_for, personas, leeds, wy_plan, west_yorkshire, wy_member, shared_evidence
):
    client = client_for(wy_member)
    path = reverse("impact:sector_view")
    add_rows(personas, leeds, wy_plan, west_yorkshire, 2)
    small = count(client, path)
    add_rows(personas, leeds, wy_plan, west_yorkshire, 20)
    large = count(client, path)
    assert small == large == SECTOR_BUDGET
