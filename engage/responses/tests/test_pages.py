"""The response pages: drafting, checking and submitting, reading, the list and delegations,
through the pages as people use them. Bad input gets a clear message on the page and changes
nothing; what was typed is never lost silently."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from engage.audit.models import AccessLog
from engage.core.labels import Label
from engage.engagements import services as engagement_services
from engage.engagements.models import Engagement
from engage.responses import services
from engage.responses.models import Response, ResponseVersion, SubmissionDelegation

from .fixtures import (
    DRAFT_TEXT,
    FREE_TEXT,
    STANCE,
    SUBMITTED_TEXT,
    WORKING_TEXT,
    open_consultation,
    save,
    start,
    submit,
)

pytestmark = pytest.mark.django_db

GWENT = "Police and Crime Commissioner for Gwent"
KENT = "Police and Crime Commissioner for Kent"
DORSET = "Police and Crime Commissioner for Dorset"


def text(response) -> str:
    return html.unescape(response.content.decode())


def main(response) -> str:
    """The page's main content, unescaped (not the header, whose switcher names people)."""
    return text(response).split('<main class="govuk-main-wrapper"', 1)[1]


def error_links(response) -> list[str]:
    summary = re.search(
        r'<div class="govuk-error-summary".*?</ul>', response.content.decode(), re.S
    )
    assert summary, "no error summary"
    return re.findall(r'href="([^"]+)"', summary.group(0))


def engagement_page(engagement) -> str:
    return reverse("engagements:detail", args=[engagement.public_id])


def respond_url(engagement) -> str:
    return reverse("responses:respond", args=[engagement.public_id])


def detail_url(response) -> str:
    return reverse("responses:detail", args=[response.public_id])


def submit_url(response) -> str:
    return reverse("responses:submit", args=[response.public_id])


def list_url(engagement) -> str:
    return reverse("responses:engagement_responses", args=[engagement.public_id])


def form(revision, **values) -> dict:
    data = {
        "revision": str(revision),
        "answer_1": "",
        "answer_2": "",
        "challenges": "",
        "opportunities": "",
        "local_variations": "",
    }
    data.update(values)
    return data


