"""The acknowledgement pages, opened by every persona (200, 403 for those who read the
engagement but may not act, 404 for those who may not read it), the one-click journey and
its refusals (a message where the person is, nothing changed), the engagement page's panel,
and query counts pinned and flat at ten times the rows."""

import html

import pytest
from django.urls import reverse

from engage.accounts.models import Membership, Role, User
from engage.acknowledgements.models import Acknowledgement
from engage.audit.models import AccessLog
from engage.conftest import EVERYONE
from engage.directory.models import PolicingBody, StandingGroupMembership
from engage.engagements import services as engagement_services
from engage.engagements.models import AudienceBody

from .conftest import acknowledge

pytestmark = pytest.mark.django_db

REQUEST = 4  # session, user, memberships, authenticator


def expect(default: int, **codes: int) -> dict[str, int]:
    return {name: codes.get(name, default) for name in EVERYONE}


def check(personas, client_for, url: str, expected: dict[str, int]) -> dict[str, str]:
    got = {}
    for name in EVERYONE:
        response = client_for(getattr(personas, name)).get(url)
        got[name] = (response.status_code, html.unescape(response.content.decode()))
    assert {name: code for name, (code, _page) in got.items()} == expected, url
    return {name: page for name, (_code, page) in got.items()}


def url(name: str, engagement) -> str:
    return reverse(f"acknowledgements:{name}", args=[str(engagement.public_id)])


def test_the_table_is_for_the_owner_and_the_apcc(personas, client_for, notice):
    acknowledge(notice, personas.kent_commissioner, note="Passed to our victims' hub.")
    seen = check(
        personas,
        client_for,
        url("table", notice),
        expect(
            404,
            moj_lead=200,
            secretariat=200,
            gwent_commissioner=403,
            gwent_staff=403,
            kent_commissioner=403,
        ),
    )
    page = seen["moj_lead"]
    assert "Passed to our victims' hub." in page
    assert "Sarah Hollis" in page
    assert "Not yet" in page  # Gwent has not
    assert "Handling label" in page
    assert AccessLog.objects.filter(object_type="acknowledgements", detail="table").exists()


def test_the_acknowledge_page_is_for_the_bodies_addressed(personas, client_for, notice):
    seen = check(
        personas,
        client_for,
        url("acknowledge", notice),
        expect(
            404,
            gwent_commissioner=200,
            gwent_staff=200,
            kent_commissioner=200,
            moj_lead=403,
            secretariat=403,
        ),
    )
    assert "Acknowledge for Police and Crime Commissioner for Gwent" in seen["gwent_staff"]
    assert "Handling label" in seen["gwent_staff"]


def test_anonymous_people_are_sent_to_sign_in(client, notice):
    for name in ("table", "acknowledge"):
        assert client.get(url(name, notice)).status_code == 302


def test_one_click_from_the_engagement_page_and_the_panel_says_who(personas, client_for, notice):
    staff = client_for(personas.gwent_staff)
    page_url = reverse("engagements:detail", args=[notice.public_id])
    before = html.unescape(staff.get(page_url).content.decode())
    assert "Acknowledge for Police and Crime Commissioner for Gwent" in before

    response = staff.post(url("acknowledge", notice), {"note": ""})
    assert response.status_code == 302
    made = Acknowledgement.objects.get()
    assert made.acknowledged_by == personas.gwent_staff

    commissioner = html.unescape(
        client_for(personas.gwent_commissioner).get(page_url).content.decode()
    )
    assert "by Owen Price on" in commissioner
    assert "Acknowledge for" not in commissioner
    lead = html.unescape(client_for(personas.moj_lead).get(page_url).content.decode())
    assert "1 of 2 bodies addressed have acknowledged" in lead
    assert "See which bodies have acknowledged" in lead


def test_acknowledging_twice_is_refused_politely(personas, client_for, notice):
    acknowledge(notice, personas.gwent_staff)
    response = client_for(personas.gwent_commissioner).post(
        url("acknowledge", notice), {"note": "Again"}, follow=True
    )
    page = html.unescape(response.content.decode())
    assert "acknowledged this on" in page
    assert "It is acknowledged once." in page
    assert Acknowledgement.objects.count() == 1
    assert Acknowledgement.objects.get().note == ""


def test_a_closed_engagement_says_why_and_takes_nothing(personas, client_for, notice):
    engagement_services.engagement_close(engagement=notice, by=personas.moj_lead)
    response = client_for(personas.gwent_staff).post(url("acknowledge", notice), follow=True)
    assert "It is closed" in response.content.decode()
    assert not Acknowledgement.objects.exists()


def test_the_lead_cannot_acknowledge_for_a_body(personas, client_for, notice):
    response = client_for(personas.moj_lead).post(url("acknowledge", notice))
    assert response.status_code == 403
    assert "not acting for one" in response.content.decode()
    assert not Acknowledgement.objects.exists()


def test_a_body_from_the_form_is_ignored(personas, client_for, notice):
    """Only the body acted for acknowledges: a body named in the post changes nothing."""
    kent = PolicingBody.objects.get(organisation__slug="kent")
    client_for(personas.gwent_staff).post(url("acknowledge", notice), {"body": kent.pk})
    assert Acknowledgement.objects.get().body.organisation.slug == "gwent"


def test_an_overlong_note_is_shown_on_the_form(personas, client_for, notice):
    response = client_for(personas.gwent_staff).post(
        url("acknowledge", notice), {"note": "x" * 2001}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Acknowledgement.objects.exists()


def _more_bodies(notice, victims, scale: int) -> None:
    """`scale` more bodies in the routed group (from the reference data), each added to the
    notice's audience by the APCC (it opened before they joined) and acknowledging."""
    free = PolicingBody.objects.exclude(group_memberships__group=victims).order_by("pk")
    for body in list(free[:scale]):
        StandingGroupMembership.objects.create(group=victims, body=body)
        AudienceBody.objects.create(
            engagement=notice, body=body, at_opening=False, reason="Joined the group"
        )
        person = User.objects.create_user(email=f"ack-{body.pk}@example.org")
        Membership.objects.create(user=person, organisation=body.organisation, role=Role.OPCC_STAFF)
        acknowledge(notice, person)


@pytest.mark.parametrize(
    ("page", "persona", "budget"),
    [
        # engagement, the log, the acknowledgements and the bodies addressed
        ("table", "moj_lead", REQUEST + 4),
        ("table", "secretariat", REQUEST + 4),
    ],
)
def test_the_table_query_count_is_pinned_and_flat(
    personas, client_for, notice, victims, django_assert_num_queries, page, persona, budget
):
    client = client_for(getattr(personas, persona))
    _more_bodies(notice, victims, 1)
    with django_assert_num_queries(budget):
        small = client.get(url(page, notice))
    _more_bodies(notice, victims, 10)
    with django_assert_num_queries(budget):
        large = client.get(url(page, notice))
    assert small.status_code == large.status_code == 200
    assert len(large.content) > len(small.content)
