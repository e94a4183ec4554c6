"""Dissemination requests' due dates in calendar feeds (engage.notifications.calendar): for
the people who read the request (`DisseminationRequest.visible_to`: the bodies asked, the
owning organisation and the APCC secretariat, each while they read the engagement). One
query, whatever the number of requests."""

from collections.abc import Iterator
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from engage.notifications.calendar import CalendarEntry
from engage.notifications.services import shareable_title

from .models import DisseminationRequest


def dissemination_dates(user, *, start: date, end: date) -> Iterator[CalendarEntry]:
    rows = (
        DisseminationRequest.objects.visible_to(user)
        .filter(due_on__range=(start, end))
        .order_by()
        .values_list("public_id", "due_on", "engagement__title", "engagement__label")
    )
    for public_id, due_on, title, label in rows:
        # The engagement's title, under its label: the message itself never leaves.
        yield CalendarEntry(
            uid=f"dissemination-{public_id}-due",
            kind=_("Dissemination due"),
            on=due_on,
            link=reverse("dissemination:detail", args=[public_id]),
            title=shareable_title(title, label),
            label=label,
        )
