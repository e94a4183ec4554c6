"""Hostile revisions, ids and filters on the response pages. A revision that is not one is a
conflict: the latest copy, with what was typed listed so nothing is lost. An id that is not
one of the choices is a message on the page. Never a server error; nothing changes."""

import html

import pytest
from django.urls import reverse

from engage.core.tests.bad_input import BAD_VALUES, assert_refused, page_text
from engage.responses import services
from engage.responses.models import Response, ResponseVersion, SubmissionDelegation

pytestmark = pytest.mark.django_db


def _state():
    return (
        list(Response.objects.values_list("pk", "revision", "challenges")),
        Response.history.count(),
        ResponseVersion.objects.count(),
        SubmissionDelegation.objects.count(),
    )


@pytest.mark.parametrize("value", BAD_VALUES)
def test_a_draft_saved_with_a_bad_revision_is_a_conflict_that_keeps_the_text(
    personas, client_for, gwent_draft, value
):
    before = _state()
    response = client_for(personas.gwent_staff).post(
        reverse("responses:respond", args=[gwent_draft.engagement.public_id]),
        {
            "revision": value,
            "answer_1": "Words typed on a tampered page",
            "answer_2": "",
            "challenges": "Staff turnover.",
            "opportunities": "",
            "local_variations": "",
        },
    )
    assert response.status_code == 200
    page = page_text(response)
    assert str(services.CONFLICT) in page
    unsaved = page.split('id="unsaved"', 1)[1].split("</div>", 1)[0]
    assert "Words typed on a tampered page" in unsaved
    assert f'name="revision" value="{gwent_draft.revision}"' in page  # the latest revision
    assert _state() == before


@pytest.mark.parametrize("value", BAD_VALUES)
def test_a_submission_with_a_bad_revision_is_refused(personas, client_for, gwent_draft, value):
    before = _state()
    response = client_for(personas.gwent_commissioner).post(
        reverse("responses:submit", args=[gwent_draft.public_id]), {"revision": value}
    )
    assert response.status_code == 200
    assert str(services.CONFLICT) in page_text(response)
    assert _state() == before


@pytest.mark.parametrize("value", BAD_VALUES)
def test_delegating_to_a_bad_person_id(personas, client_for, gwent_draft, value):
    before = _state()
    response = client_for(personas.gwent_commissioner).post(
        reverse("responses:delegations"), {"delegate": value}
    )
    assert_refused(response, "Choose a person from the list")
    assert _state() == before


@pytest.mark.parametrize("value", ["9" * 20, str(2**63)])
def test_withdrawing_a_delegation_out_of_range_is_not_found(personas, client_for, value):
    client = client_for(personas.gwent_commissioner)
    assert client.post(f"/responses/delegations/{value}/withdraw/").status_code == 404


@pytest.mark.parametrize("value", BAD_VALUES)
def test_the_list_and_export_ignore_bad_filters(personas, client_for, gwent_submitted, value):
    lead = client_for(personas.moj_lead)
    engagement = gwent_submitted.engagement
    query = {"timing": value, "page": value}
    listing = lead.get(
        reverse("responses:engagement_responses", args=[engagement.public_id]), query
    )
    assert listing.status_code == 200
    assert "Gwent" in html.unescape(listing.content.decode())
    export = lead.get(
        reverse("responses:engagement_responses_export", args=[engagement.public_id]), query
    )
    assert export.status_code == 200
    content = b"".join(export.streaming_content) if export.streaming else export.content
    assert "Gwent" in content.decode()
