"""The pages: a whole journey through them, and bad input, which gets a clear message on the
page (or a 403/404), never a server error, and changes nothing."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from engage.audit.models import AccessLog
from engage.core.labels import Label
from engage.engagements import services
from engage.engagements.models import Engagement, LabelRelease, Question, Status

from .conftest import engagement_fields

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def date_fields(name: str, value: datetime.date | None) -> dict[str, str]:
    if value is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {
        f"{name}_0": str(value.day),
        f"{name}_1": str(value.month),
        f"{name}_2": str(value.year),
    }


def form_data(**overrides) -> dict:
    today = TODAY()
    data = {
        "kind": "consultation",
        "title": "Victims code: commissioning",
        "body": "Tell us how it would work locally.",
        "actions": ["asks_response", "asks_dissemination"],
        "label": Label.AMBER_STRICT,
        "recipients": "",
        "rationale": "",
        **date_fields("opens_on", today),
        **date_fields("response_deadline", today + datetime.timedelta(days=21)),
        **date_fields("effective_date", None),
    }
    data.update(overrides)
    return data


def text(response) -> str:
    return html.unescape(response.content.decode())


def new_url(policy) -> str:
    return f"{reverse('engagements:new')}?policy={policy.public_id}"


def detail(engagement) -> str:
    return reverse("engagements:detail", args=[engagement.public_id])


# A journey ------------------------------------------------------------------------------


def test_from_draft_to_the_inbox_of_the_group_and_closed(personas, client_for, policy, victims):
    lead = client_for(personas.moj_lead)
    response = lead.post(new_url(policy), form_data())
    engagement = Engagement.objects.get()
    assert response.status_code == 302
    assert response.url == detail(engagement)
    assert engagement.asks_response
    assert engagement.asks_dissemination

    questions = reverse("engagements:questions", args=[engagement.public_id])
    lead.post(
        questions, {"action": "add", "add-text": "What would change?", "add-kind": "free_text"}
    )
    lead.post(questions, {"action": "add", "add-text": "Do you support it?", "add-kind": "stance"})
    lead.post(questions, {"action": "down", "number": "1"})
    assert list(engagement.questions.values_list("text", flat=True)) == [
        "Do you support it?",
        "What would change?",
    ]
    lead.post(
        questions,
        {"action": "update", "number": "2", "edit-text": "What changes?", "edit-kind": "free_text"},
    )
    assert engagement.questions.get(number=2).text == "What changes?"

    response = lead.post(
        reverse("engagements:route", args=[engagement.public_id]),
        {"route": "groups", "groups": [victims.slug]},
    )
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.status == Status.AWAITING_APCC

    apcc = client_for(personas.secretariat)
    assert engagement.title in text(apcc.get(reverse("engagements:apcc_queue")))
    response = apcc.post(reverse("engagements:confirm", args=[engagement.public_id]))
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.status == Status.OPEN

    inbox = text(client_for(personas.gwent_staff).get(reverse("engagements:inbox")))
    assert engagement.title in inbox
    assert "21 days left" in inbox
    assert "Respond, disseminate locally" in inbox
    page = text(client_for(personas.kent_commissioner).get(detail(engagement)))
    assert "Policy stage when it opened" in page
    assert "Development" in page
    assert "TLP:AMBER+STRICT" in page
    assert "Your organisation only. Do not share further unless the owner says so." in page

    close = reverse("engagements:close", args=[engagement.public_id])
    assert "Are you sure" in text(lead.get(close))
    engagement.refresh_from_db()
    assert engagement.status == Status.OPEN  # the confirmation page changes nothing
    lead.post(close)
    engagement.refresh_from_db()
    assert engagement.status == Status.CLOSED
    assert "Closed" in text(client_for(personas.gwent_staff).get(reverse("engagements:inbox")))


def test_every_view_of_the_engagement_page_is_logged_with_its_label(personas, client_for, opened):
    client_for(personas.kent_commissioner).get(detail(opened))
    client_for(personas.kent_commissioner).get(detail(opened))
    entries = AccessLog.objects.filter(object_type="engagement", object_id=str(opened.public_id))
    assert entries.count() == 2
    entry = entries.first()
    assert (entry.user, entry.action, entry.label) == (
        personas.kent_commissioner,
        "view",
        Label.AMBER_STRICT,
    )
    assert entry.organisation.slug == "kent"


def test_the_returned_draft_shows_the_apccs_advice_to_the_lead(personas, client_for, awaiting):
    response = client_for(personas.secretariat).post(
        reverse("engagements:return", args=[awaiting.public_id]),
        {"advice": "Send it to the Victims group only once the impact assessment is attached."},
    )
    assert response.status_code == 302
    page = text(client_for(personas.moj_lead).get(detail(awaiting)))
    assert "Returned by the APCC" in page
    assert "once the impact assessment is attached" in page


def test_the_wider_route_consultation_through_the_pages(personas, client_for, draft):
    lead = client_for(personas.moj_lead)
    lead.post(
        reverse("engagements:wider_request", args=[draft.public_id]),
        {"request": "Every force area is affected."},
    )
    apcc = client_for(personas.secretariat)
    assert draft.title in text(apcc.get(reverse("engagements:apcc_queue")))
    decide = reverse("engagements:wider_decide", args=[draft.public_id])
    response = apcc.post(decide, {"decision": "agreed", "advice": "Agreed: copy APACE in."})
    assert response.status_code == 302
    response = lead.post(
        reverse("engagements:route", args=[draft.public_id]), {"route": "all_bodies"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.route) == (Status.AWAITING_APCC, "all_bodies")
    assert apcc.get(decide).status_code == 404  # nothing is waiting now


def test_green_release_through_the_page(personas, client_for, opened):
    response = client_for(personas.moj_lead).post(
        reverse("engagements:release", args=[opened.public_id]),
        {"to_label": Label.GREEN, "reason": "Announced", "for_whom": "All bodies"},
    )
    assert response.status_code == 302
    opened.refresh_from_db()
    assert opened.label == Label.GREEN
    page = text(client_for(personas.dorset_commissioner).get(detail(opened)))
    assert "TLP:GREEN" in page
    assert "Anyone in the Engage community" in page
    lead_page = text(client_for(personas.moj_lead).get(detail(opened)))
    assert "TLP:AMBER+STRICT → TLP:GREEN" in lead_page


def test_red_narrowing_to_named_recipients_through_the_edit_page(
    personas, client_for, draft, victims
):
    lead = client_for(personas.moj_lead)
    edit = reverse("engagements:edit", args=[draft.public_id])
    response = lead.post(edit, form_data(label=Label.RED, recipients=personas.gwent_staff.email))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.label == Label.RED
    assert not LabelRelease.objects.exists()
    services.engagement_route(
        engagement=draft, by=personas.moj_lead, route="groups", groups=[victims]
    )
    services.engagement_confirm_routing(engagement=draft, by=personas.secretariat)
    assert client_for(personas.gwent_staff).get(detail(draft)).status_code == 200
    assert client_for(personas.gwent_commissioner).get(detail(draft)).status_code == 404
    assert client_for(personas.kent_commissioner).get(detail(draft)).status_code == 404


# Bad input ------------------------------------------------------------------------------


def error_links(response) -> list[str]:
    summary = re.search(
        r'<div class="govuk-error-summary".*?</ul>', response.content.decode(), re.S
    )
    assert summary, "no error summary"
    return re.findall(r'href="#([^"]+)"', summary.group(0))


def test_a_deadline_before_the_opening_date(personas, client_for, policy):
    response = client_for(personas.moj_lead).post(
        new_url(policy),
        form_data(**date_fields("response_deadline", TODAY() - datetime.timedelta(days=1))),
    )
    assert response.status_code == 200
    assert "The response deadline must be after the opening date" in text(response)
    assert error_links(response) == ["id_response_deadline_0"]
    assert 'value="Victims code: commissioning"' in response.content.decode()  # kept
    assert "<title>Error:" in response.content.decode()
    assert not Engagement.objects.exists()


def test_a_date_that_does_not_exist(personas, client_for, policy):
    response = client_for(personas.moj_lead).post(
        new_url(policy), form_data(opens_on_0="31", opens_on_1="2", opens_on_2="2026")
    )
    assert "The opening date must be a real date" in text(response)
    assert (
        'name="opens_on_0" type="text" inputmode="numeric" value="31"' in response.content.decode()
    )
    assert not Engagement.objects.exists()


def test_a_change_notice_without_rationale_or_effective_date(personas, client_for, policy):
    response = client_for(personas.moj_lead).post(
        new_url(policy),
        form_data(kind="change_notice", actions=[], **date_fields("response_deadline", None)),
    )
    page = text(response)
    assert "Explain the rationale for the change" in page
    assert "Enter the date the change takes effect" in page
    assert set(error_links(response)) == {"id_rationale", "id_effective_date_0"}
    assert not Engagement.objects.exists()


@pytest.mark.parametrize(
    ("recipients", "message"),
    [
        ("", "Name at least one recipient"),
        ("nobody@example.org", "Nobody in Engage has the email address nobody@example.org"),
        ("not an email", "not an email address in the correct format"),
        ("member@womens-centre.example.org", "must be people in a policing body or the APCC"),
    ],
)
def test_a_tlp_red_item_without_proper_recipients(
    personas, client_for, policy, recipients, message
):
    response = client_for(personas.moj_lead).post(
        new_url(policy), form_data(label=Label.RED, recipients=recipients)
    )
    assert response.status_code == 200
    assert message in text(response)
    assert error_links(response) == ["id_recipients"]
    assert not Engagement.objects.exists()


def test_starting_on_a_screened_out_policy_is_refused_explained_and_logged(
    personas, client_for, screened_policy
):
    lead = client_for(personas.moj_lead)
    page = text(lead.get(new_url(screened_policy)))
    assert "You cannot engage on this policy" in page
    assert "outside the protocol" in page
    assert "This attempt has been recorded" in page
    assert '<form method="post"' not in page.split("<main")[1]  # no form to fill in

    response = lead.post(new_url(screened_policy), form_data())
    assert response.status_code == 200
    assert "outside the protocol" in text(response)
    assert not Engagement.objects.exists()
    refused = AccessLog.objects.filter(
        action="refused", object_type="policy", object_id=str(screened_policy.public_id)
    )
    assert refused.count() == 2


def test_routing_a_policy_screened_out_since_is_refused_on_the_page(
    personas, client_for, draft, policy, victims
):
    policy.triage_outcome = "screened_out"
    policy.national_security = True
    policy.save()
    response = client_for(personas.moj_lead).post(
        reverse("engagements:route", args=[draft.public_id]),
        {"route": "groups", "groups": [victims.slug]},
    )
    assert response.status_code == 200
    assert "outside the protocol" in text(response)
    assert AccessLog.objects.filter(action="refused", object_type="policy").count() == 1
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_routing_to_all_bodies_without_agreement(personas, client_for, draft):
    response = client_for(personas.moj_lead).post(
        reverse("engagements:route", args=[draft.public_id]), {"route": "all_bodies"}
    )
    assert response.status_code == 200
    assert "once the APCC has been consulted and agreed" in text(response)
    assert error_links(response) == ["id_route_0"]
    draft.refresh_from_db()
    assert (draft.status, draft.route) == (Status.DRAFT, "")


def test_routing_to_groups_without_choosing_one_or_an_unknown_one(personas, client_for, draft):
    route = reverse("engagements:route", args=[draft.public_id])
    lead = client_for(personas.moj_lead)
    assert "Choose at least one standing group" in text(lead.post(route, {"route": "groups"}))
    response = lead.post(route, {"route": "groups", "groups": ["no-such-group"]})
    assert "Choose standing groups from the list" in text(response)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_confirming_something_not_awaiting_the_apcc(personas, client_for, opened):
    confirm = reverse("engagements:confirm", args=[opened.public_id])
    apcc = client_for(personas.secretariat)
    response = apcc.post(confirm, follow=True)
    assert "Only an engagement awaiting the APCC can be confirmed" in text(response)
    opened.refresh_from_db()
    assert opened.confirmed_at is not None
    before = opened.history.count()
    apcc.post(confirm)
    assert opened.history.count() == before


def test_editing_someone_elses_engagement(personas, client_for, opened, draft):
    edit = reverse("engagements:edit", args=[opened.public_id])
    assert (
        client_for(personas.gwent_commissioner).post(edit, form_data(title="Mine")).status_code
        == 403
    )
    assert client_for(personas.ho_lead).post(edit, form_data(title="Mine")).status_code == 404
    opened.refresh_from_db()
    assert opened.title != "Mine"


def test_a_malformed_or_unknown_uuid(personas, client_for, policy):
    lead = client_for(personas.moj_lead)
    assert lead.get("/engagements/not-a-uuid/").status_code == 404
    assert lead.get(f"/engagements/{policy.public_id}/").status_code == 404
    assert lead.get(f"{reverse('engagements:new')}?policy=not-a-uuid").status_code == 404
    assert lead.get(reverse("engagements:new")).status_code == 404
    assert lead.get("/engagements/priorities/not-a-uuid/").status_code == 404


def test_unknown_filter_values(personas, client_for, opened):
    gwent = client_for(personas.gwent_staff)
    response = gwent.get(reverse("engagements:inbox"), {"status": "bogus", "kind": "poll"})
    assert response.status_code == 200
    page = text(response)
    assert "Choose a status from the list" in page
    assert "Choose a kind of engagement from the list" in page
    assert set(error_links(response)) == {"id_status", "id_kind"}
    response = gwent.get(reverse("engagements:priorities"), {"source": "press", "page": "x"})
    assert response.status_code == 200
    assert "Choose a source from the list" in text(response)


def test_bad_question_actions(personas, client_for, draft):
    questions = reverse("engagements:questions", args=[draft.public_id])
    lead = client_for(personas.moj_lead)
    response = lead.post(questions, {"action": "add", "add-text": "", "add-kind": "free_text"})
    assert "Enter the question" in text(response)
    assert error_links(response) == ["id_add-text"]
    assert lead.post(questions, {"action": "remove", "number": "abc"}).status_code == 404
    assert lead.post(questions, {"action": "up", "number": "9"}).status_code == 404
    assert lead.get(questions, {"edit": "9"}).status_code == 404
    response = lead.post(questions, {"action": "explode"}, follow=True)
    assert "Choose what to do with the questions" in text(response)
    assert not Question.objects.exists()


def test_a_release_that_would_narrow(personas, client_for, opened):
    response = client_for(personas.moj_lead).post(
        reverse("engagements:release", args=[opened.public_id]),
        {"to_label": Label.RED, "reason": "r", "for_whom": "f"},
    )
    assert response.status_code == 200
    assert "Choose one of the wider labels listed" in text(response)
    opened.refresh_from_db()
    assert opened.label == Label.AMBER_STRICT


def test_closing_twice_or_a_draft(personas, client_for, opened, policy):
    lead = client_for(personas.moj_lead)
    close = reverse("engagements:close", args=[opened.public_id])
    lead.post(close)
    response = lead.post(close, follow=True)
    assert "Only an open engagement can be closed" in text(response)
    other = services.engagement_create(policy=policy, by=personas.moj_lead, **engagement_fields())
    response = lead.get(reverse("engagements:close", args=[other.public_id]), follow=True)
    assert "Only an open engagement can be closed" in text(response)
    other.refresh_from_db()
    assert other.status == Status.DRAFT


def test_a_priority_with_missing_details(personas, client_for, policy):
    update = services.engagement_create(
        policy=policy,
        by=personas.moj_lead,
        **engagement_fields(kind="priorities", asks_response=False, response_deadline=None),
    )
    response = client_for(personas.moj_lead).post(
        reverse("engagements:priority_new", args=[update.public_id]),
        {"title": "Reduce reoffending", "source": "board", **date_fields("period_start", None)},
    )
    page = text(response)
    assert "Enter the date the priority applies from" in page
    assert "Enter the supporting information for the priority" in page
    assert 'value="Reduce reoffending"' in response.content.decode()
    assert not update.national_priorities.exists()


def test_starting_on_an_untriaged_policy_is_explained_but_not_logged(personas, client_for):
    from .factories import PolicyFactory

    untriaged = PolicyFactory(
        created_by=personas.moj_lead,
        triage_outcome="untriaged",
        merits_engagement=None,
        screened_at=None,
    )
    page = text(client_for(personas.moj_lead).get(new_url(untriaged)))
    assert "You cannot engage on this policy" in page
    assert "has not been triaged yet" in page
    assert "This attempt has been recorded" not in page
    assert not AccessLog.objects.filter(action="refused").exists()


def test_the_lead_shares_responses_of_an_open_engagement_after_confirming(
    personas, client_for, opened
):
    lead = client_for(personas.moj_lead)
    assert "Share responses with the bodies addressed" in text(lead.get(detail(opened)))
    share = reverse("engagements:share_responses", args=[opened.public_id])
    confirm = text(lead.get(share))
    assert "cannot be unshared" in confirm

    missing = lead.post(share, {"reason": ""})
    assert missing.status_code == 200
    assert '<a href="#id_reason">Say why you are sharing the responses</a>' in text(missing)
    opened.refresh_from_db()
    assert not opened.share_responses

    response = lead.post(share, {"reason": "So bodies can learn from each other."}, follow=True)
    assert "now shared with the bodies addressed" in text(response)
    opened.refresh_from_db()
    assert opened.share_responses
    assert "Share responses with the bodies addressed" not in text(lead.get(detail(opened)))

    again = lead.post(share, {"reason": "Twice."}, follow=True)
    assert "already shared" in text(again)
