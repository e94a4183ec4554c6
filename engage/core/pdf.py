"""PDFs made from templates (WeasyPrint): the collective view's export, the brief on a policing
body, an impact case. The document loads nothing from anywhere: no base URL, and a fetcher that
refuses every URL, so a link or image in user-written text cannot make the server fetch it."""

from typing import Any

from django.template.loader import render_to_string


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # No protocol allowed: every URL fails (a warning in the log), none is fetched.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """The PDF of `template_name` rendered with `context` (a print stylesheet inline)."""
    return html_to_pdf(render_to_string(template_name, context))
