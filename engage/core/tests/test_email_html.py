"""Email in two parts (issue 11, item 4): the plain text, unchanged, for everyone, and an HTML
alternative in the service's look for mail programs that show it, escaped and self-contained."""

import re

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from engage.core.emails import email_html
from engage.core.tasks import send_email

LINK = "https://engage.example.org/engagements/5b0c/"
MESSAGE = {
    "key": "event:5b0c",
    "subject": "A clarification was answered on Engage",
    "body": f"A clarification you asked was answered.\n\nRead it on Engage: {LINK}\n",
}


def html_of(**overrides) -> str:
    values = {
        "subject": "A clarification was answered",
        "paragraphs": ["A clarification you asked was answered."],
        "link": LINK,
        "link_text": "Read it on Engage",
        **overrides,
    }
    return email_html(**values)


def test_the_html_is_an_english_page_with_a_title_and_the_link():
    html = html_of()

    assert '<html lang="en">' in html
    assert "<title>A clarification was answered</title>" in html
    assert f'<a href="{LINK}"' in html
    assert "Read it on Engage</a>" in html
    assert html.count(LINK) == 2  # the link, and the address to copy if it does not work
    assert "A clarification you asked was answered." in html


def test_the_html_has_the_service_look_inline_and_fetches_nothing():
    html = html_of()

    assert "background-color: #0b0c0c" in html  # the black header band
    assert ">Engage</span>" in html
    assert "font-size: 19px" in html
    assert "Arial, Helvetica, sans-serif" in html
    assert re.findall(r"<table\b[^>]*>", html)
    assert all('role="presentation"' in table for table in re.findall(r"<table\b[^>]*>", html))
    for fetched in ("<img", "<link", "<script", "<style", "url(", "@import", "src="):
        assert fetched not in html
    # Every address in it is the link: nothing else is fetched or linked.
    assert set(re.findall(r"https?://[^\s\"<]+", html)) == {LINK}


def test_every_value_is_escaped():
    html = html_of(
        subject="<b>Bold</b> & co",
        paragraphs=['Owner: "Jo" <script>alert(1)</script>'],
        link='https://engage.example.org/x/?a=1&b="2"',
        link_text="<i>open</i>",
    )

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<title>&lt;b&gt;Bold&lt;/b&gt; &amp; co</title>" in html
    assert 'href="https://engage.example.org/x/?a=1&amp;b=&quot;2&quot;"' in html
    assert "&lt;i&gt;open&lt;/i&gt;</a>" in html


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,x", "/relative/"])
def test_a_link_that_is_not_a_web_address_is_refused(link):
    with pytest.raises(ValueError, match="web address"):
        html_of(link=link)


@pytest.mark.django_db
def test_an_html_alternative_is_attached_and_the_text_part_is_unchanged():
    html = html_of()

    send_email.call(**MESSAGE, to=["jo@example.org"], html=html)

    [message] = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    assert message.body == MESSAGE["body"]
    assert message.subject == MESSAGE["subject"]
    assert [(a.content, a.mimetype) for a in message.alternatives] == [(html, "text/html")]
    raw = message.message()
    assert raw.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in raw.iter_parts()]
    assert parts == ["text/plain", "text/html"]


@pytest.mark.django_db
def test_without_html_the_email_is_plain_text_as_before():
    send_email.call(**MESSAGE, to=["jo@example.org"])

    [message] = mail.outbox
    assert message.body == MESSAGE["body"]
    assert not getattr(message, "alternatives", [])
    assert message.message().get_content_type() == "text/plain"


def test_a_text_email_becomes_paragraphs_with_its_addresses_linked_and_escaped():
    from engage.core.emails import email_html_from_text

    body = (
        "First line <b>not bold</b>\nsecond line\n\n"
        "Sign in to read it: https://engage.example.org/engagements/1/\n\n\n"
        "- An item: Title & more\n  https://engage.example.org/x/?a=1&b=2\n"
    )
    html = email_html_from_text("Subject <i>here</i>", body)
    assert "<title>Subject &lt;i&gt;here&lt;/i&gt;</title>" in html
    assert html.count("<p ") == 3
    assert "First line &lt;b&gt;not bold&lt;/b&gt;<br>second line" in html
    assert '<a href="https://engage.example.org/engagements/1/"' in html
    assert '<a href="https://engage.example.org/x/?a=1&amp;b=2"' in html
    assert "Title &amp; more" in html
    assert "<b>" not in html
    assert "<i>" not in html