def make_late(engagement: Engagement) -> None:
    """Move the deadline into the past, as if the weeks had gone by."""
    Engagement.objects.filter(pk=engagement.pk).update(
        response_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    engagement.refresh_from_db()


# The engagement page's Responses section -------------------------------------------------


def test_the_engagement_page_invites_the_body_and_says_who_submits(
    personas, client_for, consultation
):
    staff = main(client_for(personas.gwent_staff).get(engagement_page(consultation)))
    assert "Responses" in staff
    assert f"{GWENT} has not started its response" in staff
    assert "Start your response" in staff
    assert respond_url(consultation) in staff
    assert "Only the commissioner, or someone they delegate to, can submit" in staff
    assert reverse("responses:delegations") in staff

    commissioner = main(client_for(personas.gwent_commissioner).get(engagement_page(consultation)))
    assert "Start your response" in commissioner
    assert "Only the commissioner, or someone they delegate to" not in commissioner


def test_the_engagement_page_counts_responses_for_those_who_read_them(
    personas, client_for, consultation, gwent_submitted
):
    lead = main(client_for(personas.moj_lead).get(engagement_page(consultation)))
    assert "1 response submitted" in lead
    assert list_url(consultation) in lead
    assert "Start your response" not in lead

    kent = main(client_for(personas.kent_commissioner).get(engagement_page(consultation)))
    assert "Start your response" in kent  # Kent is addressed too, and has not started
    assert (
        f'href="{list_url(consultation)}"' not in kent
    )  # Gwent's response is not shared with Kent

    kent_response = save(
        start(consultation, personas.kent_commissioner), personas.kent_commissioner
    )
    submit(kent_response, personas.kent_commissioner)
    gwent = main(client_for(personas.gwent_commissioner).get(engagement_page(consultation)))
    assert "Version 1 of your response was submitted" in gwent
    assert "Changed since it was submitted" in gwent
    assert "Continue your response" in gwent
    assert "You can read 1 response from another body" in gwent  # Gwent leads the group


def test_no_responses_section_when_no_response_is_asked(personas, client_for, policy, victims):
    engagement = open_consultation(
        personas, policy, [victims], asks_response=False, response_deadline=None
    )
    page = main(client_for(personas.gwent_staff).get(engagement_page(engagement)))
    assert 'id="responses"' not in page
    assert "Start your response" not in page


# Drafting -----------------------------------------------------------------------------------


def test_drafting_through_the_page(personas, client_for, consultation):
    staff = client_for(personas.gwent_staff)
    page = text(staff.get(respond_url(consultation)))
    assert FREE_TEXT in page
    assert STANCE in page
    for stance in ("Support", "Support with changes", "Oppose", "No view"):
        assert f">{stance}</label>" in page
    assert "Explain your stance" in page
    assert 'name="revision" value="0"' in page
    assert "TLP:AMBER+STRICT" in page  # the response carries its engagement's label

    response = staff.post(
        respond_url(consultation),
        form(0, answer_1="More advocates in rural areas.", stance_2="oppose", answer_2="Cost."),
    )
    saved = Response.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(saved)
    assert (saved.revision, saved.created_by, saved.is_submitted) == (
        1,
        personas.gwent_staff,
        False,
    )
    assert [(a.question.number, a.text, a.stance) for a in saved.answers.all()] == [
        (1, "More advocates in rural areas.", ""),
        (2, "Cost.", "oppose"),
    ]

    shown = main(staff.get(response.url))
    assert "Your draft response has been saved" in shown
    assert "Draft: not submitted yet" in shown
    assert "More advocates in rural areas." in shown
    assert "Oppose" in shown
    assert "Continue your response" in shown
    assert "Check and submit" not in shown  # staff cannot submit

    again = text(staff.get(respond_url(consultation)))
    assert 'name="revision" value="1"' in again
    assert "More advocates in rural areas." in again
    assert 'value="oppose" checked' in again

    panel = main(staff.get(engagement_page(consultation)))
    assert "Draft saved by Owen Price" in panel
    assert "Continue your response" in panel


def test_saving_without_changes_says_so_and_keeps_the_revision(personas, client_for, gwent_draft):
    staff = client_for(personas.gwent_staff)
    data = form(gwent_draft.revision, answer_1=DRAFT_TEXT, challenges="Staff turnover.")
    response = staff.post(respond_url(gwent_draft.engagement), data, follow=True)
    assert "You had not changed anything, so nothing was saved" in text(response)
    gwent_draft.refresh_from_db()
    assert gwent_draft.revision == 1


def test_a_stance_not_in_the_list_keeps_what_was_typed(personas, client_for, consultation):
    response = client_for(personas.gwent_staff).post(
        respond_url(consultation),
        form(0, answer_1="Kept: what we typed", stance_2="maybe", opportunities="Kept too"),
    )
    assert response.status_code == 200
    page = text(response)
    assert "Choose a stance from the list" in page
    assert error_links(response) == ["#id_stance_2_0"]
    assert "Kept: what we typed" in page
    assert "Kept too" in page
    assert "<title>Error:" in page
    assert not Response.objects.exists()


def test_a_service_error_lands_on_its_field_and_a_first_save_leaves_nothing(
    personas, client_for, consultation
):
    response = client_for(personas.gwent_staff).post(
        respond_url(consultation),
        form(0, answer_1="x" * 10_001, local_variations="Kept: two unitary councils"),
    )
    assert response.status_code == 200
    assert "Keep this to 10,000 characters or fewer" in text(response)
    assert error_links(response) == ["#id_answer_1"]
    assert "Kept: two unitary councils" in text(response)
    assert not Response.objects.exists()  # the response started for the save is undone


def test_saving_an_empty_form_starts_nothing(personas, client_for, consultation):
    response = client_for(personas.gwent_staff).post(respond_url(consultation), form(0))
    assert response.status_code == 200
    assert "There is nothing to save yet" in text(response)
    assert not Response.objects.exists()


def test_a_save_from_an_older_copy_shows_the_latest_and_what_was_typed(
    personas, client_for, gwent_draft
):
    opened_at = gwent_draft.revision  # the staff member opens the form...
    save(  # ...the commissioner saves meanwhile
        gwent_draft,
        personas.gwent_commissioner,
        answers={1: services.AnswerInput(text="The commissioner's words")},
    )
    response = client_for(personas.gwent_staff).post(
        respond_url(gwent_draft.engagement),
        form(opened_at, answer_1="The staff member's words", challenges="Staff turnover."),
    )
    assert response.status_code == 200
    page = text(response)
    assert str(services.CONFLICT) in page
    assert f'name="revision" value="{gwent_draft.revision}"' in page  # the latest revision
    form_part = page.split('<form method="post"', 1)[1]
    assert "The commissioner's words" in form_part  # the form holds the latest copy
    unsaved = page.split('id="unsaved"', 1)[1].split("</div>", 1)[0]
    assert "The staff member's words" in unsaved  # and what they typed is shown, not lost
    assert "Staff turnover." not in unsaved  # unchanged from the latest: not repeated
    gwent_draft.refresh_from_db()
    assert gwent_draft.answers.get(question__number=1).text == "The commissioner's words"


def test_a_closed_engagement_takes_no_more_drafts(personas, client_for, gwent_draft):
    engagement = gwent_draft.engagement
    engagement_services.engagement_close(engagement=engagement, by=personas.moj_lead)
    staff = client_for(personas.gwent_staff)
    response = staff.get(respond_url(engagement), follow=True)
    assert response.redirect_chain[-1][0] == detail_url(gwent_draft)
    assert "Responses can only be drafted or submitted while the engagement is open" in text(
        response
    )
    response = staff.post(respond_url(engagement), form(1, answer_1="Too late"), follow=True)
    assert "It is closed" in text(response)
    assert "Continue your response" not in main(response)
    gwent_draft.refresh_from_db()
    assert gwent_draft.revision == 1
    response = client_for(personas.gwent_commissioner).get(submit_url(gwent_draft), follow=True)
    assert "It is closed" in text(response)
    assert not ResponseVersion.objects.exists()


def test_an_engagement_that_asks_no_response(personas, client_for, policy, victims):
    engagement = open_consultation(
        personas, policy, [victims], asks_response=False, response_deadline=None
    )
    response = client_for(personas.gwent_staff).get(respond_url(engagement), follow=True)
    assert "This engagement does not ask for a response" in text(response)
    assert not Response.objects.exists()


def test_those_not_addressed_are_told_why(personas, client_for, consultation):
    response = client_for(personas.secretariat).get(respond_url(consultation))
    assert response.status_code == 403
    assert "Only a policing body responds to an engagement" in text(response)

    engagement_services.label_release(  # now Dorset, in no group, can read it too
        engagement=consultation,
        by=personas.moj_lead,
        to_label=Label.GREEN,
        reason="Announced",
        for_whom="Everyone",
    )
    response = client_for(personas.dorset_commissioner).get(respond_url(consultation))
    assert response.status_code == 403
    assert f"This engagement is not addressed to {DORSET}" in text(response)
    assert AccessLog.objects.filter(
        action="refused", object_type="response", user=personas.dorset_commissioner
    ).exists()
    response = client_for(personas.dorset_commissioner).post(
        respond_url(consultation), form(0, answer_1="Ours")
    )
    assert response.status_code == 403
    assert not Response.objects.exists()


# Checking and submitting ------------------------------------------------------------------


def test_submitting_makes_a_version(personas, client_for, consultation):
    commissioner = personas.gwent_commissioner
    response = save(start(consultation, personas.gwent_staff), personas.gwent_staff)
    client = client_for(commissioner)

    page = client.get(submit_url(response))
    assert page.status_code == 200
    shown = text(page)
    assert "Check your response before submitting" in shown
    assert SUBMITTED_TEXT in shown
    assert "Support with changes" in shown
    assert f"{respond_url(consultation)}#id_answer_1" in shown  # "Change" links
    assert f'name="revision" value="{response.revision}"' in shown
    assert not ResponseVersion.objects.exists()  # the check page changes nothing

    done = client.post(submit_url(response), {"revision": str(response.revision)})
    assert done.status_code == 302
    assert done.url == detail_url(response)
    version = ResponseVersion.objects.get()
    assert (version.number, version.submitted_by, version.late) == (1, commissioner, False)
    assert version.content["answers"][0]["text"] == SUBMITTED_TEXT

    shown = main(client.get(done.url))
    assert f"Version 1 of the response from {GWENT}" in shown
    assert "Version 1 submitted on" in shown
    assert reverse("responses:version", args=[response.public_id, 1]) in shown
    assert "Rhian Evans" in shown  # submitted by


def test_a_late_submission_is_accepted_and_marked(personas, client_for, consultation):
    make_late(consultation)
    response = save(start(consultation, personas.gwent_staff), personas.gwent_staff)
    client_for(personas.gwent_commissioner).post(
        submit_url(response), {"revision": str(response.revision)}
    )
    assert ResponseVersion.objects.get().late
    page = main(client_for(personas.moj_lead).get(detail_url(response)))
    assert "Late" in page


def test_an_incomplete_response_links_to_what_is_missing(personas, client_for, gwent_draft):
    response = client_for(personas.gwent_commissioner).post(
        submit_url(gwent_draft), {"revision": str(gwent_draft.revision)}
    )
    assert response.status_code == 200
    assert "Choose your stance on question 2" in text(response)
    assert error_links(response) == [f"{respond_url(gwent_draft.engagement)}#id_stance_2_0"]
    assert "<title>Error:" in text(response)
    assert not ResponseVersion.objects.exists()


def test_submitting_again_with_nothing_changed(personas, client_for, consultation):
    commissioner = personas.gwent_commissioner
    response = save(start(consultation, commissioner), commissioner)
    submit(response, commissioner)
    client = client_for(commissioner)
    page = main(client.get(submit_url(response)))
    assert "Nothing has changed since version 1 was submitted" in page
    assert "Submit response" not in page

    refused = client.post(submit_url(response), {"revision": str(response.revision)})
    assert refused.status_code == 200
    assert "Nothing has changed since version 1 was submitted" in text(refused)
    assert ResponseVersion.objects.count() == 1


def test_submitting_an_older_copy_is_refused_and_shows_the_latest(
    personas, client_for, gwent_draft
):
    shown_revision = gwent_draft.revision
    save(gwent_draft, personas.gwent_staff)  # complete, saved after the check page opened
    response = client_for(personas.gwent_commissioner).post(
        submit_url(gwent_draft), {"revision": str(shown_revision)}
    )
    assert response.status_code == 200
    page = text(response)
    assert str(services.CONFLICT) in page
    assert SUBMITTED_TEXT in page  # the latest working copy
    assert f'name="revision" value="{gwent_draft.revision}"' in page
    assert not ResponseVersion.objects.exists()


def test_a_second_version_keeps_the_first(personas, client_for, gwent_submitted):
    client = client_for(personas.gwent_commissioner)
    client.post(submit_url(gwent_submitted), {"revision": str(gwent_submitted.revision)})
    assert list(ResponseVersion.objects.values_list("number", flat=True)) == [2, 1]

    first = main(client.get(reverse("responses:version", args=[gwent_submitted.public_id, 1])))
    assert SUBMITTED_TEXT in first
    assert WORKING_TEXT not in first
    assert "This is an earlier version. Version 2 is the latest" in first
    second = main(client.get(reverse("responses:version", args=[gwent_submitted.public_id, 2])))
    assert WORKING_TEXT in second
    assert "earlier version" not in second


# Reading ------------------------------------------------------------------------------------


def test_the_body_reads_its_working_copy_and_others_the_submitted_version(
    personas, client_for, gwent_submitted
):
    own = main(client_for(personas.gwent_staff).get(detail_url(gwent_submitted)))
    assert WORKING_TEXT in own
    assert "Your working copy" in own
    assert "Changed since it was submitted" in own

    lead = main(client_for(personas.moj_lead).get(detail_url(gwent_submitted)))
    assert SUBMITTED_TEXT in lead
    assert WORKING_TEXT not in lead
    assert "Your working copy" not in lead
    assert "Version 1, by Rhian Evans" in lead
    assert "TLP:AMBER+STRICT" in lead


def test_every_view_of_a_response_is_logged_with_its_label(personas, client_for, gwent_submitted):
    client = client_for(personas.secretariat)
    client.get(detail_url(gwent_submitted))
    client.get(reverse("responses:version", args=[gwent_submitted.public_id, 1]))
    entries = AccessLog.objects.filter(
        object_type="response", object_id=str(gwent_submitted.public_id)
    ).order_by("pk")
    assert [(e.user, e.action, e.label, e.detail) for e in entries] == [
        (personas.secretariat, "view", Label.AMBER_STRICT, ""),
        (personas.secretariat, "view", Label.AMBER_STRICT, "version 1"),
    ]


def test_breadcrumbs_start_from_the_inbox_and_the_engagement(personas, client_for, gwent_submitted):
    page = text(client_for(personas.moj_lead).get(detail_url(gwent_submitted)))
    crumbs = re.search(r'<nav class="govuk-breadcrumbs".*?</nav>', page, re.S).group(0)
    assert re.findall(r"<li[^>]*>(?:<a[^>]*>)?([^<]+)", crumbs) == [
        "Inbox",
        gwent_submitted.engagement.title,
        f"Response from {GWENT}",
    ]


def test_the_list_of_responses_counts_filters_and_shows_stances(
    personas, client_for, consultation, gwent_submitted
):
    make_late(consultation)
    kent = personas.kent_commissioner
    submit(
        save(
            start(consultation, kent),
            kent,
            answers={
                1: services.AnswerInput(text="Kent's view"),
                2: services.AnswerInput(stance="oppose"),
            },
        ),
        kent,
    )
    lead = client_for(personas.moj_lead)
    page = main(lead.get(list_url(consultation)))
    assert "2 responses from 2 bodies addressed" in page
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', page, re.S)[1:]
    assert [re.search(r">([^<]+)</a>", row).group(1) for row in rows] == [GWENT, KENT]
    assert "Support with changes" in rows[0]
    assert "Oppose" in rows[1]
    assert "Late" in rows[1]
    assert "Late" not in rows[0]
    assert WORKING_TEXT not in page

    late = main(lead.get(list_url(consultation), {"timing": "late"}))
    assert f">{KENT}<" in late
    assert f">{GWENT}<" not in late
    on_time = main(lead.get(list_url(consultation), {"timing": "on_time"}))
    assert f">{GWENT}<" in on_time
    assert f">{KENT}<" not in on_time

    bad = lead.get(list_url(consultation), {"timing": "soon", "page": "x"})
    assert bad.status_code == 200
    assert "Choose on time or late from the list" in text(bad)


def test_the_list_is_empty_until_someone_submits(personas, client_for, gwent_draft):
    page = main(client_for(personas.moj_lead).get(list_url(gwent_draft.engagement)))
    assert "No responses have been submitted yet" in page
    assert DRAFT_TEXT not in page


def test_kent_reads_only_its_own_response_in_the_list_unless_shared(
    personas, client_for, consultation, gwent_submitted
):
    kent = personas.kent_commissioner
    submit(save(start(consultation, kent), kent), kent)
    client = client_for(kent)
    page = main(client.get(list_url(consultation)))
    assert f">{KENT}<" in page
    assert f">{GWENT}<" not in page
    assert "bodies addressed" not in page  # Kent does not read them all: no total

    Engagement.objects.filter(pk=consultation.pk).update(share_responses=True)
    page = main(client.get(list_url(consultation)))
    assert f">{GWENT}<" in page
    panel = main(client.get(engagement_page(consultation)))
    assert "shares submitted responses with every body" in panel
    assert "You can read 1 response from another body" in panel
    shared = main(client.get(detail_url(gwent_submitted)))
    assert SUBMITTED_TEXT in shared
    assert WORKING_TEXT not in shared


# Delegations --------------------------------------------------------------------------------


def test_the_commissioner_delegates_and_withdraws(personas, client_for, gwent_draft):
    staff, commissioner = personas.gwent_staff, personas.gwent_commissioner
    client = client_for(commissioner)
    delegations = reverse("responses:delegations")
    page = main(client.get(delegations))
    assert "Rhian Evans" in page  # the commissioner
    assert "The commissioner has not delegated to anyone" in page
    assert f'<option value="{staff.pk}">Owen Price ({staff.email})</option>' in page
    assert client_for(staff).get(submit_url(gwent_draft)).status_code == 403

    response = client.post(delegations, {"delegate": str(staff.pk)})
    assert response.status_code == 302
    delegation = SubmissionDelegation.objects.get()
    assert (delegation.delegate, delegation.granted_by) == (staff, commissioner)
    page = main(client.get(delegations))
    assert f"Owen Price can now submit responses for {GWENT}" in page
    assert "Owen Price" in page.split("Delegated to", 1)[1]
    assert client_for(staff).get(submit_url(gwent_draft)).status_code == 200

    read_only = main(client_for(staff).get(delegations))
    assert "Owen Price" in read_only
    assert "Withdraw" not in read_only
    assert "Only the commissioner can change who submits responses" in read_only
    assert client_for(staff).post(delegations, {"delegate": str(staff.pk)}).status_code == 403

    withdraw = reverse("responses:delegation_withdraw", args=[delegation.pk])
    assert "Stop Owen Price submitting responses?" in main(client.get(withdraw))
    delegation.refresh_from_db()
    assert delegation.revoked_at is None  # the confirmation page changes nothing
    response = client.post(withdraw, follow=True)
    assert f"Owen Price can no longer submit responses for {GWENT}" in text(response)
    delegation.refresh_from_db()
    assert delegation.revoked_by == commissioner
    assert client_for(staff).get(submit_url(gwent_draft)).status_code == 403
    assert client.get(withdraw).status_code == 404  # withdrawn: nothing left to withdraw


def test_delegating_to_nobody_or_to_someone_not_offered(personas, client_for):
    client = client_for(personas.gwent_commissioner)
    delegations = reverse("responses:delegations")
    response = client.post(delegations, {"delegate": ""})
    assert "Choose the person who should be able to submit responses" in text(response)
    assert error_links(response) == ["#id_delegate"]
    for person in (personas.gwent_commissioner, personas.kent_commissioner):
        response = client.post(delegations, {"delegate": str(person.pk)})
        assert "Choose a person from the list" in text(response)
    response = client.post(delegations, {"delegate": "not-a-number"})
    assert "Choose a person from the list" in text(response)
    assert not SubmissionDelegation.objects.exists()


def test_a_delegate_submits_for_the_body(personas, client_for, gwent_draft):
    services.delegation_grant(
        body=gwent_draft.body, delegate=personas.gwent_staff, by=personas.gwent_commissioner
    )
    save(gwent_draft, personas.gwent_staff)
    client = client_for(personas.gwent_staff)
    assert "Only the commissioner" not in main(client.get(engagement_page(gwent_draft.engagement)))
    client.post(submit_url(gwent_draft), {"revision": str(gwent_draft.revision)})
    assert ResponseVersion.objects.get().submitted_by == personas.gwent_staff


def test_malformed_and_unknown_addresses(personas, client_for, gwent_submitted):
    client = client_for(personas.gwent_commissioner)
    assert client.get("/responses/not-a-uuid/").status_code == 404
    assert client.get(f"/responses/{gwent_submitted.engagement.public_id}/").status_code == 404
    assert client.get(f"/responses/{gwent_submitted.public_id}/versions/9/").status_code == 404
    assert client.get("/responses/delegations/999/withdraw/").status_code == 404
    assert client.get(f"/responses/engagement/{gwent_submitted.public_id}/").status_code == 404
    response = client.post(submit_url(gwent_submitted), {"revision": "x"})
    assert str(services.CONFLICT) in text(response)
