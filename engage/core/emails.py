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
