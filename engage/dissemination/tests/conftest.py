"""Fixtures for the dissemination tests: an MoJ consultation open to the Victims standing group
(Gwent leads it, Kent is a member, Dorset is in no group), a request to communicate it
locally, and Gwent's confirmation, all made through the services. The policy and group
fixtures are the engagement tests' own, imported here so pytest finds them."""

import datetime

import pytest
from django.utils import timezone

from engage.accounts.models import Membership, User
from engage.dissemination import services
from engage.dissemination.models import DisseminationConfirmation, DisseminationRequest
from engage.engagements.tests.conftest import draft, moj, open_engagement, policy, victims

__all__ = ["draft", "moj", "policy", "victims"]  # fixtures, for pytest

MESSAGE = "Tell local partners the new victims code applies from April."
TO_WHOM = "Members of the Gwent criminal justice board"
LINK = "https://gwent.example.org/news/victims-code"


def membership_of(user: User, slug: str | None = None) -> Membership:
    memberships = Membership.objects.active().filter(user=user).select_related("organisation")
    if slug is not None:
        memberships = memberships.filter(organisation__slug=slug)
    return memberships.get()


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def make_request(engagement, lead, **overrides) -> DisseminationRequest:
    fields = {
        "message": MESSAGE,
        "message_label": "green",
        "audiences": ["cjb", "victims"],
        "due_on": in_days(14),
    }
    fields.update(overrides)
    return services.dissemination_request_create(engagement=engagement, by=lead, **fields)


def confirm(request, user, **overrides) -> DisseminationConfirmation:
    fields = {
        "outcome": "done",
        "channel": "meeting",
        "to_whom": TO_WHOM,
        "audiences_reached": ["cjb"],
        "done_on": timezone.localdate(),
        "link": LINK,
    }
    fields.update(overrides)
    return services.dissemination_confirm(
        dissemination=request, membership=membership_of(user), by=user, **fields
    )


@pytest.fixture
def consultation(personas, policy, victims):
    return open_engagement(personas, policy, groups=[victims])


@pytest.fixture
def asked(personas, consultation) -> DisseminationRequest:
    return make_request(consultation, personas.moj_lead)


@pytest.fixture
def confirmed(personas, asked) -> DisseminationConfirmation:
    return confirm(asked, personas.gwent_staff)
