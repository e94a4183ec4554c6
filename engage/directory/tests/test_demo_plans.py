"""The demonstration's sample plans and published facts (`seed_plans_demo`)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from engage.directory import selectors
from engage.directory.demo_plans import seed_plans_demo
from engage.directory.models import (
    BodyContact,
    Commissioning,
    ContactRole,
    EngagementRoute,
    KeyDate,
    PlanPriority,
    PolicePlan,
    PolicingBody,
    RouteKind,
)

pytestmark = pytest.mark.django_db

MODELS = (PolicePlan, PlanPriority, BodyContact, Commissioning, EngagementRoute, KeyDate)


def counts() -> list[int]:
    return [model.objects.count() for model in MODELS]


def test_the_demo_is_sample_content_and_idempotent(personas):
    seed_plans_demo(by=personas.admin)
    first = counts()
    seed_plans_demo()

    assert counts() == first
    current = PolicePlan.objects.current()
    assert sorted(current.values_list("body__organisation__slug", flat=True)) == [
        "gwent",
        "kent",
        "west-yorkshire",
    ]
    assert all(plan.is_sample for plan in current)
    for plan in current:
        assert 3 <= plan.priorities.count() <= 5
        assert list(plan.priorities.values_list("position", flat=True)) == list(
            range(1, plan.priorities.count() + 1)
        )
    assert PolicePlan.history.filter(history_user=personas.admin).count() == 3


def test_west_yorkshire_publishes_what_the_voluntary_sector_needs(personas, client_for):
    seed_plans_demo()
    west_yorkshire = PolicingBody.objects.get(organisation__slug="west-yorkshire")
    today = timezone.localdate()

    roles = set(BodyContact.objects.filter(body=west_yorkshire).values_list("role", flat=True))
    assert {
        ContactRole.COMMISSIONER,
        ContactRole.DEPUTY,
        ContactRole.CHIEF_EXECUTIVE,
        ContactRole.COMMISSIONING_LEAD,
    } <= roles
    assert all(
        "example.org" in route
        for route in BodyContact.objects.values_list("contact_route", flat=True)
    )
    published = selectors.body_publications(personas.vcs_member, west_yorkshire)
    assert "open" in [item.round_state for item in published.commissioning]
    assert {route.kind for route in published.routes} == {RouteKind.FORUM, RouteKind.CONSULTATION}
    consultation = next(r for r in published.routes if r.kind == RouteKind.CONSULTATION)
    assert consultation.closes_on is not None
    assert consultation.closes_on > today
    assert len(published.key_dates) == 2
    assert BodyContact.objects.filter(body__organisation__slug__in=["gwent", "kent"]).exists()

    html = (
        client_for(personas.vcs_member)
        .get(reverse("directory:plan", args=["west-yorkshire"]))
        .content.decode()
    )
    assert "Sample content" in html
    assert "Tackling violence against women and girls" in html
