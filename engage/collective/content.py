"""What a collective view says, worked out from its sources: the stance counts per question
and the dissent annex, and the whole view as one dict (what a version freezes and the exports
write). Pure functions of rows already loaded: no queries here.

Decisions:
- Counts are of the source versions' stances on each stance question (every stance, "no
  stance given" included), so the secretariat and the lead read the same figures.
- A body dissents when its stance on a stance question is another stance than the view's
  position; "no view" and a missing stance are not dissent. With no position chosen there is
  no dissent to show (the page says so).
"""

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from engage.engagements.models import QuestionKind, Stance
from engage.responses.models import ResponseVersion

from .models import CollectiveView, SignOff

NOT_DISSENT = ("", Stance.NO_VIEW)


def source_entries(sources: Iterable[ResponseVersion]) -> list[dict[str, Any]]:
    """Each source: the body, its version, a link to that exact version's page."""
    return [
        {
            "body_id": source.response.body_id,
            "body": source.response.body.organisation.name,
            "number": source.number,
            "submitted_at": source.submitted_at.isoformat(),
            "url": reverse("responses:version", args=[source.response.public_id, source.number]),
        }
        for source in sources
    ]


def stance_counts(view: CollectiveView, sources: list[ResponseVersion]) -> list[dict[str, Any]]:
    """For each stance question: how many sources took each stance."""
    labels = dict(Stance.choices)
    counts = []
    for point in view.points:
        if point.get("kind") != QuestionKind.STANCE:
            continue
        tally = {value: 0 for value in Stance.values}
        none_given = 0
        for source in sources:
            stance = _answer(source, point["number"]).get("stance", "")
            if stance in tally:
                tally[stance] += 1
            else:
                none_given += 1
        counts.append(
            {
                "number": point["number"],
                "question": point["question"],
                "rows": [
                    {"stance": value, "label": str(labels[value]), "count": tally[value]}
                    for value in Stance.values
                ],
                "none_given": none_given,
                "total": len(sources),
            }
        )
    return counts


def dissent(view: CollectiveView, sources: list[ResponseVersion]) -> list[dict[str, Any]]:
    """The bodies whose stance differs from the position, with their own words."""
    if not view.position:
        return []
    labels = dict(Stance.choices)
    stance_points = [p for p in view.points if p.get("kind") == QuestionKind.STANCE]
    annex = []
    for source in sources:
        differing = []
        for point in stance_points:
            answer = _answer(source, point["number"])
            stance = answer.get("stance", "")
            if stance not in NOT_DISSENT and stance != view.position:
                differing.append(
                    {
                        "number": point["number"],
                        "question": point["question"],
                        "stance": stance,
                        "stance_label": str(labels.get(stance, stance)),
                        "text": answer.get("text", ""),
                    }
                )
        if differing:
            annex.append(
                {
                    "body_id": source.response.body_id,
                    "body": source.response.body.organisation.name,
                    "number": source.number,
                    "url": reverse(
                        "responses:version", args=[source.response.public_id, source.number]
                    ),
                    "answers": differing,
                }
            )
    return annex


def _answer(source: ResponseVersion, number: int) -> dict[str, Any]:
    for answer in source.content.get("answers", []):
        if answer.get("number") == number:
            return answer
    return {}


def view_content(
    view: CollectiveView, sources: list[ResponseVersion], sign_offs: Iterable[SignOff]
) -> dict[str, Any]:
    """The whole view as it stands: what a version freezes, what pages and exports show."""
    labels = dict(Stance.choices)
    return {
        "summary": view.summary,
        "position": view.position,
        "position_label": str(labels.get(view.position, "")) if view.position else "",
        "position_text": view.position_text,
        "points": view.points,
        "counts": stance_counts(view, sources),
        "variations": view.variations,
        "dissent": dissent(view, sources),
        "sources": source_entries(sources),
        "sign_offs": [
            {
                "group": sign_off.group.name,
                "state": sign_off.state,
                "state_label": str(sign_off.get_state_display()),
                "current": sign_off.is_current(view),
                "comments": sign_off.comments,
                "by": sign_off.decided_by.get_full_name() if sign_off.decided_by else "",
                "at": sign_off.decided_at.isoformat() if sign_off.decided_at else "",
            }
            for sign_off in sign_offs
        ],
        "revision": view.revision,
    }
