"""A body's response in a real browser, axe-core on every page: Gwent's OPCC staff draft the
response to an open consultation (a free-text answer, a stance, the local perspective) and
cannot submit it; the commissioner checks and submits it; the MoJ policy lead sees the count
in the inbox and reads the submitted response."""

import re

import pytest
from playwright.sync_api import Page, expect

from engage.browser.helpers import assert_accessible, visit
from engage.browser.test_national_journey import sign_in
from engage.directory.models import StandingGroup
from engage.engagements.tests.factories import PolicyFactory
from engage.responses.models import Response
from engage.responses.tests.fixtures import FREE_TEXT, STANCE, consultation

pytestmark = pytest.mark.browser

ANSWER = "We would bring the independent advocacy service back in house."
EXPLANATION = "Three years, with a break clause after the first."
CHALLENGE = "Rural areas of Monmouthshire have few providers."


def test_staff_draft_commissioner_submits_lead_reads(page: Page, personas):
    policy = PolicyFactory(created_by=personas.moj_lead, policy_leads=[personas.moj_lead])
    engagement = consultation(
        personas, policy, groups=[StandingGroup.objects.get(slug="victims")], title="Victims code"
    )
    engagement_url = f"/engagements/{engagement.public_id}/"

    # Gwent's OPCC staff find it in the inbox and draft the response.
    sign_in(page, "staff@gwent.example.org")
    visit(page, "/engagements/inbox/")
    page.get_by_role("link", name="Victims code").click()
    expect(page.locator("main")).to_contain_text("has not started its response")
    expect(page.locator("main")).to_contain_text("Only the commissioner")
    assert_accessible(page)
    page.get_by_role("button", name="Start your response").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Response from .*Gwent"))
    assert_accessible(page)
    page.get_by_label(FREE_TEXT).fill(ANSWER)
    stance = page.get_by_role("group", name=STANCE)
    stance.get_by_label("Support with changes").check()
    page.get_by_label("Explain your stance").fill(EXPLANATION)
    page.get_by_label("Challenges").fill(CHALLENGE)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("main")).to_contain_text("Draft")
    expect(page.get_by_role("button", name="Check and submit")).to_have_count(0)
    assert_accessible(page)
    response = Response.objects.get(engagement=engagement)
    assert response.revision == 1
    assert not response.is_submitted

    # The commissioner checks it and submits it.
    sign_in(page, "commissioner@gwent.example.org")
    visit(page, engagement_url)
    page.get_by_role("link", name="View your response and its versions").click()
    assert_accessible(page)
    page.get_by_role("button", name="Check and submit").click()
    expect(page.locator("main")).to_contain_text(ANSWER)
    expect(page.locator("main")).to_contain_text("Support with changes")
    assert_accessible(page)
    page.get_by_role("button", name="Submit response").click()
    expect(page.locator("main")).to_contain_text("Version 1 submitted")
    assert_accessible(page)
    response.refresh_from_db()
    assert response.submitted_version == 1

    # The MoJ lead sees the count in the inbox and reads the response.
    sign_in(page, "lead@moj.example.org")
    visit(page, "/engagements/inbox/")
    row = page.get_by_role("row").filter(has_text="Victims code")
    expect(row.get_by_role("cell").nth(4)).to_have_text("1")
    visit(page, engagement_url)
    expect(page.locator("main")).to_contain_text("1 response submitted")
    page.get_by_role("link", name="See the responses").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Gwent")).click()
    expect(page.locator("main")).to_contain_text(ANSWER)
    expect(page.locator("main")).to_contain_text(CHALLENGE)
    assert_accessible(page)
