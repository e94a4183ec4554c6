"""The routing record page and the APCC adding a body: every persona, bad input, the record's
contents, and a query count that does not grow with the audience."""

import pytest
from django.urls import reverse

from engage.audit.models import AccessLog
from engage.conftest import EVERYONE
from engage.directory.models import PolicingBody
from engage.engagements import services
from engage.engagements.models import AudienceBody

from .conftest import open_engagement

pytestmark = pytest.mark.django_db


def expect(default: int, **codes: int) -> dict[str, int]:
    return {name: codes.get(name, default) for name in EVERYONE}


def codes_for(personas, client_for, url: str) -> dict[str, int]:
    return {name: client_for(getattr(personas, name)).get(url).status_code for name in EVERYONE}


AUDIENCE = {"gwent_commissioner", "gwent_staff", "kent_commissioner"}


def test_the_routing_record_is_for_the_owner_and_the_secretariat(personas, client_for, opened):
    url = reverse("engagements:routing", args=[opened.public_id])
    # The audience sees the engagement but not its routing record (403); others not at all.
    want = expect(404, moj_lead=200, secretariat=200, **dict.fromkeys(AUDIENCE, 403))
    assert codes_for(personas, client_for, url) == want
    assert client_for(personas.moj_lead).post(url).status_code == 405


def test_the_routing_record_while_awaiting_the_apcc(personas, client_for, awaiting):
    url = reverse("engagements:routing", args=[awaiting.public_id])
    assert codes_for(personas, client_for, url) == expect(404, moj_lead=200, secretariat=200)


def test_adding_a_body_is_for_the_secretariat_only(personas, client_for, opened):
    url = reverse("engagements:audience_add", args=[opened.public_id])
    want = expect(404, moj_lead=403, secretariat=200, **dict.fromkeys(AUDIENCE, 403))
    assert codes_for(personas, client_for, url) == want


def test_adding_a_body_to_a_closed_engagement_says_why(personas, client_for, opened):
    services.engagement_close(engagement=opened, by=personas.moj_lead)
    response = client_for(personas.secretariat).get(
        reverse("engagements:audience_add", args=[opened.public_id]), follow=True
    )
    assert "only be added to an open engagement" in response.content.decode()


def test_the_secretariat_adds_a_body_and_the_record_shows_it(personas, client_for, opened):
    apcc = client_for(personas.secretariat)
    dorset = PolicingBody.objects.get(organisation__slug="dorset")
    add = reverse("engagements:audience_add", args=[opened.public_id])
    page = apcc.get(add).content.decode()
    assert "Dorset" in page
    assert "Kent" not in page.split("<select")[1].split("</select>")[0]
    done = apcc.post(add, {"body": dorset.pk, "reason": "Joined Victims in May"})
    assert done.status_code == 302
    record = client_for(personas.moj_lead).get(
        reverse("engagements:routing", args=[opened.public_id])
    )
    text = record.content.decode()
    assert "Joined Victims in May" in text
    assert personas.secretariat.email in text
    assert "Kent" in text
    assert "TLP:" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "Why"}, "Choose the policing body to add"),
        ({"body": "999999", "reason": "Why"}, "Choose a policing body from the list"),
        ({"body": "not-a-number", "reason": "Why"}, "Choose a policing body from the list"),
        ({"body": "KENT"}, "Say why you are adding this body"),
        ({"body": "DORSET", "reason": "x" * 501}, "500 characters or fewer"),
        ({"body": "KENT", "reason": "Why"}, "Choose a policing body from the list"),
    ],
)
def test_bad_input_when_adding_a_body(personas, client_for, opened, data, message):
    bodies = {
        "KENT": str(PolicingBody.objects.get(organisation__slug="kent").pk),
        "DORSET": str(PolicingBody.objects.get(organisation__slug="dorset").pk),
    }
    data = {key: bodies.get(value, value) for key, value in data.items()}
    response = client_for(personas.secretariat).post(
        reverse("engagements:audience_add", args=[opened.public_id]), data
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert message in response.content.decode()
    assert not AudienceBody.objects.filter(engagement=opened, at_opening=False).exists()


def test_viewing_the_routing_record_is_logged(personas, client_for, opened):
    client_for(personas.secretariat).get(reverse("engagements:routing", args=[opened.public_id]))
    assert AccessLog.objects.filter(
        user=personas.secretariat, object_id=str(opened.public_id)
    ).exists()


def test_the_routing_record_costs_the_same_whatever_the_audience(personas, client_for, policy):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = open_engagement(personas, policy, route="groups", groups=_victims())
    wide = open_engagement(personas, policy, route="all_bodies", title="Wide")
    for body in PolicingBody.objects.exclude(audience_of__engagement=small)[:10]:
        services.audience_body_add(
            engagement=small, body=body, by=personas.secretariat, reason="Later"
        )
    apcc = client_for(personas.secretariat)
    apcc.get(reverse("engagements:routing", args=[small.public_id]))  # warm the session
    counts = []
    for engagement in (small, wide):
        with CaptureQueriesContext(connection) as queries:
            assert (
                apcc.get(reverse("engagements:routing", args=[engagement.public_id])).status_code
                == 200
            )
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # Session, person, engagement, routing record (4), access log: pinned.
    assert counts[0] == 10, counts
    assert AudienceBody.objects.filter(engagement=wide).count() > 10


def _victims():
    from engage.directory.models import StandingGroup

    return [StandingGroup.objects.get(slug="victims")]


def test_routing_record_rows_are_read_by_the_owner_and_the_secretariat(personas, opened):
    from engage.engagements.models import RouteAmendment

    readers = {
        name
        for name in EVERYONE
        if AudienceBody.objects.visible_to(getattr(personas, name))
        .filter(engagement=opened)
        .exists()
    }
    assert readers == {"moj_lead", "secretariat"}
    assert not RouteAmendment.objects.visible_to(personas.kent_commissioner).exists()
