"""Fixtures for the outcome tests. The policy and group fixtures are the engagement tests'
own, imported here so pytest finds them."""

import pytest

from engage.engagements.tests.conftest import moj, policy, victims

from .fixtures import closed_consultation, draft_outcome, published_outcome

__all__ = ["moj", "policy", "victims"]  # fixtures, for pytest


@pytest.fixture
def closed(personas, policy, victims):
    return closed_consultation(personas, policy, [victims])


@pytest.fixture
def draft(personas, closed):
    return draft_outcome(closed, personas.moj_lead)


@pytest.fixture
def published(personas, closed):
    return published_outcome(closed, personas.moj_lead)
