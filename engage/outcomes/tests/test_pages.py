"""The outcome pages at work: closing prompts for the outcome, the lead drafts, publishes and
corrects it, Kent reads it on the engagement and policy pages, the inbox shows "Outcome due"
until then; and every bad input gets a clear message where the person is, changing nothing."""

import html

import pytest
from django.urls import reverse

from engage.audit.models import AccessLog
from engage.engagements import services as engagement_services
from engage.engagements.tests.conftest import engagement_fields, open_engagement
from engage.outcomes.models import Outcome, OutcomeStatus
from engage.policies import services as policy_services
from engage.responses.tests.fixtures import open_consultation

from .fixtures import CHANGED, HEARD, NOT_CHANGED, POINT

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def url(name: str, engagement) -> str:
    return reverse(f"outcomes:{name}", args=[engagement.public_id])


def form_data(revision="0", **overrides) -> dict:
    data = {
        "revision": revision,
        "heard": HEARD,
        "changed": CHANGED,
        "not_changed": NOT_CHANGED,
        "point_1": POINT,
        "point_2": "",
    }
    data.update(overrides)
    return data


def inbox(client, **params) -> str:
    return text(client.get(reverse("engagements:inbox"), params))


# The journey -----------------------------------------------------------------------------


def test_close_draft_publish_and_kent_reads_it(personas, client_for, policy, victims):
    engagement = open_consultation(personas, policy, [victims])
    lead = client_for(personas.moj_lead)
    kent = client_for(personas.kent_commissioner)
    detail = reverse("engagements:detail", args=[engagement.public_id])

    # Closing an engagement that asked for responses prompts for the outcome.
    response = lead.post(reverse("engagements:close", args=[engagement.public_id]))
    assert response["Location"] == url("edit", engagement)
    engagement.refresh_from_db()
    assert engagement.status == "closed"
    form = text(lead.get(response["Location"]))
    assert "Record the outcome: you said, we did" in form
    assert "Now tell the bodies what came of it" in form
    assert "Not now: back to the engagement" in form
    assert reverse("responses:engagement_responses", args=[engagement.public_id]) in form

    # Until one is published the lead's inbox and the engagement page say it is due.
    assert "Outcome due" in inbox(lead)
    assert "Outcome due" in text(lead.get(detail))
    assert "Record the outcome" in text(lead.get(detail))
    assert "Outcome due" not in text(kent.get(detail))  # the lead's prompt, not Kent's

    response = lead.post(url("edit", engagement), form_data())
    assert response["Location"] == url("detail", engagement)
    page = text(lead.get(response["Location"]))
    assert "It is not published yet" in page
    for written in (HEARD, POINT):
        assert written in page
    assert HEARD not in text(kent.get(detail))
    assert kent.get(url("detail", engagement)).status_code == 404
    assert "Outcome due" in inbox(lead)

    assert "Are you sure" in text(lead.get(url("publish", engagement)))
    response = lead.post(url("publish", engagement), {"revision": "1"}, follow=True)
    assert "The outcome is published" in text(response)
    assert "Outcome due" not in inbox(lead)

    page = text(kent.get(url("detail", engagement)))
    for written in (HEARD, CHANGED, NOT_CHANGED, POINT):
        assert written in page
    assert "Updated on" not in page
    assert CHANGED in text(kent.get(detail))  # the engagement page's section
    assert "Read the outcome" in text(kent.get(detail))
    policy_page = text(kent.get(reverse("policies:detail", args=[policy.public_id])))
    assert "Outcomes: you said, we did" in policy_page
    assert url("detail", engagement) in policy_page

    # A correction: the audience sees the latest, marked "updated on".
    form = text(lead.get(url("edit", engagement)))
    assert "Correct the published outcome" in form
    response = lead.post(
        url("edit", engagement),
        form_data(revision="1", changed="Corrected: from April", reason="The date was missing"),
    )
    assert response.status_code == 302
    page = text(kent.get(url("detail", engagement)))
    assert "Corrected: from April" in page
    assert "Updated on" in page
    assert "The date was missing" in text(lead.get(url("detail", engagement)))  # its history


