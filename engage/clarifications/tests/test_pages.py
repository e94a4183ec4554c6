"""Every clarification page, opened by every persona (200 for those who may use it, 403 for
those who see the engagement but may not act, 404 for those who may not see it), what each
page shows and hides, bad input (a message where the person is, nothing changed), and the
panels on the engagement and document pages."""

import html

import pytest
from django.urls import reverse

from engage.audit.models import AccessLog
from engage.clarifications.models import ClarificationRequest
from engage.conftest import EVERYONE
from engage.core.labels import Label
from engage.documents.models import Document
from engage.engagements import services as engagement_services

from .conftest import ANSWER, QUESTION

pytestmark = pytest.mark.django_db

GWENT = {"gwent_commissioner", "gwent_staff"}
READS_ENGAGEMENT = GWENT | {"kent_commissioner", "moj_lead", "secretariat"}


def expect(default: int, **codes: int) -> dict[str, int]:
    return {name: codes.get(name, default) for name in EVERYONE}


def check(personas, client_for, url: str, expected: dict[str, int]) -> dict[str, str]:
    got = {}
    for name in EVERYONE:
        response = client_for(getattr(personas, name)).get(url)
        got[name] = (response.status_code, html.unescape(response.content.decode()))
    assert {name: code for name, (code, _page) in got.items()} == expected, url
    return {name: page for name, (_code, page) in got.items()}


def url(name: str, *args) -> str:
    return reverse(f"clarifications:{name}", args=[str(arg) for arg in args])


# The access matrix ---------------------------------------------------------------------------


def test_the_ask_page_is_for_the_bodies_addressed(personas, client_for, consultation):
    seen = check(
        personas,
        client_for,
        url("ask", consultation.public_id),
        # The lead and the APCC read the engagement but ask for no body: told why (403).
        expect(
            404,
            gwent_commissioner=200,
            gwent_staff=200,
            kent_commissioner=200,
            moj_lead=403,
            secretariat=403,
        ),
    )
    assert "Handling label" in seen["gwent_staff"]
    assert "not acting for one" in seen["moj_lead"]


def test_the_request_page_is_for_the_body_the_owner_and_the_apcc(personas, client_for, asked):
    seen = check(
        personas,
        client_for,
        url("detail", asked.public_id),
        expect(404, gwent_commissioner=200, gwent_staff=200, moj_lead=200, secretariat=200),
    )
    for name in ("gwent_commissioner", "moj_lead", "secretariat"):
        assert QUESTION in seen[name]
        assert "Owen Price" in seen[name]  # the parties see who asked
        assert "Handling label" in seen[name]
    assert "Answer the question" in seen["moj_lead"]
    assert "Answer the question" not in seen["gwent_staff"]
    assert "Answer the question" not in seen["secretariat"]


def test_the_answer_page_is_for_the_owning_organisation(personas, client_for, asked):
    check(
        personas,
        client_for,
        url("answer", asked.public_id),
        expect(404, gwent_commissioner=403, gwent_staff=403, moj_lead=200, secretariat=403),
    )


def test_the_publish_page_is_for_the_owning_organisation(personas, client_for, answered):
    seen = check(
        personas,
        client_for,
        url("publish", answered.public_id),
        expect(404, gwent_commissioner=403, gwent_staff=403, moj_lead=200, secretariat=403),
    )
    assert ANSWER in seen["moj_lead"]


def test_the_lead_list_is_for_national_organisations_and_the_apcc(personas, client_for, asked):
    seen = check(
        personas,
        client_for,
        url("received"),
        expect(403, moj_lead=200, ho_lead=200, secretariat=200),
    )
    assert asked.engagement.title in seen["moj_lead"]
    assert asked.engagement.title in seen["secretariat"]
    assert asked.engagement.title not in seen["ho_lead"]  # not the Home Office's engagement
    assert QUESTION not in seen["moj_lead"]  # the text is on the request's own (logged) page


