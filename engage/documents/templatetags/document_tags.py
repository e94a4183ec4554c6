"""Showing handling labels and document sizes."""

from django import template

from engage.core.labels import LABEL_MEANING, Label

register = template.Library()

# GOV.UK tag colours for the Traffic Light Protocol labels.
LABEL_COLOURS = {
    Label.RED: "red",
    Label.AMBER_STRICT: "orange",
    Label.AMBER: "yellow",
    Label.GREEN: "green",
    Label.CLEAR: "grey",
}


@register.filter
def label_colour(value: str) -> str:
    return LABEL_COLOURS.get(Label(value), "") if value in Label.values else ""


@register.filter
def label_meaning(value: str) -> str:
    return str(LABEL_MEANING[Label(value)]) if value in Label.values else ""
