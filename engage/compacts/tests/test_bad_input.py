"""Hostile values on the Compact pages: a message on the page (error summary and field), never
a server error, nothing changed."""

import pytest
from django.urls import reverse

from engage.accounts.models import Organisation
from engage.compacts.models import Compact, CompactSignatory
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

from .conftest import body, days_ago

pytestmark = pytest.mark.django_db


def compact_data(**overrides) -> dict:
    agreed = days_ago(100)
    data = {
        "title": "Leeds Compact",
        "area": "Leeds",
        "bodies": [str(body("west-yorkshire").pk)],
        **date_parts("agreed_on", str(agreed.day), str(agreed.month), str(agreed.year)),
        "url": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("value", BAD_VALUES)
def test_a_bad_body_area_is_refused(personas, client_for, value):
    response = client_for(personas.vcs_member).post(
        reverse("compacts:create"), compact_data(bodies=[value])
    )
    assert_refused(response, "Choose policing body areas from the list")
    assert not Compact.objects.exists()


@pytest.mark.parametrize(("value", "part"), BAD_DATE_PARTS)
def test_a_bad_date_agreed_is_refused(personas, client_for, value, part):
    parts = ["27", "3", "2019"]
    parts[part] = value
    fields = date_parts("agreed_on", *parts)
    response = client_for(personas.vcs_member).post(
        reverse("compacts:create"), compact_data(**fields)
    )
    assert_refused(response, date_message("date agreed", part, value))
    assert_date_kept(response, "agreed_on", fields)
    assert not Compact.objects.exists()


@pytest.mark.parametrize(("value", "part"), BAD_DATE_PARTS)
def test_a_bad_date_signed_is_refused(personas, client_for, wy_compact, wy_staff, value, part):
    parts = ["4", "6", "2024"]
    parts[part] = value
    count = CompactSignatory.objects.count()
    # A member of the body the Compact covers (Kent's would be refused as out of the area).
    response = client_for(wy_staff).post(
        reverse("compacts:sign", args=[wy_compact.public_id]), date_parts("signed_on", *parts)
    )
    assert_refused(response, date_message("date signed", part, value))
    assert CompactSignatory.objects.count() == count


@pytest.mark.parametrize("value", BAD_VALUES)
def test_a_bad_organisation_is_refused(personas, client_for, wy_compact, value):
    count = CompactSignatory.objects.count()
    response = client_for(personas.admin).post(
        reverse("compacts:sign", args=[wy_compact.public_id]),
        {"organisation": value, **date_parts("signed_on", "1", "1", "2025")},
    )
    assert_refused(response, "Choose an organisation from the list")
    assert CompactSignatory.objects.count() == count


def test_too_long_a_title_is_refused(personas, client_for):
    response = client_for(personas.vcs_member).post(
        reverse("compacts:create"), compact_data(title="x" * 201)
    )
    assert response.status_code == 200
    assert "There is a problem" in page_text(response)
    assert not Compact.objects.exists()


@pytest.mark.parametrize("value", [*BAD_VALUES, *BAD_SLUGS])
def test_bad_filters_on_the_working_page_are_said_and_ignored(
    personas, client_for, wy_compact, value
):
    response = client_for(personas.vcs_member).get(
        reverse("compacts:list"), {"state": value, "page": value, "q": "x" * 101}
    )
    assert_refused(response, "Choose a state from the list")
    assert "Search must be 100 characters or fewer" in page_text(response)
    assert "43 policing bodies" in page_text(response)  # the state is not applied
    assert "West Yorkshire Compact" in page_text(response)  # nor the search


def test_a_member_acting_for_a_national_body_is_told_to_switch(personas, client_for, wy_compact):
    """A member of both a voluntary organisation and the Home Office, acting for the Home
    Office, may sign (for the voluntary organisation) but is told to switch first."""
    from engage.directory.tests.factories import MembershipFactory

    home_office = Organisation.objects.get(slug="ho")
    MembershipFactory(user=personas.vcs_member, organisation=home_office)
    client = client_for(personas.vcs_member)
    client.post(
        reverse("accounts:switch_organisation"),
        {"organisation": str(home_office.public_id), "next": "/"},
    )
    response = client.get(reverse("compacts:sign", args=[wy_compact.public_id]), follow=True)
    assert "Switch to the policing body or voluntary organisation you sign for" in page_text(
        response
    )
    assert wy_compact.signatories.count() == 2