def test_the_body_list_is_for_policing_bodies(personas, client_for, asked):
    seen = check(
        personas,
        client_for,
        url("asked"),
        expect(
            403,
            gwent_commissioner=200,
            gwent_staff=200,
            kent_commissioner=200,
            dorset_commissioner=200,
            surrey_ceo=200,
        ),
    )
    assert asked.engagement.title in seen["gwent_commissioner"]
    assert asked.engagement.title not in seen["kent_commissioner"]


def test_the_published_list_is_for_everyone_who_reads_the_engagement(
    personas, client_for, published
):
    seen = check(
        personas,
        client_for,
        url("engagement", published.engagement.public_id),
        expect(404, **dict.fromkeys(READS_ENGAGEMENT, 200)),
    )
    page = seen["kent_commissioner"]
    assert "Does the code cover children's services?" in page
    assert QUESTION not in page  # the original, unedited question stays with the parties
    assert "Owen Price" not in page
    assert "Gwent" not in page
    assert "Handling label" in page


def test_anonymous_people_are_sent_to_sign_in(client, asked):
    for address in (
        url("received"),
        url("asked"),
        url("detail", asked.public_id),
        url("answer", asked.public_id),
        url("publish", asked.public_id),
        url("ask", asked.engagement.public_id),
        url("engagement", asked.engagement.public_id),
    ):
        response = client.get(address)
        assert response.status_code == 302, address
        assert "/accounts/login/" in response["Location"] or "login" in response["Location"]


def test_the_request_page_is_logged_with_its_label(personas, client_for, asked):
    client_for(personas.moj_lead).get(url("detail", asked.public_id))
    entry = AccessLog.objects.get(object_type="clarification", object_id=str(asked.public_id))
    assert entry.label == asked.engagement.label


# Journeys and bad input ------------------------------------------------------------------------


def test_asking_answering_and_publishing_through_the_pages(personas, client_for, consultation):
    staff = client_for(personas.gwent_staff)
    response = staff.post(
        url("ask", consultation.public_id), {"question": QUESTION, "document": ""}
    )
    clarification = ClarificationRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", clarification.public_id)

    lead = client_for(personas.moj_lead)
    lead.post(url("answer", clarification.public_id), {"answer": ANSWER})
    clarification.refresh_from_db()
    assert clarification.answer == ANSWER

    # The first post shows what everyone will read; nothing is published until confirmed.
    edited = {"question": "Are children's services covered?", "answer": ANSWER}
    check_page = lead.post(url("publish", clarification.public_id), edited)
    assert check_page.status_code == 200
    assert "Check before publishing" in check_page.content.decode()
    clarification.refresh_from_db()
    assert not clarification.is_published
    lead.post(url("publish", clarification.public_id), {**edited, "confirm": "yes"})
    clarification.refresh_from_db()
    assert clarification.published_question == "Are children's services covered?"


