"""axe-core on the pages that close the protocol's loop (issue 8), each opened as someone who
may see it, in the states that matter: empty, filled, with validation errors, refused, and
the page someone sees when a colleague saved first.

It follows test_every_page_accessible: the `sweep` fixture (engage/browser/conftest.py), its
demo-content helpers, a session made by Django's test client. The demo content
(`seed_national_content`, then `seed_loop_content`: a draft collective view, a published
clarification, release requests, an acknowledgement, a closed consultation with a published
outcome) and the services give each further state. Two sweeps, each through many pages, to
keep the suite quick.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator

from engage.acknowledgements.models import Acknowledgement
from engage.browser.helpers import Sweep
from engage.browser.test_every_page_accessible import draft, fill_date, national_content
from engage.clarifications import services as clarifications
from engage.clarifications.models import ClarificationRequest
from engage.collective import services as collective
from engage.collective.models import CollectiveView
from engage.demo.loop import CLOSED_TITLE, seed_loop_content
from engage.directory.models import StandingGroup
from engage.documents.models import Document
from engage.engagements import services as engagements
from engage.engagements.models import Engagement, Route
from engage.outcomes import services as outcomes
from engage.outcomes.models import Outcome
from engage.releases.models import ReleaseRequest

pytestmark = pytest.mark.browser

DORSET = "Police and Crime Commissioner for Dorset"


def overfill(field: Locator, length: int) -> None:
    """Type more than the field may hold (past any maxlength the browser would enforce)."""
    field.evaluate(
        "(el, n) => { el.removeAttribute('maxlength'); el.value = 'x'.repeat(n); }", length
    )


def test_collective_view_and_outcome_pages(sweep: Sweep, personas) -> None:
    content = national_content(personas)
    page = sweep.page
    secretariat, lead = personas.secretariat, personas.moj_lead
    early = content.early
    view_url = f"/engagements/{early.public_id}/collective"

    # Drafting is refused where no response is taken; drafted from Kent's and Gwent's.
    sweep.sign_in(secretariat)
    sweep.visit(f"/engagements/{content.change_notice.public_id}/collective/start/", errors=True)
    sweep.visit(f"{view_url}/start/")
    with page.expect_navigation():
        sweep.button("Draft the collective view").click()
    sweep.check()  # the edit form, empty
    seed_loop_content(vars(personas))  # the rest of the loop (the view is already drafted)
    view = CollectiveView.objects.get(engagement=early)

    # Editing: a field too long, then a colleague's save in between (the conflict page).
    sweep.visit(f"{view_url}/edit/")
    overfill(page.get_by_label("Summary"), collective.MAX_TEXT + 1)
    sweep.submit_with_errors("Save", mentioning="characters or fewer")
    sweep.visit(f"{view_url}/edit/")
    collective.collective_view_save(
        view=view,
        by=secretariat,
        revision=view.revision,
        summary="Most bodies support the framework.",
        position="support_with_changes",
        position_text="The APCC supports it with three-year settlements.",
        points={p["number"]: "Bodies agree on the aim." for p in view.points},
        variations={v["body_id"]: v["text"] for v in view.variations},
    )
    page.get_by_label("Summary").fill("A summary typed at the same time.")
    sweep.submit_with_errors("Save", mentioning="Someone else saved this collective view")
    sweep.visit(f"{view_url}/")  # a draft, filled

    # Refreshing refused (nothing newer), sending for sign-off.
    sweep.visit(f"{view_url}/refresh/")
    sweep.submit_with_errors("Draw on the latest responses", mentioning="already draws")
    sweep.visit(f"{view_url}/send/")
    with sweep.page.expect_navigation():
        sweep.button("Send for sign-off").click()
    sweep.check()
    sweep.visit(f"{view_url}/submit/")  # refused: the group lead has not signed yet
    sweep.visit(f"{view_url}/send/")  # refused: not a draft any more

    # A group member reads it only once submitted; the lead body's staff read the draft.
    sweep.sign_in(personas.kent_commissioner)
    sweep.visit(f"{view_url}/", status=404)
    sweep.sign_in(personas.gwent_staff)
    sweep.visit(f"{view_url}/")
    # The group lead's sign-off, with its errors.
    sweep.sign_in(personas.gwent_commissioner)
    sweep.visit(f"{view_url}/")
    sweep.visit(f"{view_url}/sign/victims/")
    sweep.submit_with_errors("Send your decision", mentioning="Choose whether")
    page.get_by_label("No, send it back with comments").check()
    sweep.submit_with_errors("Send your decision", mentioning="Say what should change")
    page.get_by_label("Yes, sign it off").check()
    with page.expect_navigation():
        sweep.button("Send your decision").click()
    sweep.check()
    sweep.visit(f"{view_url}/sign/victims/")  # refused: signed, with the secretariat

    # Submitting; the submitted view, its history and versions; editing refused.
    sweep.sign_in(secretariat)
    sweep.visit(f"{view_url}/submit/")
    with page.expect_navigation():
        sweep.button("Submit to the policy lead").click()
    sweep.check()
    sweep.visit(f"{view_url}/history/")
    sweep.visit(f"{view_url}/versions/1/")
    sweep.visit(f"{view_url}/versions/2/")
    sweep.visit(f"{view_url}/edit/", lands_on=f"{view_url}/")
    sweep.visit(f"{view_url}/submit/")  # refused: submitted
    sweep.sign_in(personas.kent_commissioner)
    sweep.visit(f"{view_url}/")
    sweep.sign_in(lead)
    sweep.visit(f"{view_url}/")
    sweep.visit(f"{view_url}/history/")
    sweep.visit(f"{view_url}/versions/2/")

    # Outcomes. The closed consultation's, published: read, and corrected with errors.
    closed = Engagement.objects.get(title=CLOSED_TITLE)
    outcome_url = f"/outcomes/{closed.public_id}"
    sweep.visit(f"{outcome_url}/")
    sweep.visit(f"{outcome_url}/record/")
    sweep.submit_with_errors("Save the correction", mentioning="Say why")
    published = Outcome.objects.get(engagement=closed)
    outcomes.outcome_save(
        engagement=closed,
        by=lead,
        revision=published.revision,
        heard=published.heard,
        changed=published.changed + " Settlements start in April.",
        not_changed=published.not_changed,
        reason="Added the start date.",
    )
    sweep.visit(f"{outcome_url}/")  # with its history of corrections
    # The open engagement's: none yet (the form), errors, a draft, the conflict, publishing.
    outcome_url = f"/outcomes/{early.public_id}"
    sweep.visit(f"{outcome_url}/", lands_on=f"{outcome_url}/record/")
    sweep.submit_with_errors("Save as draft", mentioning="Write what you heard")
    page.get_by_label("What you heard").fill("Bodies want a cope-and-recover measure.")
    with page.expect_navigation():
        sweep.button("Save as draft").click()
    sweep.check()
    sweep.visit(f"{outcome_url}/record/")
    saved = Outcome.objects.get(engagement=early)
    outcomes.outcome_save(
        engagement=early,
        by=lead,
        revision=saved.revision,
        heard=saved.heard,
        changed="The framework has a cope-and-recover measure.",
    )
    page.get_by_label("What did not change, and why").fill("Typed at the same time.")
    sweep.submit_with_errors("Save as draft")
    sweep.visit(f"{outcome_url}/publish/")
    # Readers: a body reads the published outcome; staff may not record one.
    sweep.sign_in(personas.kent_commissioner)
    sweep.visit(f"/outcomes/{closed.public_id}/")
    sweep.sign_in(personas.gwent_staff)
    sweep.visit(f"/outcomes/{closed.public_id}/")
    sweep.visit(f"/outcomes/{closed.public_id}/record/", status=403)

    sweep.finish()


def test_questions_acknowledgements_releases_routing_and_groups(sweep: Sweep, personas) -> None:
    content = national_content(personas)
    seed_loop_content(vars(personas))
    page = sweep.page
    lead, secretariat = personas.moj_lead, personas.secretariat
    early, notice = content.early, content.change_notice
    published = ClarificationRequest.objects.get(engagement=early)

    # Clarifications. Gwent's staff ask: the published list, the form, its errors, refused.
    sweep.sign_in(personas.gwent_staff)
    sweep.visit(f"/clarifications/engagement/{early.public_id}/")
    sweep.visit(f"/clarifications/engagement/{early.public_id}/ask/")
    sweep.submit_with_errors("Send your question")
    question = page.get_by_label("Your question", exact=True)
    question.fill("Does the framework cover restorative justice?")
    with page.expect_navigation():
        sweep.button("Send your question").click()
    sweep.check()  # the question, unanswered
    asked = ClarificationRequest.objects.exclude(pk=published.pk).get(engagement=early)
    sweep.visit("/clarifications/asked/")
    sweep.visit("/clarifications/asked/?state=open")
    sweep.visit("/clarifications/asked/?state=lost", errors=True)
    sweep.sign_in(secretariat)
    sweep.visit(f"/clarifications/engagement/{early.public_id}/ask/", status=403)
    sweep.visit("/clarifications/")
    # The policy lead: the list, answering (errors), publishing (errors, check, published).
    sweep.sign_in(lead)
    sweep.visit("/clarifications/")
    sweep.visit("/clarifications/?state=open")
    sweep.visit("/clarifications/?state=lost", errors=True)
    sweep.visit(f"/clarifications/{asked.public_id}/")
    sweep.visit(f"/clarifications/{asked.public_id}/answer/")
    sweep.submit_with_errors("Send the answer")
    clarifications.clarification_answer(
        clarification=asked, by=lead, answer="Yes, where a policing body commissions it."
    )
    sweep.visit(f"/clarifications/{asked.public_id}/")
    sweep.visit(f"/clarifications/{asked.public_id}/publish/")
    page.get_by_label("The question, as every body will read it").fill("")
    sweep.submit_with_errors("Continue")
    page.get_by_label("The question, as every body will read it").fill("Restorative justice?")
    with page.expect_navigation():
        sweep.button("Continue").click()
    sweep.check()  # what every body will read, before publishing
    sweep.visit(f"/clarifications/{published.public_id}/")
    sweep.sign_in(personas.kent_commissioner)
    sweep.visit(f"/clarifications/{published.public_id}/")
    sweep.visit("/clarifications/asked/")

    # Acknowledgements: the lead's table, a body acknowledging (errors), refused.
    sweep.sign_in(personas.ho_lead)
    sweep.visit(f"/acknowledgements/engagement/{notice.public_id}/")
    sweep.sign_in(personas.kent_commissioner)
    acknowledge = f"/acknowledgements/engagement/{notice.public_id}/acknowledge/"
    sweep.visit(acknowledge)
    overfill(page.get_by_label("Note to the policy lead"), 2_001)
    sweep.submit_with_errors("Acknowledge for Police and Crime Commissioner for Kent")
    page.get_by_label("Note to the policy lead").fill("Shared with our partners.")
    with page.expect_navigation():
        sweep.button("Acknowledge for Police and Crime Commissioner for Kent").click()
    sweep.check()  # the engagement, acknowledged
    sweep.sign_in(personas.dorset_commissioner)  # from the engagement page's own form
    sweep.visit(f"/engagements/{notice.public_id}/")
    with page.expect_navigation():
        sweep.button(f"Acknowledge for {DORSET}").click()
    sweep.check()
    assert Acknowledgement.objects.filter(engagement=notice).count() == 3
    sweep.sign_in(secretariat)
    sweep.visit(f"/acknowledgements/engagement/{notice.public_id}/")
    sweep.visit(acknowledge, status=403)

    # Release requests. Kent's is waiting: the lead decides (errors, then the check page).
    pending = ReleaseRequest.objects.get(engagement=early, decision="pending")
    granted = ReleaseRequest.objects.exclude(pk=pending.pk).get(engagement=early)
    sweep.sign_in(lead)
    sweep.visit("/releases/")
    sweep.visit("/releases/?decision=granted")
    sweep.visit("/releases/?decision=maybe", errors=True)
    sweep.visit(f"/releases/{granted.public_id}/")
    sweep.visit(f"/releases/{pending.public_id}/")
    sweep.visit(f"/releases/{pending.public_id}/decide/")
    sweep.submit_with_errors("Continue")
    page.get_by_label("Yes, grant it").check()
    sweep.submit_with_errors("Continue", mentioning="with whom")
    page.get_by_label("If you grant it: with whom may they share it?").fill("Kent's partners")
    with page.expect_navigation():
        sweep.button("Continue").click()
    sweep.check()  # check your decision
    sweep.visit(f"/releases/engagement/{early.public_id}/ask/", status=403)
    # The bodies: their lists, asking (errors), refused while one waits.
    sweep.sign_in(personas.kent_commissioner)
    sweep.visit("/releases/ours/")
    sweep.visit(f"/releases/{pending.public_id}/")
    sweep.visit(f"/releases/engagement/{early.public_id}/ask/", errors=True)  # one is waiting
    options = Document.objects.get(engagement=early)
    sweep.visit(f"/releases/document/{options.public_id}/ask/")
    sweep.submit_with_errors("Send the request")
    sweep.sign_in(personas.gwent_commissioner)
    sweep.visit("/releases/ours/")
    sweep.visit(f"/releases/{granted.public_id}/")
    sweep.sign_in(personas.dorset_commissioner)
    sweep.visit("/releases/ours/")  # none
    sweep.visit(f"/releases/engagement/{notice.public_id}/ask/")

    # Routing: an engagement awaiting the APCC, amended (errors, preview), and the record.
    awaiting = draft(content.victims_policy, lead, "Consultation on advocates' caseloads")
    engagements.engagement_route(
        engagement=awaiting,
        by=lead,
        route=Route.STANDING_GROUPS,
        groups=[StandingGroup.objects.get(slug="victims")],
    )
    sweep.sign_in(secretariat)
    confirm = f"/engagements/{awaiting.public_id}/confirm/"
    sweep.visit(confirm)
    page.get_by_label("Victims", exact=False).first.uncheck()
    sweep.submit_with_errors("Update who it will reach", mentioning="standing group")
    page.get_by_label("Victims", exact=False).first.check()
    page.get_by_label("Also engage APACE", exact=False).check()
    with page.expect_navigation():
        sweep.button("Update who it will reach").click()
    sweep.check()  # the amended audience, not yet confirmed
    with page.expect_navigation():
        sweep.button("Confirm routing and open").click()
    sweep.check()
    sweep.visit(f"/engagements/{awaiting.public_id}/routing/")  # with the APCC's amendment
    routing = f"/engagements/{early.public_id}/routing/"
    sweep.visit(routing)
    sweep.visit(f"{routing}add-body/")
    sweep.submit_with_errors("Add the body")
    page.get_by_label("Policing body").select_option(label=DORSET)
    page.get_by_label("Why add this body?").fill("Dorset commissions a joint service.")
    with page.expect_navigation():
        sweep.button("Add the body").click()
    sweep.check()  # the record, with the body added
    sweep.visit(f"/engagements/{notice.public_id}/routing/")
    sweep.sign_in(lead)
    sweep.visit(routing)
    sweep.visit(f"{routing}add-body/", status=403)

    # The protocol review's timing figures: the default period, filtered, errors, refused.
    sweep.sign_in(secretariat)
    sweep.visit("/engagements/review/timing/")
    sweep.visit("/engagements/review/timing/")
    fill_date(page, "Opened from", "31", "2", "2026")
    sweep.submit_with_errors("Show figures", mentioning="real date")
    sweep.sign_in(lead)
    today = timezone.localdate()
    start = today - timedelta(days=30)
    sweep.visit(
        "/engagements/review/timing/?"
        f"start_0={start.day}&start_1={start.month}&start_2={start.year}"
        f"&end_0={today.day}&end_1={today.month}&end_2={today.year}"
    )
    sweep.sign_in(personas.gwent_staff)
    sweep.visit("/engagements/review/timing/", status=404)

    # Standing groups: the group page with its history, adding, removing and the lead.
    group = "/directory/standing-groups/victims"
    sweep.sign_in(secretariat)
    sweep.visit(f"{group}/")
    sweep.visit(f"{group}/add-body/")
    sweep.submit_with_errors("Add the body")
    page.get_by_label("Policing body").select_option(label=DORSET)
    with page.expect_navigation():
        sweep.button("Add the body").click()
    sweep.check()  # the group, with its history
    sweep.visit(f"{group}/remove/dorset/")
    with page.expect_navigation():
        sweep.button("Remove the body").click()
    sweep.check()  # the group, Dorset joined and left
    sweep.visit(f"{group}/lead/")
    sweep.uncheck_radios()
    sweep.submit_with_errors("Set the lead")
    sweep.sign_in(personas.gwent_commissioner)
    sweep.visit(f"{group}/")
    sweep.visit(f"{group}/add-body/", status=403)

    sweep.finish()
