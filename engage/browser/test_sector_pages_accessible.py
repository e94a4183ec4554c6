"""axe-core on the voluntary-sector hub's pages (issue 10) that the journey
(test_sector_journey) does not reach, each opened once as someone who may see it, in the states
that matter: empty, with rows, filtered, with validation errors, confirmations, refused; and the
pages with tables at 320 px.

As in test_every_page_accessible, the browser carries a session made by Django's test client
(the journey proves signing in). West Yorkshire's plan and published facts and the West
Yorkshire Compact come from the demo functions; the rest is made through the services. A sweep
reports every page with violations at the end of the test."""

import datetime
from typing import cast

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, expect

from engage.accounts.models import Organisation, Role, User
from engage.browser.helpers import Sweep, assert_accessible_and_narrow
from engage.compacts.demo import seed_compacts_demo
from engage.conftest import TOTP_SECRET
from engage.directory import plans
from engage.directory.demo_plans import seed_plans_demo
from engage.directory.models import PlanPriority, PolicePlan, PolicingBody
from engage.directory.tests.factories import MembershipFactory, UserFactory
from engage.impact import services as impact
from engage.impact.models import ImpactEvidence
from engage.sector import services as sector

pytestmark = pytest.mark.browser


@pytest.fixture
def west_yorkshire(personas) -> PolicingBody:
    """West Yorkshire's body, with the demo's plan and published facts."""
    seed_plans_demo(by=personas.admin)
    return PolicingBody.objects.select_related("organisation").get(
        organisation__slug="west-yorkshire"
    )


@pytest.fixture
def wy_member(west_yorkshire) -> User:
    """A member of West Yorkshire's policing body (no persona is one), MFA set up."""
    user = cast(User, UserFactory(full_name="Asha Patel", email="staff@west-yorkshire.example.org"))
    MembershipFactory(user=user, organisation=west_yorkshire.organisation, role=Role.OPCC_STAFF)
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def leeds(personas) -> Organisation:
    return Organisation.objects.get(slug="leeds-womens-centre")


def current_plan(body: PolicingBody) -> PolicePlan:
    return PolicePlan.objects.get(body=body, superseded_at__isnull=True)


def replace_plan(body: PolicingBody, by: User) -> PolicePlan:
    """Replace the body's current plan with a new one starting from its priorities; the old
    plan."""
    old = current_plan(body)
    plans.plan_replace(
        plan=old,
        by=by,
        title="West Yorkshire Police and Crime Plan 2028 to 2032",
        starts_on=datetime.date(2028, 4, 1),
        ends_on=datetime.date(2032, 3, 31),
        copy_priorities=True,
    )
    return old


def record(personas, leeds: Organisation, priority: PlanPriority, *, shared: bool = False):
    """Leeds Women's Centre's evidence on `priority`, made through the services."""
    today = timezone.localdate()
    evidence = impact.evidence_create(
        organisation=leeds,
        by=personas.vcs_member,
        data=impact.EvidenceInput(
            priority=str(priority.public_id),
            title="Safe spaces for women in Leeds",
            summary="Drop-in sessions and advocacy for women affected by abuse.",
            starts_on=datetime.date(today.year - 1, 1, 1),
            ends_on=datetime.date(today.year - 1, 12, 31),
            people_reached=420,
            outcomes=[
                {
                    "description": "Women feel safer",
                    "measure": "Women reporting they feel safer",
                    "baseline": "38%",
                    "result": "71%",
                }
            ],
        ),
    )
    if shared:
        impact.evidence_share(evidence=evidence, by=personas.vcs_member)
    return evidence


def main(sweep: Sweep) -> Locator:
    return sweep.page.locator("main")


def narrow(sweep: Sweep) -> None:
    """At 320 px too (for the pages with tables)."""
    sweep._noted(lambda: assert_accessible_and_narrow(sweep.page))


