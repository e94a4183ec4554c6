"""Links to the service for emails, which are read outside any request."""

from django.conf import settings


def absolute(path: str) -> str:
    """`path` on the service's public address (SITE_URL)."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"
