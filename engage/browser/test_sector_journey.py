"""Issue 10's voluntary-sector hub in a real browser, axe-core on every page at full width and at
320 px: Leeds Women's Centre's member does its homework on West Yorkshire (the brief, its
plan's priorities, contacts, the open funding round, Compact status, the brief as a PDF),
writes its profile, logs a meeting with West Yorkshire with a follow-up and shares it, records
impact evidence on a West Yorkshire priority and shares it, and makes an impact case for West
Yorkshire and downloads it as a PDF. Then a member of West Yorkshire's policing body sees Leeds
Women's Centre under that priority with the shared evidence, and the shared activity.

What is not part of the journey (West Yorkshire's plan and published facts, the West Yorkshire
Compact) is made by the demo functions. Each person keeps their own browser context, signed in
once with a password and an authenticator code (test_loop_journey's `person`). Everything is
done with links, buttons and labelled fields, without JavaScript."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from engage.accounts.models import Role
from engage.browser.helpers import assert_accessible_and_narrow
from engage.browser.test_loop_journey import person
from engage.browser.test_national_journey import fill_date
from engage.compacts.demo import seed_compacts_demo
from engage.conftest import PASSWORD, TOTP_SECRET
from engage.directory.demo_plans import seed_plans_demo
from engage.directory.models import PolicingBody
from engage.directory.tests.factories import MembershipFactory, UserFactory
from engage.impact.models import ImpactCase, ImpactEvidence
from engage.sector.models import Activity, OrganisationProfile

__all__ = ["person"]  # a fixture, for pytest

pytestmark = pytest.mark.browser

PRIORITY = "Tackling violence against women and girls"
VAWG_THEME = "Violence against women and girls (VAWG)"
CONTACT = "Commissioning Lead, Victims' Services"
FUND = "Safer Communities Fund"
SUMMARY = "We met the commissioning lead to talk about refuge places for women in Leeds."
FOLLOW_UP = "Send the commissioning lead our refuge figures"
EVIDENCE = "Safe spaces for women in Leeds"
MEASURE = "Women reporting they feel safer"
CASE = "Our impact on West Yorkshire's priorities"


def check(page: Page) -> None:
    """axe-core on the page, then at 320 px: it reflows, and axe-core is still clean."""
    assert_accessible_and_narrow(page)


def open_page(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None, path
    assert response.status == 200, f"{path}: HTTP {response.status}"
    check(page)


def follow(page: Page, name: str | re.Pattern[str], *, role: str = "link") -> None:
    """Follow a link (or press a button) in the main content, then check the page."""
    with page.expect_navigation():
        page.locator("main").get_by_role(role, name=name).first.click()
    check(page)


def field(where: Page | Locator, label: str) -> Locator:
    """The field labelled `label` exactly, or `label` marked "(optional)"."""
    return where.get_by_label(re.compile(rf"^\s*{re.escape(label)}( \(optional\))?\s*$"))


def download_text(page: Page, name: str, folder: Path, *, role: str = "link") -> str:
    """Follow the link that downloads a PDF (`role`: "button" for a link styled as a
    button); the text of all its pages."""
    with page.expect_download() as download:
        page.locator("main").get_by_role(role, name=name).first.click()
    path = folder / download.value.suggested_filename
    download.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    """PDF text with its line breaks and runs of spaces made single spaces."""
    return re.sub(r"\s+", " ", text)


def test_voluntary_member_makes_its_case_and_the_body_sees_it(person, personas, tmp_path):
    seed_plans_demo(by=personas.admin)
    seed_compacts_demo(by=personas.admin)
    west_yorkshire = PolicingBody.objects.select_related("organisation").get(
        organisation__slug="west-yorkshire"
    )
    body = west_yorkshire.organisation.name
    today = timezone.localdate()

    # Leeds Women's Centre's member does its homework on West Yorkshire.
    member = person("member@womens-centre.example.org")
    open_page(member, "/")
    follow(member, f"Brief on {body}")
    main = member.locator("main")
    expect(member.locator("#priorities")).to_contain_text(PRIORITY)
    expect(main).to_contain_text(CONTACT)
    commissioning = member.locator(".govuk-summary-card").filter(has_text=FUND)
    expect(commissioning).to_contain_text("Open")
    expect(main.locator("#compact + p")).to_contain_text("The body signed a local Compact")
    expect(member.locator("#compacts")).to_contain_text("West Yorkshire Compact")
    brief = flat(download_text(member, "Download as PDF", tmp_path))
    assert "West Yorkshire" in brief
    assert PRIORITY in brief

    # It writes its profile: a wrong charity number first, then a right one.
    open_page(member, "/")
    follow(member, "Profile")
    follow(member, "Write your profile", role="button")
    field(member, "What the organisation does").fill(
        "Support for women affected by domestic abuse and the justice system."
    )
    field(member, "Its offer to the policing body").fill(
        "Refuge places, advocacy and the voice of the women we support."
    )
    member.get_by_role("group", name="Policing body areas it serves").get_by_label(
        body, exact=True
    ).check()
    member.get_by_role("group", name="Priority themes it works on").get_by_label(
        VAWG_THEME, exact=True
    ).check()
    field(member, "Registered charity number").fill("12AB")
    follow(member, "Save the profile", role="button")
    expect(member.locator(".govuk-error-summary")).to_contain_text(
        "Enter a registered charity number of 6 to 8 digits"
    )
    assert not OrganisationProfile.objects.exists()
    field(member, "Registered charity number").fill("1123456")
    follow(member, "Save the profile", role="button")
    expect(main).to_contain_text("1123456")
    expect(main).to_contain_text(VAWG_THEME)

    # It logs a meeting with West Yorkshire, adds a follow-up and shares it.
    follow(member, "Your engagement log")
    follow(member, "Log an activity", role="button")
    field(member, "Policing body").select_option(label=body)
    member.get_by_role("group", name="Kind of activity").get_by_label("Meeting", exact=True).check()
    fill_date(member, "Date", today - timedelta(days=2))
    field(member, "Who took part").fill("Our chief executive; the commissioning lead")
    field(member, "Summary").fill(SUMMARY)
    field(member, "Outcome").fill("Invited to bid to the Safer Communities Fund.")
    follow(member, "Save the activity", role="button")
    expect(main).to_contain_text(SUMMARY)
    expect(main).to_contain_text("Not shared")
    follow(member, "Add a follow-up", role="button")
    field(member, "What is to be done").fill(FOLLOW_UP)
    fill_date(member, "Due", today + timedelta(days=7))
    follow(member, "Save the follow-up", role="button")
    expect(member.locator("main table")).to_contain_text(FOLLOW_UP)
    follow(member, "Share it with the body", role="button")  # the confirmation page
    follow(member, "Share it", role="button")
    expect(main).to_contain_text(f"Shared with {body}")
    activity = Activity.objects.get()
    assert activity.shared_at is not None
    assert activity.follow_ups.count() == 1

    # It records impact evidence on West Yorkshire's first priority: a result without its
    # measure first, then with it; and shares it.
    open_page(member, "/")
    follow(member, "Impact evidence")
    follow(member, "Record impact evidence", role="button")
    field(member, "Which plan priority does it address?").select_option(label=f"1. {PRIORITY}")
    field(member, "Title").fill(EVIDENCE)
    field(member, "What was done").fill("Drop-in sessions and advocacy for women.")
    fill_date(member, "When did the period start?", today.replace(year=today.year - 1, day=1))
    fill_date(member, "When did (or will) the period end?", today - timedelta(days=1))
    field(member, "People reached").fill("420")
    outcome = member.get_by_role("group", name="Outcome 1")
    field(outcome, "Outcome").fill("Women feel safer")
    field(outcome, "Baseline").fill("38%")
    field(outcome, "Result").fill("71%")
    follow(member, "Save the evidence", role="button")
    expect(member.locator(".govuk-error-summary")).to_contain_text(
        "Enter the measure for this result"
    )
    assert not ImpactEvidence.objects.exists()
    field(member.get_by_role("group", name="Outcome 1"), "Measure").fill(MEASURE)
    follow(member, "Save the evidence", role="button")
    expect(member.get_by_role("heading", level=1)).to_have_text(EVIDENCE)
    expect(main).to_contain_text(MEASURE)
    follow(member, "Share with the policing body", role="button")
    follow(member, "Share the evidence", role="button")
    expect(main).to_contain_text(f"Shared with {body}")
    assert ImpactEvidence.objects.get().shared_at is not None

    # It makes an impact case for West Yorkshire, opens it and downloads its PDF.
    open_page(member, "/")
    follow(member, "Impact cases")
    follow(member, "Make an impact case", role="button")
    member.get_by_role("group", name="Which policing body is the case for?").get_by_label(
        body, exact=True
    ).check()
    field(member, "Title").fill(CASE)
    follow(member, "Make the case", role="button")
    expect(member.get_by_role("heading", level=1)).to_have_text(CASE)
    expect(main).to_contain_text(f"1. {PRIORITY}")
    expect(main).to_contain_text(EVIDENCE)
    assert ImpactCase.objects.get().body == west_yorkshire
    case = flat(download_text(member, "Download as PDF", tmp_path, role="button"))
    for expected in (body, "Leeds Women's Centre", PRIORITY, MEASURE):
        assert expected in case, expected

    # A member of West Yorkshire's policing body sees the sector by priority and the activity.
    staff = UserFactory(
        email="staff@west-yorkshire.example.org", full_name="Asha Patel", password=PASSWORD
    )
    MembershipFactory(user=staff, organisation=west_yorkshire.organisation, role=Role.OPCC_STAFF)
    TOTP.activate(staff, TOTP_SECRET)
    wy = person("staff@west-yorkshire.example.org")
    open_page(wy, "/")
    follow(wy, "The voluntary sector in your area")
    heading = wy.locator("main h2").filter(has_text=f"1. {PRIORITY}")
    expect(heading).to_have_count(1)
    # Under the priority: the organisation working on its theme, then the shared evidence.
    expect(heading.locator("xpath=following-sibling::ul[1]")).to_contain_text(
        "Leeds Women's Centre"
    )
    expect(heading.locator("xpath=following-sibling::*[.//table][1]")).to_contain_text(EVIDENCE)
    open_page(wy, "/")
    follow(wy, "Shared with you by the sector")
    expect(wy.locator("main")).to_contain_text("Leeds Women's Centre")
    expect(wy.locator("main")).to_contain_text("Meeting")
