"""Breadcrumbs for the pages under the inbox, shared by the engagement and response pages
(kept out of `views` so no app imports another app's views)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Engagement


def engagement_crumbs(engagement: Engagement | None = None, *trail) -> list[tuple[str, str | None]]:
    """Breadcrumbs of pages under the inbox: Inbox, the engagement, then `trail`. The
    responses pages use them too."""
    crumbs: list[tuple[str, str | None]] = [(_("Inbox"), reverse("engagements:inbox"))]
    if engagement is not None:
        crumbs.append(
            (engagement.title, reverse("engagements:detail", args=[engagement.public_id]))
        )
    crumbs.extend(trail)
    return crumbs
