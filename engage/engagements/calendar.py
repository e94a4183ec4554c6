"""An engagement's dates in its parties' calendar feeds (engage.notifications.calendar): the
response deadline of an open engagement that asks for responses, and the date a change
notice takes effect.

Who sees each date is `audience.engagement_party_read`: the owning organisation, the APCC
secretariat and the audience, each while they read the engagement; not those who reach it
only because its label was widened (TLP:GREEN, TLP:CLEAR), who are not asked anything by it.
One query, whatever the number of engagements."""

from collections.abc import Iterator
from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from engage.accounts.viewer import Viewer
from engage.notifications.calendar import CalendarEntry
from engage.notifications.services import shareable_title

from .audience import engagement_party_read
from .models import LIVE, Engagement, Kind, Status


def engagement_dates(user, *, start: date, end: date) -> Iterator[CalendarEntry]:
    deadline = Q(status=Status.OPEN, asks_response=True, response_deadline__range=(start, end))
    effective = Q(
        kind=Kind.CHANGE_NOTICE,
        status__in=LIVE,
        opened_at__isnull=False,
        effective_date__range=(start, end),
    )
    rows = (
        Engagement.objects.filter(engagement_party_read(Viewer.of(user)))
        .filter(deadline | effective)
        .order_by()
        .values_list(
            "public_id",
            "title",
            "label",
            "status",
            "asks_response",
            "response_deadline",
            "kind",
            "effective_date",
        )
    )
    for public_id, title, label, status, asks, deadline_on, kind, effective_on in rows:
        link = reverse("engagements:detail", args=[public_id])
        shown = shareable_title(title, label)
        if status == Status.OPEN and asks and deadline_on and start <= deadline_on <= end:
            yield CalendarEntry(
                uid=f"engagement-{public_id}-response-deadline",
                kind=_("Response deadline"),
                on=deadline_on,
                link=link,
                title=shown,
                label=label,
            )
        if kind == Kind.CHANGE_NOTICE and effective_on and start <= effective_on <= end:
            yield CalendarEntry(
                uid=f"engagement-{public_id}-effective-date",
                kind=_("Change takes effect"),
                on=effective_on,
                link=link,
                title=shown,
                label=label,
            )
