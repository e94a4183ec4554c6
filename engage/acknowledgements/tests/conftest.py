"""Fixtures for the acknowledgement tests: an MoJ change notice open to the Victims standing
group (Gwent leads it, Kent is a member, Dorset is in no group), made through the services.
The policy and group fixtures are the engagement tests' own, imported here so pytest finds
them."""

import datetime

import pytest
from django.utils import timezone

from engage.accounts.models import Membership, User
from engage.acknowledgements import services
from engage.acknowledgements.models import Acknowledgement
from engage.engagements.models import Kind
from engage.engagements.tests.conftest import moj, open_engagement, policy, victims

__all__ = ["moj", "policy", "victims"]  # fixtures, for pytest


def membership_of(user: User) -> Membership:
    return Membership.objects.active().select_related("organisation").get(user=user)


def change_notice_fields() -> dict:
    return {
        "kind": Kind.CHANGE_NOTICE,
        "title": "Victims code: change to referral times",
        "rationale": "Referral times move from five days to three.",
        "effective_date": timezone.localdate() + datetime.timedelta(days=30),
        "asks_response": False,
        "response_deadline": None,
    }


def acknowledge(engagement, user, note: str = "") -> Acknowledgement:
    return services.acknowledge(
        engagement=engagement, membership=membership_of(user), by=user, note=note
    )


@pytest.fixture
def notice(personas, policy, victims):
    return open_engagement(personas, policy, groups=[victims], **change_notice_fields())
