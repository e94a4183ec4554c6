"""Fixtures for the sector tests: Leeds Women's Centre (the `vcs_member` persona's voluntary
organisation, serving West Yorkshire), a West Yorkshire member made for the tests (no persona
is one), and activities made through the services."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from engage.accounts.models import Organisation, Role
from engage.conftest import TOTP_SECRET
from engage.directory.models import PolicingBody
from engage.directory.tests.factories import MembershipFactory, UserFactory
from engage.sector import services
from engage.sector.models import Activity

SUMMARY = "Met the commissioning lead about victims' services."


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def centre(personas) -> Organisation:
    return Organisation.objects.get(slug="leeds-womens-centre")


@pytest.fixture
def west_yorkshire(reference_data) -> PolicingBody:
    return PolicingBody.objects.select_related("organisation").get(
        organisation__slug="west-yorkshire"
    )


@pytest.fixture
def gwent(reference_data) -> PolicingBody:
    return PolicingBody.objects.select_related("organisation").get(organisation__slug="gwent")


@pytest.fixture
def wy_member(personas, west_yorkshire):
    user = UserFactory(email="staff@west-yorkshire.example.org", full_name="Asha Patel")
    MembershipFactory(user=user, organisation=west_yorkshire.organisation, role=Role.OPCC_STAFF)
    TOTP.activate(user, TOTP_SECRET)  # members of policing bodies use MFA
    return user


def log(organisation, user, body, **overrides) -> Activity:
    fields = {
        "kind": "meeting",
        "happened_on": in_days(-3),
        "participants": "Our chief executive; the OPCC's commissioning lead",
        "summary": SUMMARY,
        "outcome": "Invited to bid.",
    }
    fields.update(overrides)
    return services.activity_create(organisation=organisation, by=user, body=body, **fields)


@pytest.fixture
def activity(personas, centre, west_yorkshire) -> Activity:
    return log(centre, personas.vcs_member, west_yorkshire)


@pytest.fixture
def shared(personas, activity) -> Activity:
    return services.activity_share(activity=activity, by=personas.vcs_member)
