"""Marking a draft "ready for the commissioner" (issue 9, point 3): who may, on which drafts,
and what clears the mark. Each refusal changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from engage.engagements import services as engagement_services
from engage.responses import services
from engage.responses.models import Response
from engage.responses.services import AnswerInput

from .fixtures import COMPLETE, save, start, submit

# Fixtures, registered by name (see fixtures.py).
from .fixtures import opened_fixture as opened_fixture
from .fixtures import policy_fixture as policy_fixture
from .fixtures import victims_fixture as victims_fixture

pytestmark = pytest.mark.django_db


def mark(response: Response, user) -> Response:
    return services.response_mark_ready(response=response, by=user, revision=response.revision)


def ready(response: Response) -> tuple:
    row = Response.objects.get(pk=response.pk)
    return row.ready_at, row.ready_by_id, row.revision


@pytest.fixture
def draft_response(personas, opened) -> Response:
    staff = personas.gwent_staff
    return save(start(opened, staff), staff, answers={1: AnswerInput(text="Early thoughts.")})


def test_staff_mark_a_draft_ready(personas, draft_response):
    marked = mark(draft_response, personas.gwent_staff)
    row = Response.objects.get(pk=draft_response.pk)
    assert row.is_ready
    assert row.ready_by == personas.gwent_staff
    assert marked.is_ready
    assert row.history.first().history_change_reason == "Marked ready for the commissioner"


def test_a_change_saved_afterwards_clears_the_mark(personas, draft_response):
    response = mark(draft_response, personas.gwent_staff)
    response = save(response, personas.gwent_staff, answers={1: AnswerInput(text="Better.")})
    assert Response.objects.get(pk=response.pk).ready_at is None


def test_a_save_that_changes_nothing_keeps_the_mark(personas, draft_response):
    response = mark(draft_response, personas.gwent_staff)
    save(response, personas.gwent_staff, answers={1: AnswerInput(text="Early thoughts.")})
    assert Response.objects.get(pk=response.pk).ready_at is not None


def test_submission_clears_the_mark(personas, draft_response):
    commissioner = personas.gwent_commissioner
    response = save(draft_response, personas.gwent_staff, answers=COMPLETE)
    response = mark(response, personas.gwent_staff)
    submit(response, commissioner)
    assert Response.objects.get(pk=response.pk).ready_at is None


@pytest.mark.parametrize(
    "persona", ["kent_commissioner", "dorset_commissioner", "moj_lead", "secretariat", "outsider"]
)
def test_only_members_of_the_body_mark_it(personas, draft_response, persona):
    before = ready(draft_response)
    with pytest.raises(PermissionDenied):
        mark(draft_response, getattr(personas, persona))
    assert ready(draft_response) == before


def test_not_on_an_empty_response(personas, opened):
    response = start(opened, personas.gwent_staff)
    with pytest.raises(ValidationError, match="save a draft first"):
        mark(response, personas.gwent_staff)
    assert ready(response) == (None, None, 0)


def test_not_on_a_submitted_response_with_nothing_new(personas, opened):
    commissioner = personas.gwent_commissioner
    response = save(start(opened, commissioner), commissioner)
    submit(response, commissioner)
    before = ready(response)
    with pytest.raises(ValidationError, match="Nothing has changed since version 1"):
        mark(response, personas.gwent_staff)
    assert ready(response) == before


def test_a_changed_submitted_response_may_be_marked_again(personas, opened):
    commissioner = personas.gwent_commissioner
    response = save(start(opened, commissioner), commissioner)
    submit(response, commissioner)
    response = save(response, personas.gwent_staff, answers={**COMPLETE, 1: AnswerInput("New")})
    assert mark(response, personas.gwent_staff).is_ready


def test_not_twice(personas, draft_response):
    response = mark(draft_response, personas.gwent_staff)
    before = ready(response)
    with pytest.raises(ValidationError, match="already marked ready"):
        mark(response, personas.gwent_commissioner)
    assert ready(response) == before


def test_not_on_a_closed_engagement(personas, opened, draft_response):
    engagement_services.engagement_close(engagement=opened, by=personas.moj_lead)
    draft_response.refresh_from_db()
    with pytest.raises(ValidationError, match="It is closed"):
        mark(draft_response, personas.gwent_staff)
    assert ready(draft_response)[0] is None


def test_not_from_a_stale_revision(personas, draft_response):
    stale = draft_response.revision
    save(draft_response, personas.gwent_commissioner, answers={1: AnswerInput(text="Newer.")})
    with pytest.raises(ValidationError) as exc:
        services.response_mark_ready(
            response=draft_response, by=personas.gwent_staff, revision=stale
        )
    assert exc.value.code == "conflict"
    assert ready(draft_response)[0] is None
