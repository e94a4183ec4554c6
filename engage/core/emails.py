"""The HTML alternative of an email: the text's paragraphs and its one link in the service's
look (engage/templates/emails/base.html), for mail programs that show HTML. The text part
stays the message; this adds nothing that is not in it."""

from django.template.loader import render_to_string


def email_html(subject: str, paragraphs: list[str], link: str, link_text: str) -> str:
    """The HTML body for an email of `paragraphs` and a link to `link` reading `link_text`,
    every value escaped (a title or a name cannot add markup). The link must be a web
    address: a `javascript:` or `data:` link in an email is refused, not sent."""
    if not link.startswith(("https://", "http://")):
        raise ValueError(f"An email links to a web address, not {link[:40]!r}.")
    return render_to_string(
        "emails/base.html",
        {"subject": subject, "paragraphs": paragraphs, "link": link, "link_text": link_text},
    )


def email_html_from_text(subject: str, body: str) -> str:
    """The HTML body for a text email: its paragraphs (split at blank lines, line breaks
    kept), every web address in them a link, everything escaped. For emails whose text names
    several links (a daily summary) or says where its link leads in its own words."""
    paragraphs = [part.strip() for part in body.split("\n\n") if part.strip()]
    return render_to_string(
        "emails/base.html", {"subject": subject, "paragraphs": paragraphs, "linkify": True}
    )
