"""Hostile ids, numbers and dates on the engagement forms and lists: a message on the page
(or a 404 for a question that is not there), never a server error; nothing changes; the form
keeps what was typed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from engage.core.labels import Label
from engage.core.tests.bad_input import (
    BAD_DATE_PARTS,
    BAD_SLUGS,
    BAD_VALUES,
    assert_date_kept,
    assert_refused,
    date_message,
    date_parts,
    page_text,
)
from engage.engagements import services
from engage.engagements.models import Engagement, NationalPriority, Question

from .conftest import engagement_fields


def _typed(part: int, value: str, good: datetime.date) -> list[str]:
    typed = [str(good.day), str(good.month), str(good.year)]
    typed[part] = value
    return typed


def _state():
    return (
        list(Engagement.objects.values_list("pk", "title", "opens_on", "response_deadline")),
        Engagement.history.count(),
        Question.objects.count(),
        NationalPriority.objects.count(),
    )


@pytest.mark.parametrize(("value", "part"), BAD_DATE_PARTS)
@pytest.mark.parametrize(
    ("field", "name"),
    [
        ("opens_on", "opening date"),
        ("response_deadline", "response deadline"),
        ("effective_date", "effective date"),
    ],
)
def test_a_bad_engagement_date(personas, client_for, policy, field, name, part, value):
    today = timezone.localdate()
    dates = {
        **date_parts("opens_on", str(today.day), str(today.month), str(today.year)),
        **date_parts("response_deadline", "1", "1", str(today.year + 1)),
        **date_parts("effective_date", "", "", ""),
    }
    typed = date_parts(field, *_typed(part, value, today))
    before = _state()
    response = client_for(personas.moj_lead).post(
        f"{reverse('engagements:new')}?policy={policy.public_id}",
        {
            "kind": "change_notice",
            "title": "Typed title",
            "body": "Typed body.",
            "rationale": "Typed rationale.",
            "actions": ["asks_response"],
            "label": Label.AMBER_STRICT,
            **dates,
            **typed,
        },
    )
    assert_refused(response, date_message(name, part, value))
    assert_date_kept(response, field, typed)
    assert 'value="Typed title"' in response.content.decode()
    assert "Typed rationale." in response.content.decode()
    assert _state() == before


@pytest.fixture
def update(personas, policy) -> Engagement:
    return services.engagement_create(
        policy=policy,
        by=personas.moj_lead,
        **engagement_fields(kind="priorities", asks_response=False, response_deadline=None),
    )


def _priority(**overrides) -> dict:
    return {
        "title": "Reduce reoffending",
        "source": "board",
        "supporting_information": "Typed information.",
        **date_parts("period_start", "1", "4", "2027"),
        **date_parts("period_end", "", "", ""),
        **overrides,
    }


@pytest.mark.parametrize(("value", "part"), BAD_DATE_PARTS)
@pytest.mark.parametrize(
    ("field", "name"),
    [
        ("period_start", "date the priority applies from"),
        ("period_end", "date the priority applies until"),
    ],
)
def test_a_bad_priority_date(personas, client_for, update, field, name, part, value):
    typed = date_parts(field, *_typed(part, value, datetime.date(2028, 3, 31)))
    before = _state()
    response = client_for(personas.moj_lead).post(
        reverse("engagements:priority_new", args=[update.public_id]), _priority(**typed)
    )
    assert_refused(response, date_message(name, part, value))
    assert_date_kept(response, field, typed)
    assert 'value="Reduce reoffending"' in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize("value", BAD_SLUGS)
def test_a_bad_priority_theme(personas, client_for, update, value):
    before = _state()
    response = client_for(personas.moj_lead).post(
        reverse("engagements:priority_new", args=[update.public_id]), _priority(themes=[value])
    )
    assert_refused(response, "Choose themes from the list")
    assert "Typed information." in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize("value", BAD_SLUGS)
def test_a_bad_standing_group(personas, client_for, draft, value):
    services.question_add(engagement=draft, by=personas.moj_lead, text="Why?", kind="free_text")
    before = _state()
    response = client_for(personas.moj_lead).post(
        reverse("engagements:route", args=[draft.public_id]),
        {"route": "groups", "groups": ["victims", value]},
    )
    assert_refused(response, "Choose standing groups from the list")
    draft.refresh_from_db()
    assert draft.route == ""
    assert _state() == before


@pytest.mark.parametrize("value", BAD_VALUES)
def test_a_bad_question_number_is_not_found(personas, client_for, draft, value):
    services.question_add(engagement=draft, by=personas.moj_lead, text="Why?", kind="free_text")
    before = _state()
    lead = client_for(personas.moj_lead)
    url = reverse("engagements:questions", args=[draft.public_id])
    for action in ("remove", "up", "down"):
        assert lead.post(url, {"action": action, "number": value}).status_code == 404
    response = lead.post(
        url, {"action": "update", "number": value, "edit-text": "How?", "edit-kind": "free_text"}
    )
    assert response.status_code == 404
    assert lead.get(url, {"edit": value}).status_code == 404
    assert _state() == before


@pytest.mark.parametrize("value", BAD_VALUES)
def test_lists_ignore_bad_filters(personas, client_for, opened, value):
    lead = client_for(personas.moj_lead)
    inbox = lead.get(reverse("engagements:inbox"), {"status": value, "kind": value, "page": value})
    assert inbox.status_code == 200
    assert opened.title in page_text(inbox)
    priorities = lead.get(reverse("engagements:priorities"), {"source": value, "page": value})
    assert priorities.status_code == 200
    new = lead.get(reverse("engagements:new"), {"policy": value})
    assert new.status_code == 404
