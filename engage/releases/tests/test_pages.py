"""The release pages persona by persona (DESIGN.md section 6), bad input, the confirmation
step, the access log, and the engagement page's panel."""

import pytest
from django.urls import reverse

from engage.audit.models import AccessLog
from engage.conftest import EVERYONE
from engage.core.labels import Label
from engage.documents.models import Document
from engage.releases.models import Decision, ReleaseRequest

from .conftest import ask, grant

# An open MoJ engagement routed to Victims: the owner, the secretariat and the group's bodies
# (Gwent, Kent) read it; a request by Gwent is seen by MoJ, the secretariat and Gwent.
ASK = {
    "gwent_commissioner": 200,
    "gwent_staff": 200,
    "kent_commissioner": 200,
    "moj_lead": 403,
    "secretariat": 403,
}
DETAIL = {"moj_lead": 200, "secretariat": 200, "gwent_commissioner": 200, "gwent_staff": 200}
DECIDE = {"moj_lead": 200, "secretariat": 403, "gwent_commissioner": 403, "gwent_staff": 403}
INCOMING = {"moj_lead": 200, "ho_lead": 200}
OURS = {
    "gwent_commissioner": 200,
    "gwent_staff": 200,
    "kent_commissioner": 200,
    "dorset_commissioner": 200,
    "surrey_ceo": 200,
}


def _expected(table, who, default=404):
    return table.get(who, default)


@pytest.mark.parametrize("who", EVERYONE)
def test_ask_about_the_engagement(personas, client_for, opened, who):
    url = reverse("releases:ask_engagement", args=[opened.public_id])
    response = client_for(getattr(personas, who)).get(url)
    assert response.status_code == _expected(ASK, who)
    if response.status_code == 200:
        assert "TLP:AMBER+STRICT" in response.text
        assert "TLP:AMBER:" in response.text  # the wider label offered


@pytest.mark.parametrize("who", EVERYONE)
def test_ask_about_a_document(personas, client_for, opened, document, who):
    url = reverse("releases:ask_document", args=[document.public_id])
    response = client_for(getattr(personas, who)).get(url)
    assert response.status_code == _expected(ASK, who)


@pytest.mark.parametrize("who", EVERYONE)
def test_request_page(personas, client_for, opened, who):
    request = ask(personas, opened)
    response = client_for(getattr(personas, who)).get(
        reverse("releases:detail", args=[request.public_id])
    )
    assert response.status_code == _expected(DETAIL, who)
    if response.status_code == 200:
        assert "TLP:AMBER+STRICT" in response.text
        assert "Local victims" in response.text
        assert "Grant or refuse" in response.text if who == "moj_lead" else True


@pytest.mark.parametrize("who", EVERYONE)
def test_decide_page(personas, client_for, opened, who):
    request = ask(personas, opened)
    response = client_for(getattr(personas, who)).get(
        reverse("releases:decide", args=[request.public_id])
    )
    assert response.status_code == _expected(DECIDE, who)


@pytest.mark.parametrize("who", EVERYONE)
def test_incoming_list(personas, client_for, opened, who):
    ask(personas, opened)
    response = client_for(getattr(personas, who)).get(reverse("releases:incoming"))
    assert response.status_code == _expected(INCOMING, who, 403)
    if who == "moj_lead":
        assert "Gwent" in response.text
        assert opened.title in response.text
    if who == "ho_lead":
        assert opened.title not in response.text


@pytest.mark.parametrize("who", EVERYONE)
def test_body_list(personas, client_for, opened, who):
    ask(personas, opened)
    response = client_for(getattr(personas, who)).get(reverse("releases:ours"))
    assert response.status_code == _expected(OURS, who, 403)
    if response.status_code == 200:
        assert (opened.title in response.text) == who.startswith("gwent")


def test_an_item_the_asker_cannot_see_is_a_404_and_nothing_changes(personas, client_for, opened):
    red = Document.objects.create(
        engagement=opened, title="Named", label=Label.RED, created_by=personas.moj_lead
    )
    client = client_for(personas.gwent_staff)
    response = client.post(
        reverse("releases:ask_document", args=[red.public_id]),
        {"to_label": "amber", "with_whom": "x", "why": "y"},
    )
    assert response.status_code == 404
    assert not ReleaseRequest.objects.exists()


def test_asking_through_the_page(personas, client_for, opened):
    client = client_for(personas.gwent_staff)
    url = reverse("releases:ask_engagement", args=[opened.public_id])
    response = client.post(url, {"to_label": "green", "with_whom": "Partners", "why": "Plan"})
    request = ReleaseRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("releases:detail", args=[request.public_id])
    assert request.to_label == Label.GREEN
    assert request.body.organisation.slug == "gwent"


