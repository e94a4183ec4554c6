"""Fixtures for the notifications tests: the engagement tests' policy and Victims group (Gwent
and Kent are its bodies, Dorset is in none), imported here so pytest finds them, and helpers
that record events of a kind whose recipients a test chooses."""

import pytest
from django.db import transaction

from engage.engagements.tests.conftest import draft, engagement_fields, moj, policy, victims
from engage.notifications import registry
from engage.notifications.models import Event
from engage.notifications.services import event_record

__all__ = ["draft", "engagement_fields", "moj", "policy", "victims"]  # fixtures, for pytest

# A kind no app emits yet, borrowed by these tests with recipients they choose.
TEST_KIND = "outcome_published"


@pytest.fixture
def tell():
    """Register who TEST_KIND tells (a callable returning a User QuerySet) for the test."""
    before = registry._providers.get(TEST_KIND)

    def use(recipients) -> None:
        registry.register(TEST_KIND, recipients=recipients)

    yield use
    if before is None:
        registry._providers.pop(TEST_KIND, None)
    else:
        registry.register(TEST_KIND, recipients=before)


def record(actor=None, *, title: str = "", link: str = "/") -> Event:
    import uuid

    with transaction.atomic():
        return event_record(
            TEST_KIND,
            subject_id=uuid.uuid4(),
            link=link,
            title=title,
            context={"owner": "Ministry of Justice"},
            actor=actor,
        )
