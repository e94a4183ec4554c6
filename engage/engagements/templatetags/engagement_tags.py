"""Template helpers for engagements: the handling label tag, status tags and deadlines."""

from django import template
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from engage.core.labels import LABEL_MEANING, Label

from ..models import Status

register = template.Library()

LABEL_COLOURS = {
    Label.RED: "red",
    Label.AMBER_STRICT: "orange",
    Label.AMBER: "yellow",
    Label.GREEN: "green",
    Label.CLEAR: "grey",
}
STATUS_COLOURS = {
    Status.DRAFT: "grey",
    Status.AWAITING_APCC: "purple",
    Status.SCHEDULED: "turquoise",
    Status.OPEN: "green",
    Status.CLOSED: "",
}


@register.filter
def label_colour(label: str) -> str:
    return LABEL_COLOURS.get(label, "")  # type: ignore[call-overload]


@register.filter
def label_meaning(label: str) -> str:
    try:
        return str(LABEL_MEANING[Label(label)])
    except ValueError:
        return ""


@register.filter
def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "")  # type: ignore[call-overload]


@register.filter
def deadline_text(engagement) -> str:
    """What is left of the time to respond: "3 days left", "Closes today", "Closed"."""
    if engagement.status == Status.CLOSED:
        return _("Closed")
    days = engagement.days_left()
    if days is None:
        return _("No response asked")
    if engagement.status != Status.OPEN:
        return _("Not open yet")
    if days > 0:
        return ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}
    if days == 0:
        return _("Closes today")
    return _("Deadline passed")


@register.filter
def short_notice_text(engagement) -> str:
    """What the audience is told of a shorter notice than usual, counted from the day it
    opened (or will open): "The response window is 14 days, shorter than the usual 21." """
    from ..services.timing import short_notice_message, timing_of

    opened = engagement.opened_at
    opening = timezone.localdate(opened) if opened else engagement.opens_on
    why = short_notice_message(timing_of(engagement, opening))
    return capfirst(why) + "." if why else ""
