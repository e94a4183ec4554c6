"""Fixtures for collective views: the responses tests' MoJ consultation open to the Victims
standing group (Gwent leads it, Kent is a member, Dorset is in no group) with a free-text and
a stance question; Gwent and Kent submit; the secretariat drafts the view."""

import pytest

from engage.collective import services
from engage.collective.models import CollectiveView
from engage.engagements.tests.conftest import moj, policy, victims
from engage.responses import services as response_services
from engage.responses.models import Response
from engage.responses.tests.fixtures import COMPLETE, open_consultation, save, start, submit

__all__ = ["moj", "policy", "victims"]  # fixtures, for pytest

KENT_WORDS = "Kent opposes: our grant cycle is annual"
KENT_VARIATIONS = "Kent: coastal towns with seasonal demand"
GWENT_VARIATIONS = "Gwent: valleys and rural areas"
WORKING_TEXT = "Working copy only: never in a collective view"


@pytest.fixture
def consultation(personas, policy, victims):
    return open_consultation(personas, policy, [victims])


@pytest.fixture
def gwent_response(personas, consultation) -> Response:
    """Gwent: version 1 submitted (support with changes), then its working copy changed."""
    commissioner = personas.gwent_commissioner
    response = save(
        start(consultation, commissioner), commissioner, local_variations=GWENT_VARIATIONS
    )
    submit(response, commissioner)
    return save(
        response,
        personas.gwent_staff,
        answers={**COMPLETE, 1: response_services.AnswerInput(text=WORKING_TEXT)},
        local_variations=GWENT_VARIATIONS,
    )


@pytest.fixture
def kent_response(personas, consultation) -> Response:
    commissioner = personas.kent_commissioner
    answers = {**COMPLETE, 2: response_services.AnswerInput(stance="oppose", text=KENT_WORDS)}
    response = save(
        start(consultation, commissioner),
        commissioner,
        answers=answers,
        local_variations=KENT_VARIATIONS,
    )
    submit(response, commissioner)
    return response


@pytest.fixture
def view(personas, consultation, gwent_response, kent_response) -> CollectiveView:
    """Drafted by the secretariat, with a summary and a stance (support with changes)."""
    drafted = services.collective_view_start(engagement=consultation, by=personas.secretariat)
    return write(drafted, personas.secretariat)


def write(view: CollectiveView, by, **changes) -> CollectiveView:
    fields = {
        "summary": "Most bodies support the change with a break clause.",
        "position": "support_with_changes",
        "position_text": "Support three-year settlements with a break clause.",
        "points": {1: "Advocacy would be recommissioned.", 2: "Break clause wanted."},
        "variations": {v["body_id"]: v["text"] for v in view.variations},
    }
    fields.update(changes)
    return services.collective_view_save(view=view, by=by, revision=view.revision, **fields)


@pytest.fixture
def with_leads(personas, view) -> CollectiveView:
    services.collective_view_send(view=view, by=personas.secretariat, revision=view.revision)
    return view


@pytest.fixture
def signed(personas, with_leads) -> CollectiveView:
    services.collective_view_sign(
        view=with_leads,
        group_slug="victims",
        by=personas.gwent_commissioner,
        revision=with_leads.revision,
        signed=True,
    )
    return with_leads


@pytest.fixture
def submitted(personas, signed) -> CollectiveView:
    services.collective_view_submit(view=signed, by=personas.secretariat, revision=signed.revision)
    return signed