def test_bad_input_on_the_ask_page(personas, client_for, opened):
    client = client_for(personas.gwent_staff)
    url = reverse("releases:ask_engagement", args=[opened.public_id])
    response = client.post(url, {"to_label": "red", "with_whom": "", "why": ""})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Choose one of the wider labels listed" in response.text
    assert "Say who you want to share it with" in response.text
    assert not ReleaseRequest.objects.exists()


def test_a_closed_engagement_says_why_on_the_page(personas, client_for, opened):
    from engage.engagements import services as engagement_services

    engagement_services.engagement_close(engagement=opened, by=personas.moj_lead)
    client = client_for(personas.gwent_staff)
    url = reverse("releases:ask_engagement", args=[opened.public_id])
    response = client.post(url, {"to_label": "amber", "with_whom": "x", "why": "y"})
    assert response.status_code == 200
    assert "This engagement is closed" in response.text
    assert '<form method="post"' not in response.text
    assert not ReleaseRequest.objects.exists()


def test_a_red_document_says_why_on_the_page(personas, client_for, opened):
    red = Document.objects.create(
        engagement=opened, title="Named", label=Label.RED, created_by=personas.moj_lead
    )
    red.recipients.add(personas.gwent_staff)
    response = client_for(personas.gwent_staff).get(
        reverse("releases:ask_document", args=[red.public_id])
    )
    assert response.status_code == 200
    assert "can never be widened through a request" in response.text


def test_deciding_needs_a_confirmation(personas, client_for, opened):
    request = ask(personas, opened)
    client = client_for(personas.moj_lead)
    url = reverse("releases:decide", args=[request.public_id])
    data = {
        "decision": "granted",
        "reason": "Needed locally.",
        "scope": "Gwent victims' services",
        "expires_on_0": "31",
        "expires_on_1": "3",
        "expires_on_2": "2099",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Check your decision" in response.text
    assert "31 March 2099" in response.text
    request.refresh_from_db()
    assert request.is_pending
    response = client.post(url, {**data, "confirm": "yes"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.decision == Decision.GRANTED
    assert str(request.expires_on) == "2099-03-31"


def test_bad_input_on_the_decide_page(personas, client_for, opened):
    request = ask(personas, opened)
    client = client_for(personas.moj_lead)
    url = reverse("releases:decide", args=[request.public_id])
    response = client.post(
        url,
        {
            "decision": "granted",
            "reason": "",
            "scope": "",
            "confirm": "yes",
            "expires_on_0": "40",
            "expires_on_1": "2",
            "expires_on_2": "2099",
        },
    )
    assert response.status_code == 200
    assert "Give the reason for your decision" in response.text
    assert "Say with whom they may share it" in response.text
    past = client.post(
        url,
        {
            "decision": "granted",
            "reason": "r",
            "scope": "s",
            "confirm": "yes",
            "expires_on_0": "1",
            "expires_on_1": "1",
            "expires_on_2": "2020",
        },
    )
    assert past.status_code == 200
    assert "The expiry date must be after today" in past.text
    request.refresh_from_db()
    assert request.is_pending


def test_a_decided_request_says_so(personas, client_for, opened):
    request = grant(personas, ask(personas, opened))
    client = client_for(personas.moj_lead)
    response = client.get(reverse("releases:decide", args=[request.public_id]), follow=True)
    assert "already been granted" in response.text


def test_pages_are_logged(personas, client_for, opened):
    request = ask(personas, opened)
    client_for(personas.secretariat).get(reverse("releases:detail", args=[request.public_id]))
    entry = AccessLog.objects.filter(object_type="release_request").latest("pk")
    assert entry.user == personas.secretariat
    assert entry.label == Label.AMBER_STRICT


def test_the_engagement_page_panel(personas, client_for, opened):
    request = ask(personas, opened)
    url = reverse("engagements:detail", args=[opened.public_id])
    lead = client_for(personas.moj_lead).get(url)
    assert "Sharing further (release requests)" in lead.text
    assert "Answer release requests" in lead.text
    assert 'id="release-in-force"' not in lead.text
    grant(personas, request, expires_on=None)
    gwent = client_for(personas.gwent_staff).get(url)
    assert 'id="release-in-force"' in gwent.text
    assert "may be shared with Gwent victims" in gwent.text
    kent = client_for(personas.kent_commissioner).get(url)
    assert 'id="release-in-force"' not in kent.text
    assert "Ask to share this engagement further" in kent.text
    assert "Gwent" not in kent.text.split("Sharing further")[-1][:2000]
