"""Fixtures for the response pages: an MoJ consultation open to the Victims standing group
(Gwent leads it, Kent is a member, Dorset is in no group) with a free-text and a stance
question, and Gwent's response to it as a draft or submitted, all made through the services.

The policy and group fixtures are the engagement tests' own, imported here so pytest finds
them."""

import pytest

from engage.engagements.tests.conftest import moj, policy, victims
from engage.responses import services
from engage.responses.models import Response

from .fixtures import (
    COMPLETE,
    DRAFT_TEXT,
    WORKING_TEXT,
    open_consultation,
    save,
    start,
    submit,
)

__all__ = ["moj", "policy", "victims"]  # fixtures, for pytest


@pytest.fixture
def consultation(personas, policy, victims):
    return open_consultation(personas, policy, [victims])


@pytest.fixture
def gwent_draft(personas, consultation) -> Response:
    """Gwent's response, drafted by its staff and never submitted."""
    response = start(consultation, personas.gwent_staff)
    return save(
        response,
        personas.gwent_staff,
        answers={1: services.AnswerInput(text=DRAFT_TEXT)},
        challenges="Staff turnover.",
    )


@pytest.fixture
def gwent_submitted(personas, consultation) -> Response:
    """Gwent's response: version 1 submitted by the commissioner, then changed by its staff
    in the working copy (which nobody outside Gwent may read)."""
    commissioner = personas.gwent_commissioner
    response = save(start(consultation, commissioner), commissioner, challenges="Rural areas.")
    submit(response, commissioner)
    return save(
        response,
        personas.gwent_staff,
        answers={**COMPLETE, 1: services.AnswerInput(text=WORKING_TEXT)},
        challenges="Rural areas.",
    )
