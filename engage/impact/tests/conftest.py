"""Fixtures for the impact tests: West Yorkshire's current plan (three priorities, in order),
an earlier West Yorkshire plan since replaced, Gwent's plan (an area Leeds Women's Centre does
not serve), a member of West Yorkshire's policing body, and Leeds Women's Centre's evidence
made through the services. Stored files go to a fresh folder per test."""

import datetime
from decimal import Decimal
from typing import cast

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from engage.accounts.models import Organisation, Role, User
from engage.conftest import TOTP_SECRET
from engage.directory.models import PlanPriority, PolicePlan, PolicingBody, PriorityTheme
from engage.directory.tests.factories import (
    MembershipFactory,
    PlanPriorityFactory,
    PolicePlanFactory,
    UserFactory,
)
from engage.impact import services
from engage.impact.models import ImpactCase, ImpactEvidence

VAWG = "violence-against-women-and-girls-vawg"
NEIGHBOURHOOD = "neighbourhood-policing"
VICTIMS = "supporting-victims-and-witnesses"
MEASURE = "Women reporting they feel safer"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    root = tmp_path / "uploads"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def stored(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def theme(slug: str) -> PriorityTheme:
    return PriorityTheme.objects.get(slug=slug)


def body(slug: str) -> PolicingBody:
    return PolicingBody.objects.select_related("organisation").get(organisation__slug=slug)


def priority(plan: PolicePlan, theme_slug: str, title: str, position: int) -> PlanPriority:
    return cast(
        PlanPriority,
        PlanPriorityFactory(
            plan=plan, body=plan.body, theme=theme(theme_slug), title=title, position=position
        ),
    )


@pytest.fixture
def leeds(personas) -> Organisation:
    return Organisation.objects.get(slug="leeds-womens-centre")


@pytest.fixture
def west_yorkshire(personas) -> PolicingBody:
    return body("west-yorkshire")


@pytest.fixture
def earlier_plan(west_yorkshire) -> PolicePlan:
    plan = cast(
        PolicePlan,
        PolicePlanFactory(
            body=west_yorkshire,
            title="Police and crime plan 2021 to 2024",
            starts_on=datetime.date(2021, 4, 1),
            ends_on=datetime.date(2024, 3, 31),
        ),
    )
    priority(plan, VAWG, "Keeping women and girls safe (2021)", 1)
    return plan


@pytest.fixture
def wy_plan(west_yorkshire, earlier_plan) -> PolicePlan:
    """West Yorkshire's current plan, the earlier one replaced; its priorities listed out of
    order so that tests prove the plan's order is kept."""
    PolicePlan.objects.filter(pk=earlier_plan.pk).update(superseded_at=timezone.now())
    plan = cast(
        PolicePlan,
        PolicePlanFactory(
            body=west_yorkshire,
            title="Police and crime plan 2024 to 2028",
            starts_on=datetime.date(2024, 5, 1),
            ends_on=datetime.date(2028, 3, 31),
        ),
    )
    priority(plan, NEIGHBOURHOOD, "Safer communities", 3)
    priority(plan, VAWG, "Safety of women and girls", 1)
    priority(plan, VICTIMS, "Supporting victims and witnesses", 2)
    return plan


def priority_titled(plan: PolicePlan, title: str) -> PlanPriority:
    return plan.priorities.get(title=title)


@pytest.fixture
def vawg(wy_plan) -> PlanPriority:
    return priority_titled(wy_plan, "Safety of women and girls")


@pytest.fixture
def old_vawg(earlier_plan, wy_plan) -> PlanPriority:
    return earlier_plan.priorities.get()


@pytest.fixture
def gwent_priority(personas) -> PlanPriority:
    plan = cast(
        PolicePlan, PolicePlanFactory(body=body("gwent"), title="Gwent police and crime plan")
    )
    return priority(plan, VAWG, "Gwent: violence against women", 1)


@pytest.fixture
def wy_member(personas, west_yorkshire) -> User:
    """A member of West Yorkshire's policing body (no persona is one), MFA set up."""
    user = cast(User, UserFactory(full_name="Wes Yorke", email="staff@west-yorkshire.example.org"))
    MembershipFactory(user=user, organisation=west_yorkshire.organisation, role=Role.OPCC_STAFF)
    TOTP.activate(user, TOTP_SECRET)
    return user


def evidence_input(priority_id, **overrides) -> services.EvidenceInput:
    today = timezone.localdate()
    fields = {
        "priority": str(priority_id),
        "title": "Safe spaces for women in Leeds",
        "summary": "Drop-in sessions and advocacy for women affected by abuse.",
        "starts_on": today.replace(year=today.year - 1, month=1, day=1),
        "ends_on": today.replace(year=today.year - 1, month=12, day=31),
        "people_reached": 420,
        "outcomes": [
            {
                "description": "Women feel safer",
                "measure": MEASURE,
                "baseline": "38%",
                "result": "71%",
            },
            {"description": "", "measure": "", "baseline": "", "result": ""},
            {
                "description": "Fewer repeat incidents",
                "measure": "Repeat referrals within 12 months",
                "baseline": "24%",
                "result": "15%",
            },
        ],
        "cost": "18500.00",
        "savings": None,
        "evaluation": "Independent evaluation by a local university.",
    }
    fields.update(overrides)
    if isinstance(fields["cost"], str):
        fields["cost"] = Decimal(fields["cost"])
    return services.EvidenceInput(**fields)  # type: ignore[arg-type]


def record(personas, leeds, priority_obj, *, shared: bool = False, **overrides) -> ImpactEvidence:
    evidence = services.evidence_create(
        organisation=leeds,
        by=personas.vcs_member,
        data=evidence_input(priority_obj.public_id, **overrides),
    )
    if shared:
        services.evidence_share(evidence=evidence, by=personas.vcs_member)
    return evidence


@pytest.fixture
def evidence(personas, leeds, vawg) -> ImpactEvidence:
    """Unshared evidence on West Yorkshire's VAWG priority."""
    return record(personas, leeds, vawg)


@pytest.fixture
def shared_evidence(personas, leeds, wy_plan) -> ImpactEvidence:
    return record(
        personas,
        leeds,
        priority_titled(wy_plan, "Supporting victims and witnesses"),
        shared=True,
        title="Court support for victims",
    )


@pytest.fixture
def case(personas, leeds, west_yorkshire, wy_plan) -> ImpactCase:
    return services.case_create(
        organisation=leeds,
        by=personas.vcs_member,
        body=west_yorkshire.slug,
        title="Our impact on West Yorkshire's priorities",
        introduction="What we achieve with the women of Leeds.",
    )


@pytest.fixture
def shared_case(personas, case) -> ImpactCase:
    return services.case_share(case=case, by=personas.vcs_member)
