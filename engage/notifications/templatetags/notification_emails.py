"""Filters for the notification emails' templates."""

from datetime import date

from django import template
from django.utils.dateformat import format as date_format

register = template.Library()


@register.filter
def iso_day(value: str) -> str:
    """A date an event keeps as ISO text ("2026-12-07") as GOV.UK writes it ("7 December
    2026"); anything else as it is."""
    try:
        return date_format(date.fromisoformat(value), "j F Y")
    except (TypeError, ValueError):
        return value