def test_plan_published_facts_compacts_profiles_briefs_and_log_pages(
    sweep: Sweep, personas, west_yorkshire, wy_member, leeds
) -> None:
    compact = seed_compacts_demo(by=personas.admin)
    assert compact is not None
    slug = west_yorkshire.organisation.slug

    # West Yorkshire's member: the plan and its edit pages, the published facts.
    sweep.sign_in(wy_member)
    sweep.visit(reverse("directory:plan", args=[slug]))
    expect(main(sweep).get_by_role("button", name="Replace with a new plan")).to_be_visible()
    narrow(sweep)
    sweep.visit(reverse("directory:priority_add", args=[slug]))
    sweep.submit_with_errors("Add the priority", mentioning="Enter the priority")
    sweep.visit(reverse("directory:plan_replace", args=[slug]))
    sweep.visit(reverse("directory:publications", args=[slug]))
    narrow(sweep)
    sweep.visit(reverse("directory:published_add", args=[slug, "key-dates"]))
    sweep.submit_with_errors("Save")
    # The plan replaced: the plan page lists the earlier plan, which has its own page.
    old = replace_plan(west_yorkshire, wy_member)
    sweep.visit(reverse("directory:plan", args=[slug]))
    expect(main(sweep).get_by_role("link", name=old.title)).to_be_visible()
    sweep.visit(reverse("directory:plan_version", args=[slug, old.public_id]))
    # Shared with West Yorkshire: nothing yet.
    sweep.visit(reverse("sector:body_activity"))

    # The voluntary member: Compacts, organisations, a profile not yet written, briefs, its log.
    sweep.sign_in(personas.vcs_member)
    sweep.visit(reverse("compacts:list"))
    for table in ("#share-over-time", "#bodies", "#compacts"):
        expect(sweep.page.locator(table)).to_be_visible()
    narrow(sweep)
    sweep.visit(reverse("compacts:detail", args=[compact.public_id]))
    narrow(sweep)
    sweep.visit(reverse("compacts:create"))
    sweep.submit_with_errors("Save")
    sweep.visit(reverse("sector:organisations"))
    narrow(sweep)
    sweep.visit(reverse("sector:profile", args=[leeds.slug]))
    expect(main(sweep)).to_contain_text("This organisation has not written its profile yet.")
    sweep.visit(reverse("briefs:index"))
    narrow(sweep)
    activity_list = reverse("sector:activity_list")
    sweep.visit(activity_list)
    expect(main(sweep)).to_contain_text("Nothing logged yet.")
    sector.activity_create(
        organisation=leeds,
        by=personas.vcs_member,
        body=west_yorkshire,
        kind="meeting",
        happened_on=timezone.localdate() - datetime.timedelta(days=3),
        participants="Our chief executive; the OPCC's commissioning lead",
        summary="Talked about refuge places for women in Leeds.",
        outcome="Invited to bid.",
    )
    sweep.visit(f"{activity_list}?kind=meeting&shared=no")
    expect(main(sweep).locator("table")).to_contain_text("refuge places")
    narrow(sweep)
    sweep.visit(f"{activity_list}?q=no+such+activity")
    expect(main(sweep)).to_contain_text("No activities match your search and filters.")
    sweep.visit(f"{activity_list}?kind=no-such-kind", errors=True)

    # Someone else reads a profile not yet written.
    sweep.sign_in(personas.gwent_staff)
    sweep.visit(reverse("sector:profile", args=[leeds.slug]))
    sweep.finish()


def test_the_impact_pages_are_accessible(
    sweep: Sweep, personas, leeds, west_yorkshire, wy_member
) -> None:
    member = personas.vcs_member
    plan = current_plan(west_yorkshire)
    sweep.sign_in(member)
    sweep.visit("/impact/evidence/")
    sweep.visit("/impact/cases/")
    sweep.visit("/impact/cases/new/")
    sweep.uncheck_radios()
    sweep.submit_with_errors("Make the case", mentioning="Choose a policing body")
    sweep.visit("/impact/sector/", status=403)

    evidence = record(personas, leeds, plan.priorities.get(position=1))
    shared = record(personas, leeds, plan.priorities.get(position=2), shared=True)
    # The same title twice under one priority: each table still has its own label.
    record(personas, leeds, plan.priorities.get(position=2), shared=True)
    assert ImpactEvidence.objects.count() == 3
    case = impact.case_create(
        organisation=leeds, by=member, body=west_yorkshire.slug, title="Our impact"
    )
    sweep.visit("/impact/evidence/?shared=no")
    narrow(sweep)
    sweep.visit(f"/impact/evidence/{evidence.public_id}/")
    narrow(sweep)
    for action in ("change", "share", "delete"):
        sweep.visit(f"/impact/evidence/{evidence.public_id}/{action}/")
    sweep.visit(f"/impact/evidence/{shared.public_id}/unshare/")
    sweep.visit(f"/impact/cases/{case.public_id}/")
    narrow(sweep)
    for action in ("change", "share", "delete"):
        sweep.visit(f"/impact/cases/{case.public_id}/{action}/")

    impact.case_share(case=case, by=member)
    sweep.sign_in(wy_member)
    sweep.visit("/impact/sector/")
    narrow(sweep)
    sweep.visit("/impact/evidence/")
    sweep.visit(f"/impact/evidence/{shared.public_id}/")
    sweep.visit("/impact/cases/")
    sweep.visit(f"/impact/cases/{case.public_id}/")
    # The plan replaced (its priorities copied): the shared evidence is on an earlier plan.
    replace_plan(west_yorkshire, wy_member)
    sweep.visit("/impact/sector/")
    expect(main(sweep)).to_contain_text("Evidence on earlier plans")
    sweep.visit(f"/impact/cases/{case.public_id}/")
    expect(main(sweep)).to_contain_text("Evidence on earlier plans")
    sweep.finish()
