"""Issue 9's duties in a real browser, axe-core on every page at full width and at 320 px
(no sideways scrolling of the whole page): the Home Office lead asks the bodies a change
notice is addressed to to communicate it locally and sees where they stand; Gwent's OPCC
staff find the request on their inbox and say what they did; the MoJ lead proposes a local
role to Kent on a policy in implementation; Kent's commissioner accepts it, adds a milestone
and marks it at risk; the MoJ lead sees Kent at risk on the policy's status page (table and
map key), and the Home Office lead sees Gwent done.

What is not part of the journey (the policies, the change notice open to the Victims
standing group, which Gwent leads and Kent belongs to) is made through the services. Each
person keeps their own browser context, signed in once (test_loop_journey's `person`).
Everything is done with links, buttons and labelled fields, without JavaScript."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from engage.accounts.models import Organisation
from engage.browser.helpers import assert_accessible_and_narrow
from engage.browser.test_loop_journey import person
from engage.browser.test_national_journey import fill_date
from engage.directory.models import StandingGroup
from engage.dissemination.models import DisseminationConfirmation
from engage.engagements import services as engagements
from engage.engagements.models import Kind
from engage.engagements.tests.factories import PolicyFactory
from engage.implementation.models import ImplementationAgreement, MilestoneStatus
from engage.policies.models import Stage

__all__ = ["person"]  # a fixture, for pytest

pytestmark = pytest.mark.browser

NOTICE = "Change notice: victims' referrals within three days"
MESSAGE = "From April, victims must be referred to local services within three days."
GWENT = "Police and Crime Commissioner for Gwent"
KENT = "Police and Crime Commissioner for Kent"
TO_WHOM = "Members of the Gwent criminal justice board"
ROLE = "Convene the local criminal justice board to plan the roll-out in your area."
MILESTONE = "Local board convened"
AT_RISK_NOTE = "The board cannot meet before the summer recess."


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


def submit_with_errors(page: Page, button: str, mentioning: str) -> None:
    """Submit the form unfilled: the error summary says `mentioning`; check the page."""
    follow(page, button, role="button")
    expect(page.locator(".govuk-error-summary")).to_contain_text(mentioning)


def body_row(page: Page, body: str):
    return page.locator("main table").get_by_role("row").filter(has_text=body)


def test_dissemination_and_implementation_duties(person, personas):
    today = timezone.localdate()
    # A Home Office change notice, open to the Victims standing group (Gwent and Kent).
    notice_policy = PolicyFactory(
        owner=Organisation.objects.get(slug="ho"),
        title="Victims' referral times",
        created_by=personas.ho_lead,
        policy_leads=[personas.ho_lead],
        stage=Stage.IMPLEMENTATION,
    )
    notice = engagements.engagement_create(
        policy=notice_policy,
        by=personas.ho_lead,
        kind=Kind.CHANGE_NOTICE,
        title=NOTICE,
        body="Referral times move from five days to three.",
        rationale="Victims asked to be put in touch with services sooner.",
        effective_date=today + timedelta(days=60),
        opens_on=today,
        asks_dissemination=True,
    )
    engagements.engagement_route(
        engagement=notice,
        by=personas.ho_lead,
        route="groups",
        groups=[StandingGroup.objects.get(slug="victims")],
    )
    engagements.engagement_confirm_routing(engagement=notice, by=personas.secretariat)
    # An MoJ policy in implementation, triaged as meriting engagement.
    policy = PolicyFactory(
        title="Victims code: local roll-out",
        created_by=personas.moj_lead,
        policy_leads=[personas.moj_lead],
        stage=Stage.IMPLEMENTATION,
    )

    # The Home Office lead asks the bodies to communicate the notice locally.
    ho_lead = person("lead@homeoffice.example.org")
    open_page(ho_lead, f"/engagements/{notice.public_id}/")
    follow(ho_lead, "Ask bodies to communicate this locally")
    submit_with_errors(ho_lead, "Send the request", "Choose at least one audience")
    ho_lead.get_by_label("What should the bodies communicate locally?").fill(MESSAGE)
    ho_lead.get_by_role("group", name="The message's handling label").get_by_label(
        re.compile("^TLP:GREEN")
    ).check()
    audiences = ho_lead.get_by_role("group", name="Who should hear it locally?")
    audiences.get_by_label("The local criminal justice board").check()
    audiences.get_by_label("Victims' services").check()
    fill_date(ho_lead, "By when?", today + timedelta(days=14))
    follow(ho_lead, "Send the request", role="button")
    expect(ho_lead.locator("main")).to_contain_text("You have asked 2 bodies")
    expect(ho_lead.locator("main")).to_contain_text(MESSAGE)
    follow(ho_lead, "See every body's answer")
    expect(body_row(ho_lead, GWENT)).to_contain_text("Not due yet")
    expect(ho_lead.locator(".app-map-legend")).to_contain_text("Not due yet: 2 areas")

    # Gwent's OPCC staff find it on their inbox and say what they did.
    gwent = person("staff@gwent.example.org")
    open_page(gwent, "/engagements/inbox/")
    follow(gwent, re.compile(r"Dissemination asked of your body: 1 to confirm \(0 overdue\)"))
    follow(gwent, re.compile(re.escape(NOTICE)))
    expect(gwent.locator("main")).to_contain_text(MESSAGE)
    follow(gwent, "Say what your body did", role="button")
    submit_with_errors(gwent, "Send your answer", "Say whether your body communicated it")
    gwent.get_by_label("Yes, we communicated it").check()
    gwent.get_by_label("How did you communicate it?").select_option(label="Meeting or board")
    gwent.get_by_label("Who did you communicate it to?").fill(TO_WHOM)
    gwent.get_by_role("group", name="Which audiences did it reach?").get_by_label(
        "The local criminal justice board"
    ).check()
    fill_date(gwent, "When?", today)
    gwent.get_by_label("Link to what you published").fill("https://gwent.example.org/news/1")
    follow(gwent, "Send your answer", role="button")
    expect(gwent.locator("main")).to_contain_text("You have told Home Office")
    expect(gwent.locator("main")).to_contain_text(TO_WHOM)
    answers = DisseminationConfirmation.objects.filter(engagement=notice)
    assert dict(answers.values_list("body__organisation__slug", "outcome")) == {
        "gwent": "done",
        "kent": "",
    }

    # The MoJ lead proposes a local role to Kent from the policy page.
    moj_lead = person("lead@moj.example.org")
    open_page(moj_lead, f"/policies/{policy.public_id}/")
    follow(moj_lead, "Propose a local role")
    submit_with_errors(moj_lead, "Propose the role", "Choose at least one policing body")
    moj_lead.get_by_role("group", name="Which policing bodies?").get_by_label(KENT).check()
    moj_lead.get_by_label("The local role").fill(ROLE)
    fill_date(moj_lead, "By when", today + timedelta(days=90))
    moj_lead.get_by_label("Support offered").fill("Guidance and a monthly call.")
    follow(moj_lead, "Propose the role", role="button")
    expect(moj_lead.locator("main")).to_contain_text(f"The role has been proposed to {KENT}")
    expect(body_row(moj_lead, KENT)).to_contain_text("Awaiting the body's answer")

    # Kent's commissioner finds it on the inbox, accepts it and marks a milestone at risk.
    kent = person("commissioner@kent.example.org")
    open_page(kent, "/engagements/inbox/")
    follow(kent, re.compile(r"Implementation roles: awaiting your answer 1;"))
    follow(kent, policy.title)
    expect(kent.locator("main")).to_contain_text(ROLE)
    follow(kent, "Accept the role", role="button")  # the confirmation step
    follow(kent, "Accept the role", role="button")
    expect(kent.locator("main")).to_contain_text("Agreed")
    follow(kent, "Add a milestone")
    kent.get_by_label("Milestone").fill(MILESTONE)
    fill_date(kent, "Due date", today + timedelta(days=30))
    follow(kent, "Add the milestone", role="button")
    follow(kent, f"Update {MILESTONE}")
    kent.get_by_role("group", name="Status").get_by_label("At risk").check()
    kent.get_by_label("Progress note").fill(AT_RISK_NOTE)
    follow(kent, "Save the update", role="button")
    expect(kent.locator("main table")).to_contain_text("At risk")
    milestone = ImplementationAgreement.objects.get().milestones.get()
    assert milestone.status == MilestoneStatus.AT_RISK

    # The MoJ lead sees Kent at risk, from the roles the MoJ has proposed; the Home Office
    # lead sees Gwent done, from the requests the Home Office has made.
    open_page(moj_lead, "/implementation/")
    follow(moj_lead, re.compile(KENT))
    expect(moj_lead.locator("main")).to_contain_text(AT_RISK_NOTE)
    follow(moj_lead, "Every body's status on this policy")
    expect(body_row(moj_lead, KENT)).to_contain_text("At risk")
    expect(moj_lead.locator(".app-map-legend")).to_contain_text("At risk: 1 area")
    open_page(ho_lead, "/dissemination/")
    follow(ho_lead, re.compile(re.escape(NOTICE)))
    expect(body_row(ho_lead, GWENT)).to_contain_text("Done")
    expect(body_row(ho_lead, GWENT)).to_contain_text(TO_WHOM)
    expect(ho_lead.locator(".app-map-legend")).to_contain_text("Done: 1 area")