def test_closing_still_works_when_the_lead_records_nothing(personas, client_for, policy, victims):
    engagement = open_consultation(personas, policy, [victims])
    lead = client_for(personas.moj_lead)
    lead.post(reverse("engagements:close", args=[engagement.public_id]))
    engagement.refresh_from_db()
    assert engagement.status == "closed"
    assert not Outcome.objects.exists()
    assert lead.get(reverse("engagements:detail", args=[engagement.public_id])).status_code == 200


def test_closing_one_that_asked_for_no_response_does_not_prompt(
    personas, client_for, policy, victims
):
    engagement = open_engagement(
        personas, policy, groups=[victims], asks_response=False, response_deadline=None
    )
    lead = client_for(personas.moj_lead)
    response = lead.post(reverse("engagements:close", args=[engagement.public_id]))
    assert response["Location"] == reverse("engagements:detail", args=[engagement.public_id])
    assert "Outcome due" not in inbox(lead)


def test_the_inbox_filters_the_outcomes_due(personas, client_for, policy, victims, closed):
    other = open_consultation(personas, policy, [victims], title="Still open")
    lead = client_for(personas.moj_lead)
    filtered = inbox(lead, outcome_due_only="on")
    assert closed.title in filtered
    assert other.title not in filtered
    assert other.title in inbox(lead)
    assert "Only those whose outcome is due" in filtered
    # Only a national organisation's inbox offers it.
    assert "Only those whose outcome is due" not in inbox(client_for(personas.gwent_staff))


def test_every_view_is_logged_with_the_label(personas, client_for, published):
    client_for(personas.kent_commissioner).get(url("detail", published.engagement))
    entry = AccessLog.objects.get(object_type="outcome")
    assert (entry.user, entry.action, entry.label, entry.object_id) == (
        personas.kent_commissioner,
        "view",
        "amber_strict",
        str(published.engagement.public_id),
    )


def test_the_collective_view_link_waits_for_its_app(personas, client_for, published):
    response = client_for(personas.moj_lead).get(url("detail", published.engagement))
    assert response.context["collective_view_url"] == ""


# Bad input -------------------------------------------------------------------------------


def test_another_organisations_lead_gets_a_404_and_changes_nothing(personas, client_for, draft):
    ho = client_for(personas.ho_lead)
    engagement = draft.engagement
    assert ho.get(url("edit", engagement)).status_code == 404
    assert ho.post(url("edit", engagement), form_data(revision="1")).status_code == 404
    assert ho.post(url("publish", engagement), {"revision": "1"}).status_code == 404
    draft.refresh_from_db()
    assert (draft.heard, draft.revision, draft.status) == (HEARD, 1, OutcomeStatus.DRAFT)


def test_not_before_the_engagement_reaches_its_audience(personas, client_for, policy):
    engagement = engagement_services.engagement_create(
        policy=policy, by=personas.moj_lead, **engagement_fields()
    )
    lead = client_for(personas.moj_lead)
    response = lead.post(url("edit", engagement), form_data(), follow=True)
    assert "once the engagement has reached its audience. It is draft." in text(response)
    assert response.redirect_chain[-1][0] == reverse(
        "engagements:detail", args=[engagement.public_id]
    )
    assert not Outcome.objects.exists()


def test_an_empty_or_overlong_form_is_answered_on_the_form(personas, client_for, closed):
    lead = client_for(personas.moj_lead)
    response = lead.post(
        url("edit", closed), form_data(heard="", changed="", not_changed="", point_1="")
    )
    assert response.status_code == 200
    assert "Write what you heard, or what changed, before saving" in text(response)
    assert 'href="#id_heard"' in text(response)  # the error summary links to the field
    response = lead.post(url("edit", closed), form_data(point_1="x" * 10_001))
    assert response.status_code == 200
    assert "Keep this to 10,000 characters or fewer" in text(response)
    assert not Outcome.objects.exists()


