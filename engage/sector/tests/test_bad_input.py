"""Hostile values in every sector filter, id and date field: a message on the page (or the
filter ignored), never a server error, nothing changed."""

import pytest
from django.urls import reverse

from engage.core.tests.bad_input import (
    BAD_DATE_PARTS,
    BAD_VALUES,
    assert_date_kept,
    assert_refused,
    date_message,
    date_parts,
    page_text,
)
from engage.sector.models import Activity, FollowUp, OrganisationProfile

from .conftest import in_days

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", BAD_VALUES)
def test_the_lists_ignore_bad_filters(personas, client_for, activity, wy_member, value):
    cases = [
        (personas.outsider, "sector:organisations", {"q": value, "body": value, "theme": value}),
        (
            personas.vcs_member,
            "sector:activity_list",
            {"q": value, "body": value, "kind": value, "shared": value, "open": value},
        ),
        (wy_member, "sector:body_activity", {"organisation": value, "kind": value}),
    ]
    for user, name, params in cases:
        response = client_for(user).get(reverse(name), {**params, "page": value})
        assert response.status_code == 200, name


@pytest.mark.parametrize("value", BAD_VALUES)
def test_bad_ids_in_the_profile_form(personas, client_for, centre, west_yorkshire, value):
    for field, message in (
        ("areas_served", "Choose policing body areas from the list"),
        ("themes", "Choose themes from the list"),
    ):
        data = {"areas_served": [str(west_yorkshire.pk)], field: [value]}
        response = client_for(personas.vcs_member).post(
            reverse("sector:profile_edit", args=[centre.slug]), data
        )
        assert_refused(response, message)
    assert not OrganisationProfile.objects.exists()


@pytest.mark.parametrize("value", BAD_VALUES)
def test_a_bad_body_in_the_activity_form(personas, client_for, centre, value):
    response = client_for(personas.vcs_member).post(
        reverse("sector:activity_create"),
        {"body": value, "kind": "meeting", "participants": "x", "summary": "y"},
    )
    assert_refused(response, "Choose a policing body from the list")
    assert not Activity.objects.exists()


@pytest.mark.parametrize(("value", "part"), BAD_DATE_PARTS)
def test_bad_dates(personas, client_for, centre, west_yorkshire, activity, value, part):
    today = in_days(0)
    parts = [str(today.day), str(today.month), str(today.year)]
    parts[part] = value
    client = client_for(personas.vcs_member)
    happened = date_parts("happened_on", *parts)
    response = client.post(
        reverse("sector:activity_create"),
        {
            "body": str(west_yorkshire.pk),
            "kind": "meeting",
            "participants": "x",
            "summary": "y",
            **happened,
        },
    )
    assert_refused(response, date_message("date", part, value))
    assert_date_kept(response, "happened_on", happened)
    due = date_parts("due_on", *parts)
    response = client.post(
        reverse("sector:followup_add", args=[activity.public_id]), {"description": "x", **due}
    )
    assert_refused(response, date_message("due date", part, value))
    assert Activity.objects.count() == 1
    assert not FollowUp.objects.exists()
    assert "Log an activity" in page_text(client.get(reverse("sector:activity_create")))