def test_an_empty_question_is_shown_on_the_form(personas, client_for, consultation):
    response = client_for(personas.gwent_staff).post(
        url("ask", consultation.public_id), {"question": "  ", "document": ""}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter your question" in page
    assert not ClarificationRequest.objects.exists()


def test_a_document_not_on_the_list_is_refused_on_the_form(personas, client_for, consultation):
    response = client_for(personas.gwent_staff).post(
        url("ask", consultation.public_id),
        {"question": QUESTION, "document": "00000000-0000-0000-0000-000000000000"},
    )
    assert response.status_code == 200
    assert "Choose one of this engagement" in html.unescape(response.content.decode())
    assert not ClarificationRequest.objects.exists()


def test_a_document_the_asker_cannot_read_stays_invisible(personas, client_for, consultation):
    secret = Document.objects.create(
        engagement=consultation, title="Named only", label=Label.RED, created_by=personas.moj_lead
    )
    staff = client_for(personas.gwent_staff)
    ask_url = url("ask", consultation.public_id)
    assert staff.get(f"{ask_url}?document={secret.public_id}").status_code == 404
    assert staff.get(f"{ask_url}?document=not-a-uuid").status_code == 404
    assert "Named only" not in staff.get(ask_url).content.decode()


def test_a_closed_engagement_says_why_and_takes_nothing(personas, client_for, consultation):
    engagement_services.engagement_close(engagement=consultation, by=personas.moj_lead)
    response = client_for(personas.gwent_staff).post(
        url("ask", consultation.public_id), {"question": QUESTION}
    )
    assert response.status_code == 403
    assert "only while the engagement is open. It is closed" in response.content.decode()
    assert not ClarificationRequest.objects.exists()


def test_a_body_not_addressed_cannot_find_the_engagement(personas, client_for, consultation):
    response = client_for(personas.dorset_commissioner).post(
        url("ask", consultation.public_id), {"question": QUESTION}
    )
    assert response.status_code == 404
    assert not ClarificationRequest.objects.exists()


def test_an_empty_answer_is_shown_on_the_form(personas, client_for, asked):
    response = client_for(personas.moj_lead).post(url("answer", asked.public_id), {"answer": ""})
    assert response.status_code == 200
    assert "Enter your answer" in response.content.decode()
    asked.refresh_from_db()
    assert not asked.is_answered


def test_publishing_an_unanswered_request_says_why(personas, client_for, asked):
    lead = client_for(personas.moj_lead)
    response = lead.get(url("publish", asked.public_id), follow=True)
    assert "Answer the question before publishing it." in response.content.decode()
    asked.refresh_from_db()
    assert not asked.is_published


def test_a_published_answer_cannot_be_changed_from_its_page(personas, client_for, published):
    lead = client_for(personas.moj_lead)
    response = lead.post(url("answer", published.public_id), {"answer": "Other"}, follow=True)
    assert "can no longer be changed" in response.content.decode()
    published.refresh_from_db()
    assert published.answer == ANSWER


def test_the_lists_filter_by_state(personas, client_for, asked):
    lead = client_for(personas.moj_lead)
    title = asked.engagement.title
    assert title in lead.get(url("received"), {"state": "open"}).content.decode()
    assert title not in lead.get(url("received"), {"state": "published"}).content.decode()
    # A state that is not one shows the whole list, not an error.
    assert lead.get(url("received"), {"state": "nonsense"}).status_code == 200


# The engagement and document pages -----------------------------------------------------------


def test_the_engagement_page_offers_asking_and_shows_published_answers(
    personas, client_for, published
):
    page_url = reverse("engagements:detail", args=[published.engagement.public_id])
    kent = html.unescape(client_for(personas.kent_commissioner).get(page_url).content.decode())
    assert "Questions and answers" in kent
    assert "Does the code cover children's services?" in kent
    assert "Ask the policy lead a question" in kent
    lead = html.unescape(client_for(personas.moj_lead).get(page_url).content.decode())
    assert "Ask the policy lead a question" not in lead
    assert "You can read 1 question on this engagement" in lead


def test_a_closed_engagement_offers_no_asking(personas, client_for, published):
    engagement_services.engagement_close(engagement=published.engagement, by=personas.moj_lead)
    page_url = reverse("engagements:detail", args=[published.engagement.public_id])
    kent = client_for(personas.kent_commissioner).get(page_url).content.decode()
    assert "Ask the policy lead" not in kent


def test_the_document_page_offers_asking_about_it(personas, client_for, consultation):
    annex = Document.objects.create(
        engagement=consultation, title="Annex A", created_by=personas.moj_lead
    )
    page_url = reverse("documents:detail", args=[annex.public_id])
    staff = client_for(personas.gwent_staff).get(page_url).content.decode()
    assert f"?document={annex.public_id}" in staff
    lead = client_for(personas.moj_lead).get(page_url).content.decode()
    assert "Ask the policy lead about this document" not in lead
