"""The suite-wide check that no email carries labelled content (engage.core.testing): it finds a
labelled engagement's title, and the texts of rows under it, wherever they sit in a message,
lets through the title of a TLP:CLEAR or TLP:GREEN item, and costs nothing when no email was
sent. The check is called directly here; engage/conftest.py runs it after every test."""

import pytest
from django.core.mail import EmailMessage, EmailMultiAlternatives

from engage.core.labels import Label
from engage.core.testing.labelled_content import MIN_LENGTH, labelled_texts, leaks, sources
from engage.engagements import services
from engage.engagements.models import Engagement, Question
from engage.engagements.tests.conftest import draft, engagement_fields, moj, policy, victims
from engage.responses.models import Answer, Response

__all__ = ["draft", "engagement_fields", "moj", "policy", "victims"]  # fixtures, for pytest

pytestmark = pytest.mark.django_db

TITLE = "Victims code: local commissioning"  # the engagement fixtures' title
QUESTION = "What would change for victims in your area?"


def email(subject: str = "An engagement opened to you", body: str = "See the link.", html=None):
    if html is None:
        return EmailMessage(subject=subject, body=body, to=["gwent.staff@example.org"])
    message = EmailMultiAlternatives(subject=subject, body=body, to=["gwent.staff@example.org"])
    message.attach_alternative(html, "text/html")
    return message


def test_every_model_with_a_handling_label_is_found_with_the_rows_under_it():
    found = {source.model: source for source in sources()}
    assert {Engagement, Question, Response, Answer} <= set(found)
    assert found[Engagement].own == ("label",)
    assert "title" in found[Engagement].texts
    assert found[Question].inherited == ("engagement__label",)
    assert "response__engagement__label" in found[Answer].inherited


def test_a_labelled_engagements_title_is_caught_in_the_subject_body_and_html(draft):
    assert draft.label == Label.AMBER_STRICT
    in_subject = email(subject=f"Engagement opened: {TITLE}")
    # Wrapped over two lines, as a text body may be: still the same words.
    in_body = email(body="Read it:\n" + TITLE.replace(" local", "\n   local"))
    in_html = email(html=f"<p>{TITLE}</p>")

    found = leaks([in_subject, in_body, in_html])

    assert [(leak.text, leak.part) for leak in found] == [
        (TITLE, "subject"),
        (TITLE, "body"),
        (TITLE, "text/html"),
    ]


def test_the_texts_under_a_labelled_engagement_are_labelled_too(personas, draft):
    services.question_add(engagement=draft, by=personas.moj_lead, text=QUESTION, kind="free_text")

    assert {TITLE, QUESTION, engagement_fields()["body"]} <= labelled_texts()
    assert [leak.text for leak in leaks([email(body=f"They asked: {QUESTION}")])] == [QUESTION]


def test_the_title_of_a_green_engagement_may_be_sent(personas, draft):
    services.question_add(engagement=draft, by=personas.moj_lead, text=QUESTION, kind="free_text")
    Engagement.objects.filter(pk=draft.pk).update(label=Label.GREEN)  # released wider

    assert leaks([email(subject=f"Engagement opened: {TITLE}", body=QUESTION)]) == []


def test_a_text_a_green_item_also_holds_is_shareable(personas, policy, draft):
    green = services.engagement_create(policy=policy, by=personas.moj_lead, **engagement_fields())
    Engagement.objects.filter(pk=green.pk).update(label=Label.GREEN)

    assert TITLE not in labelled_texts()  # the GREEN one's emails may name it


def test_short_texts_links_and_labels_are_not_content(personas, draft):
    services.question_add(engagement=draft, by=personas.moj_lead, text="Why?", kind="free_text")
    services.question_add(
        engagement=draft, by=personas.moj_lead, text="Commissioning", kind="free_text"
    )
    texts = labelled_texts()

    assert all(len(text) >= MIN_LENGTH for text in texts)
    assert all(" " in text for text in texts)  # one word is a name, not content
    assert "Why?" not in texts
    assert "Commissioning" not in texts
    assert not any(text.startswith("/") or "://" in text for text in texts)


def test_no_email_costs_no_query(draft, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert leaks([]) == []


def test_an_email_with_only_a_link_and_the_owner_passes(draft):
    message = email(
        subject="An engagement opened to you",
        body=f"From {draft.owner}: https://engage.example.org/engagements/{draft.public_id}/",
    )
    assert leaks([message]) == []
