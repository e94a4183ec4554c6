"""Fixtures for the Compact tests: West Yorkshire's policing body and a member of it (no persona
is one), and the West Yorkshire Compact, signed by West Yorkshire and by Leeds Women's Centre
(the demo's)."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from engage.accounts.models import Membership, Role, User
from engage.compacts.demo import seed_compacts_demo
from engage.compacts.models import Compact
from engage.conftest import TOTP_SECRET
from engage.directory.models import PolicingBody
from engage.directory.tests.factories import MembershipFactory


def membership_of(user: User, slug: str | None = None) -> Membership:
    memberships = Membership.objects.active().filter(user=user).select_related("organisation")
    if slug is not None:
        memberships = memberships.filter(organisation__slug=slug)
    return memberships.get()


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def body(slug: str) -> PolicingBody:
    return PolicingBody.objects.select_related("organisation").get(organisation__slug=slug)


@pytest.fixture
def west_yorkshire(reference_data) -> PolicingBody:
    return body("west-yorkshire")


@pytest.fixture
def wy_staff(west_yorkshire) -> User:
    """OPCC staff of West Yorkshire, with MFA set up (a policing body's members need it)."""
    user = User.objects.create_user(email="wren@example.org", full_name="Wren Yates")
    MembershipFactory(user=user, organisation=west_yorkshire.organisation, role=Role.OPCC_STAFF)
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def wy_compact(personas, west_yorkshire) -> Compact:
    compact = seed_compacts_demo(by=personas.admin)
    assert compact is not None
    return compact
