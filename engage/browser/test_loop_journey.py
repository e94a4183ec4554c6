"""The protocol's loop in a real browser, axe-core on every page (issue 8): Kent and Gwent
submit their responses to a consultation routed to the Victims standing group; the APCC
secretariat drafts the group's collective view from them and sends it for sign-off; the
Victims lead (Gwent's commissioner) signs it off; the secretariat submits it to the policy
lead; the MoJ lead reads it, closes the engagement and is asked for the outcome, records and
publishes it; Kent's commissioner reads what changed.

Each person keeps their own browser context, signed in once: an authenticator code is
accepted once, so signing the same person in twice within its 30 seconds would be refused."""

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from engage.browser.helpers import assert_accessible, visit
from engage.browser.test_national_journey import sign_in
from engage.collective.models import CollectiveView, ViewStatus
from engage.directory.models import StandingGroup
from engage.engagements.models import Status
from engage.engagements.tests.factories import PolicyFactory
from engage.outcomes.models import Outcome
from engage.responses.models import Response
from engage.responses.tests.fixtures import FREE_TEXT, STANCE, consultation

pytestmark = pytest.mark.browser

SUMMARY = "Both bodies want a shared outcomes framework that leaves room for local services."
POSITION = "Support three-year settlements, with an annual uplift for inflation."
HEARD = "Bodies support multi-year settlements but need an uplift for inflation."
DISSENT = "Only alongside the Welsh Government's funding cycle."
CHANGED = "The settlements will carry an annual inflation uplift from the second year."


@pytest.fixture
def person(browser: Browser, live_server) -> Iterator[Callable[[str], Page]]:
    """A signed-in page per person, each in its own browser context."""
    contexts = []

    def sign_in_as(email: str) -> Page:
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", timezone_id="Europe/London"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, email)
        return page

    yield sign_in_as
    for context in contexts:
        context.close()


def submit_response(page: Page, engagement_url: str, answer: str, stance: str, why: str) -> None:
    """A commissioner drafts and submits the body's response."""
    visit(page, engagement_url)
    page.get_by_role("button", name="Start your response").click()
    assert_accessible(page)
    page.get_by_label(FREE_TEXT).fill(answer)
    page.get_by_role("group", name=STANCE).get_by_label(stance, exact=True).check()
    page.get_by_label("Explain your stance").fill(why)
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Check and submit").click()
    assert_accessible(page)
    page.get_by_role("button", name="Submit response").click()
    expect(page.locator("main")).to_contain_text("Version 1 submitted")


def test_responses_to_collective_view_to_outcome(page: Page, person, personas):
    policy = PolicyFactory(created_by=personas.moj_lead, policy_leads=[personas.moj_lead])
    engagement = consultation(
        personas,
        policy,
        groups=[StandingGroup.objects.get(slug="victims")],
        title="Victims' services grants",
    )
    engagement_url = f"/engagements/{engagement.public_id}/"
    view_url = f"{engagement_url}collective/"

    # Kent and Gwent submit.
    kent = person("commissioner@kent.example.org")
    submit_response(
        kent,
        engagement_url,
        "A shared framework would help.",
        "Support",
        "Certainty for providers.",
    )
    gwent = person("commissioner@gwent.example.org")
    submit_response(gwent, engagement_url, "Welsh outcomes first.", "Oppose", DISSENT)
    assert Response.objects.filter(engagement=engagement, submitted_version=1).count() == 2

    # The APCC drafts the collective view from the submitted versions.
    apcc = person("secretariat@apcc.example.org")
    visit(apcc, engagement_url)
    apcc.get_by_role("link", name="Draft the collective view").click()
    assert_accessible(apcc)
    apcc.get_by_role("button", name="Draft the collective view").click()
    # Straight to the draft, its local-variations annex pre-filled from both bodies.
    expect(apcc.get_by_role("heading", level=1)).to_have_text("Edit the collective view")
    expect(apcc.locator("main")).to_contain_text("Kent")
    expect(apcc.locator("main")).to_contain_text("Gwent")
    apcc.get_by_label("Summary").fill(SUMMARY)
    apcc.get_by_role("group", name="Collective stance").get_by_label("Support", exact=True).check()
    apcc.get_by_label("Collective position").fill(POSITION)
    assert_accessible(apcc)
    apcc.get_by_role("button", name="Save").click()
    expect(apcc.locator("main")).to_contain_text(SUMMARY)
    # Gwent opposed the collective stance: it is in the dissent annex, in its own words.
    expect(apcc.locator("main")).to_contain_text(DISSENT)
    assert_accessible(apcc)
    apcc.get_by_role("link", name="Send to the group leads for sign-off").click()
    assert_accessible(apcc)
    apcc.get_by_role("button", name="Send for sign-off").click()
    expect(apcc.locator("main")).to_contain_text("With the group leads")
    assert_accessible(apcc)

    # The Victims lead, Gwent's commissioner, signs it off.
    visit(gwent, engagement_url)
    gwent.get_by_role("link", name=re.compile("Sign off the collective view for Victims")).click()
    expect(gwent.locator("main")).to_contain_text(SUMMARY)
    assert_accessible(gwent)
    gwent.get_by_label("Yes, sign it off").check()
    gwent.get_by_role("button", name="Send your decision").click()
    expect(gwent.locator("main")).to_contain_text("Signed off")
    assert_accessible(gwent)

    # The APCC submits it to the policy lead.
    visit(apcc, view_url)
    apcc.get_by_role("link", name="Submit to the policy lead").click()
    assert_accessible(apcc)
    apcc.get_by_role("button", name="Submit to the policy lead").click()
    expect(apcc.locator("main")).to_contain_text("Submitted to the policy lead")
    assert CollectiveView.objects.get(engagement=engagement).status == ViewStatus.SUBMITTED

    # The MoJ lead reads it, closes the engagement and is asked for the outcome.
    lead = person("lead@moj.example.org")
    visit(lead, engagement_url)
    visit(lead, view_url)
    expect(lead.locator("main")).to_contain_text(POSITION)
    assert_accessible(lead)
    visit(lead, engagement_url)
    lead.get_by_role("link", name="Close the engagement").click()
    assert_accessible(lead)
    lead.get_by_role("button", name="Close the engagement").click()
    expect(lead).to_have_url(re.compile(r"/outcomes/.+/record/"))
    assert_accessible(lead)
    lead.get_by_label("What you heard").fill(HEARD)
    lead.get_by_label("What changed because of it").fill(CHANGED)
    lead.get_by_role("button", name="Save as draft").click()
    assert_accessible(lead)
    lead.get_by_role("link", name="Publish the outcome").click()
    assert_accessible(lead)
    lead.get_by_role("button", name="Publish the outcome").click()
    expect(lead.locator("main")).to_contain_text(CHANGED)
    assert_accessible(lead)
    engagement.refresh_from_db()
    assert engagement.status == Status.CLOSED
    assert Outcome.objects.get(engagement=engagement).is_published

    # Kent reads what changed, from the engagement page, with the collective view linked.
    visit(kent, engagement_url)
    kent.get_by_role("link", name="Read the outcome").click()
    expect(kent.locator("main")).to_contain_text(CHANGED)
    expect(kent.get_by_role("link", name="The collective view")).to_be_visible()
    assert_accessible(kent)
