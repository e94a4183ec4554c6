"""Template helpers for responses: stances in words, and a response's content as rows."""

from django import template
from django.utils.translation import gettext as _

from engage.engagements.models import QuestionKind, Stance

from ..forms import stance_label as forms_stance_label

register = template.Library()

STANCE_COLOURS = {
    Stance.SUPPORT: "green",
    Stance.SUPPORT_WITH_CHANGES: "turquoise",
    Stance.OPPOSE: "red",
    Stance.NO_VIEW: "grey",
}


stance_label = register.filter("stance_label", forms_stance_label)


@register.filter
def stance_colour(value: str) -> str:
    return STANCE_COLOURS.get(value, "")  # type: ignore[call-overload]


@register.filter
def answers_of(content: dict | None) -> list[dict]:
    """The answers of a working copy's snapshot or a version's content, each with whether it
    asks for a stance and the form field it is answered in (for "Change" and error links)."""
    answers = []
    for answer in (content or {}).get("answers", []):
        is_stance = answer.get("kind") == QuestionKind.STANCE
        number = answer.get("number")
        answers.append(
            {
                **answer,
                "is_stance": is_stance,
                "stance_label": stance_label(answer.get("stance", "")),
                "anchor": f"id_stance_{number}_0" if is_stance else f"id_answer_{number}",
            }
        )
    return answers


@register.filter
def perspective_of(content: dict | None) -> list[dict]:
    """The local perspective of a response's content, each with its words and field."""
    content = content or {}
    return [
        {"label": label, "text": content.get(name, ""), "anchor": f"id_{name}"}
        for name, label in (
            ("challenges", _("Challenges")),
            ("opportunities", _("Opportunities")),
            ("local_variations", _("Local variations")),
        )
    ]