def test_a_stale_form_shows_the_latest_and_saves_nothing(personas, client_for, draft):
    lead = client_for(personas.moj_lead)
    engagement = draft.engagement
    lead.post(url("edit", engagement), form_data(revision="1", heard="Newer"))
    response = lead.post(url("edit", engagement), form_data(revision="1", heard="Stale"))
    assert response.status_code == 200
    page = text(response)
    assert "Someone else saved this outcome after you opened it" in page
    assert "Newer" in page
    draft.refresh_from_db()
    assert (draft.heard, draft.revision) == ("Newer", 2)


def test_saving_without_changes_says_so(personas, client_for, draft):
    response = client_for(personas.moj_lead).post(
        url("edit", draft.engagement), form_data(revision="1"), follow=True
    )
    assert "You had not changed anything" in text(response)
    draft.refresh_from_db()
    assert draft.revision == 1


def test_publishing_what_is_incomplete_or_published_is_refused(personas, client_for, closed):
    lead = client_for(personas.moj_lead)
    lead.post(url("edit", closed), form_data(changed=""))
    response = lead.get(url("publish", closed), follow=True)
    assert "Say what changed before you publish the outcome" in text(response)
    response = lead.post(url("publish", closed), {"revision": "1"}, follow=True)
    assert "Say what changed before you publish the outcome" in text(response)
    assert Outcome.objects.get().status == OutcomeStatus.DRAFT

    lead.post(url("edit", closed), form_data(revision="1"))
    lead.post(url("publish", closed), {"revision": "2"})
    response = lead.post(url("publish", closed), {"revision": "2"}, follow=True)
    assert "This outcome is already published." in text(response)


def test_publishing_a_changed_draft_is_refused(personas, client_for, draft):
    lead = client_for(personas.moj_lead)
    lead.post(url("edit", draft.engagement), form_data(revision="1", heard="Changed since"))
    response = lead.post(url("publish", draft.engagement), {"revision": "1"}, follow=True)
    assert "Someone else saved this outcome" in text(response)
    assert Outcome.objects.get().status == OutcomeStatus.DRAFT


def test_publishing_nothing_sends_the_lead_to_the_form(personas, client_for, closed):
    response = client_for(personas.moj_lead).post(url("publish", closed), {"revision": "0"})
    assert response["Location"] == url("edit", closed)
    assert not Outcome.objects.exists()


def test_a_correction_needs_a_reason(personas, client_for, published):
    lead = client_for(personas.moj_lead)
    response = lead.post(url("edit", published.engagement), form_data(revision="1", changed="X"))
    assert response.status_code == 200
    assert "Say why you are correcting the published outcome" in text(response)
    published.refresh_from_db()
    assert published.changed == CHANGED


def test_a_screened_out_policy_refuses_and_says_so(personas, client_for, draft, policy):
    policy_services.policy_screen(
        policy=policy,
        sensitive_information=True,
        prosecutorial_independence=False,
        judicial_independence=False,
        national_security=False,
        by=personas.moj_lead,
    )
    lead = client_for(personas.moj_lead)
    response = lead.post(url("edit", draft.engagement), form_data(revision="1", heard="After"))
    assert response.status_code == 200
    assert "This attempt has been recorded." in text(response)
    draft.refresh_from_db()
    assert draft.heard == HEARD
    page = text(lead.get(reverse("engagements:detail", args=[draft.engagement.public_id])))
    assert "Change the outcome" not in page


@pytest.mark.parametrize("bad", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_unknown_engagements_are_404(personas, client_for, bad):
    client = client_for(personas.moj_lead)
    for tail in ("", "record/", "publish/"):
        response = client.get(f"/outcomes/{bad}/{tail}")
        assert response.status_code == 404
