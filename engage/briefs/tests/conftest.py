"""Fixtures for the brief tests: demo-like facts for West Yorkshire (a sample plan with three
priorities, people in four roles, commissioning with an open, an upcoming and a closed funding
round, two ways to engage, key dates either side of today) and the West Yorkshire Compact."""

import datetime
import itertools

import pytest
from django.utils import timezone

from engage.compacts.demo import seed_compacts_demo
from engage.directory.models import (
    BodyContact,
    Commissioning,
    ContactRole,
    EngagementRoute,
    KeyDate,
    PlanPriority,
    PolicePlan,
    PolicingBody,
    PriorityTheme,
)

counter = itertools.count()


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def add_facts(body: PolicingBody, plan: PolicePlan, scale: int) -> None:
    """`scale` more priorities, contacts, commissioning, routes and key dates for `body`."""
    theme = PriorityTheme.objects.order_by("pk")[0]
    for _ in range(scale):
        n = next(counter)
        PlanPriority.objects.create(
            plan=plan, body=body, theme=theme, title=f"Extra priority {n}", position=10 + n
        )
        BodyContact.objects.create(
            body=body, role=ContactRole.OTHER, name=f"Extra person {n}", position=10 + n
        )
        Commissioning.objects.create(
            body=body,
            kind="other",
            title=f"Extra fund {n}",
            opens_on=in_days(-1),
            closes_on=in_days(n + 1),
        )
        EngagementRoute.objects.create(body=body, kind="forum", title=f"Extra forum {n}")
        KeyDate.objects.create(body=body, title=f"Extra date {n}", on=in_days(n + 100))


@pytest.fixture
def west_yorkshire(reference_data) -> PolicingBody:
    return PolicingBody.objects.select_related("organisation", "force").get(
        organisation__slug="west-yorkshire"
    )


@pytest.fixture
def wy_plan(personas, west_yorkshire) -> PolicePlan:
    plan = PolicePlan.objects.create(
        body=west_yorkshire,
        title="West Yorkshire Police and Crime Plan 2024 to 2028",
        starts_on=datetime.date(2024, 4, 1),
        ends_on=datetime.date(2028, 3, 31),
        url="https://example.org/wy-plan",
        published_on=datetime.date(2024, 6, 1),
        is_sample=True,
    )
    themes = {theme.name: theme for theme in PriorityTheme.objects.all()}
    for position, (title, theme) in enumerate(
        [
            ("Supporting victims and witnesses", "Supporting victims and witnesses"),
            ("Safety of women and girls", "Violence against women and girls (VAWG)"),
            ("Safer places and thriving communities", "Neighbourhood policing"),
        ],
        start=1,
    ):
        PlanPriority.objects.create(
            plan=plan,
            body=west_yorkshire,
            theme=themes[theme],
            title=title,
            description=f"What the plan says about {title.lower()}.",
            position=position,
        )
    return plan


@pytest.fixture
def wy_facts(personas, west_yorkshire, wy_plan):
    body = west_yorkshire
    for position, (role, name, route) in enumerate(
        [
            (ContactRole.COMMISSIONER, "Mayor Alex Morgan", "mayor@example.org"),
            (ContactRole.DEPUTY, "Deputy Mayor Sam Patel", "deputy@example.org"),
            (ContactRole.CHIEF_EXECUTIVE, "Jo Chen", ""),
            (ContactRole.COMMISSIONING_LEAD, "Ravi Khan", "commissioning@example.org"),
        ],
        start=1,
    ):
        BodyContact.objects.create(
            body=body, role=role, name=name, contact_route=route, position=position
        )
    Commissioning.objects.create(
        body=body,
        kind="victims_services",
        title="Victims' services",
        description="Specialist support for victims of crime.",
        opens_on=in_days(-10),
        closes_on=in_days(20),
    )
    Commissioning.objects.create(
        body=body, kind="grants", title="Community safety fund", opens_on=in_days(30)
    )
    Commissioning.objects.create(
        body=body,
        kind="reducing_reoffending",
        title="Women's diversion",
        opens_on=in_days(-100),
        closes_on=in_days(-50),
    )
    EngagementRoute.objects.create(
        body=body, kind="forum", title="West Yorkshire VCSE forum", description="Quarterly."
    )
    EngagementRoute.objects.create(
        body=body, kind="consultation", title="Budget consultation", closes_on=in_days(15)
    )
    KeyDate.objects.create(body=body, title="Precept decision", on=in_days(60))
    KeyDate.objects.create(body=body, title="Plan refresh", on=in_days(10))
    KeyDate.objects.create(body=body, title="Last year's budget", on=in_days(-200))
    seed_compacts_demo(by=personas.admin)
    return body
