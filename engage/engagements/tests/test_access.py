"""Every engagement page, opened by every persona: 200 for those who may use it, 403 for those
who may see the engagement but not act on it, 404 for those who may not see it at all; and
what people may not see is absent from the inbox and the priorities list too."""

import datetime
import html

import pytest
from django.urls import reverse

from engage.conftest import EVERYONE
from engage.engagements import services

from .conftest import engagement_fields

pytestmark = pytest.mark.django_db

AUDIENCE = {"gwent_commissioner", "gwent_staff", "kent_commissioner"}


def expect(default: int, **codes: int) -> dict[str, int]:
    return {name: codes.get(name, default) for name in EVERYONE}


def check(personas, client_for, url: str, expected: dict[str, int]) -> None:
    got = {name: client_for(getattr(personas, name)).get(url).status_code for name in EVERYONE}
    assert got == expected, url


def url(name, engagement):
    return reverse(f"engagements:{name}", args=[engagement.public_id])


# The engagement page through its life ------------------------------------------------------


def test_engagement_page_while_draft(personas, client_for, draft):
    check(personas, client_for, url("detail", draft), expect(404, moj_lead=200))


def test_engagement_page_while_awaiting_the_apcc(personas, client_for, awaiting):
    check(personas, client_for, url("detail", awaiting), expect(404, moj_lead=200, secretariat=200))


def test_engagement_page_once_open(personas, client_for, opened):
    codes = expect(404, moj_lead=200, secretariat=200, **dict.fromkeys(AUDIENCE, 200))
    check(personas, client_for, url("detail", opened), codes)


def test_engagement_page_once_closed(personas, client_for, opened):
    services.engagement_close(engagement=opened, by=personas.moj_lead)
    codes = expect(404, moj_lead=200, secretariat=200, **dict.fromkeys(AUDIENCE, 200))
    check(personas, client_for, url("detail", opened), codes)


def test_apace_route_reaches_surrey_ceo_only(personas, client_for, policy):
    from .conftest import open_engagement

    apace = open_engagement(personas, policy, route="apace")
    check(
        personas,
        client_for,
        url("detail", apace),
        expect(404, moj_lead=200, secretariat=200, surrey_ceo=200),
    )
    inbox = client_for(personas.surrey_ceo).get(reverse("engagements:inbox")).content.decode()
    assert html.escape(apace.title) in inbox


# The lead's pages ------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["edit", "questions", "route", "wider_request"])
def test_draft_pages_are_the_leads_alone(personas, client_for, draft, page):
    check(personas, client_for, url(page, draft), expect(404, moj_lead=200))


@pytest.mark.parametrize("page", ["close", "release", "share_responses"])
def test_open_engagement_pages_are_the_leads_and_refused_to_others_who_see_it(
    personas, client_for, opened, page
):
    codes = expect(404, moj_lead=200, secretariat=403, **dict.fromkeys(AUDIENCE, 403))
    check(personas, client_for, url(page, opened), codes)


@pytest.mark.parametrize("page", ["edit", "questions", "route", "wider_request"])
def test_draft_pages_on_an_open_engagement_are_refused_or_explained(
    personas, client_for, opened, page
):
    codes = expect(404, moj_lead=302, secretariat=403, **dict.fromkeys(AUDIENCE, 403))
    check(personas, client_for, url(page, opened), codes)


def test_adding_a_priority_is_the_leads_alone(personas, client_for, policy):
    update = services.engagement_create(
        policy=policy,
        by=personas.moj_lead,
        **engagement_fields(kind="priorities", asks_response=False, response_deadline=None),
    )
    check(personas, client_for, url("priority_new", update), expect(404, moj_lead=200))


def test_starting_an_engagement_is_the_owning_leads_alone(personas, client_for, policy):
    new = f"{reverse('engagements:new')}?policy={policy.public_id}"
    check(personas, client_for, new, expect(404, moj_lead=200))


# The APCC's pages ------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["confirm", "return"])
def test_confirming_and_returning_are_the_secretariats(personas, client_for, awaiting, page):
    check(personas, client_for, url(page, awaiting), expect(404, secretariat=200, moj_lead=403))


def test_answering_a_wider_route_request_is_the_secretariats(personas, client_for, draft):
    services.wider_route_request(engagement=draft, by=personas.moj_lead, request="National")
    check(
        personas,
        client_for,
        url("wider_decide", draft),
        expect(404, secretariat=200, moj_lead=403),
    )


def test_the_apcc_queue_is_the_secretariats(personas, client_for, awaiting):
    check(personas, client_for, reverse("engagements:apcc_queue"), expect(403, secretariat=200))
    page = client_for(personas.secretariat).get(reverse("engagements:apcc_queue"))
    assert html.escape(awaiting.title) in page.content.decode()


# Lists: what you cannot open is not listed ---------------------------------------------


def listed(client, url_name, text) -> bool:
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    return html.escape(text) in response.content.decode()


def test_the_inbox_lists_only_what_each_persona_may_see(personas, client_for, opened):
    seen = {
        name
        for name in EVERYONE
        if listed(client_for(getattr(personas, name)), "engagements:inbox", opened.title)
    }
    assert seen == {"moj_lead", "secretariat"} | AUDIENCE


@pytest.mark.parametrize("state", ["draft", "awaiting"])
def test_the_audience_inbox_is_empty_until_the_apcc_confirms(personas, client_for, request, state):
    engagement = request.getfixturevalue(state)
    for name in AUDIENCE | {"dorset_commissioner", "surrey_ceo"}:
        assert not listed(
            client_for(getattr(personas, name)), "engagements:inbox", engagement.title
        )


def test_priorities_list_and_page_follow_the_update(personas, client_for, policy, victims):
    update = services.engagement_create(
        policy=policy,
        by=personas.moj_lead,
        **engagement_fields(kind="priorities", asks_response=False, response_deadline=None),
    )
    priority = services.national_priority_add(
        engagement=update,
        by=personas.moj_lead,
        title="Tackle knife crime",
        source="ministerial",
        period_start=datetime.date(2026, 4, 1),
        supporting_information="Funding and the new duty.",
    )
    services.engagement_route(
        engagement=update, by=personas.moj_lead, route="groups", groups=[victims]
    )
    services.engagement_confirm_routing(engagement=update, by=personas.secretariat)

    seen = {
        name
        for name in EVERYONE
        if listed(client_for(getattr(personas, name)), "engagements:priorities", priority.title)
    }
    assert seen == {"moj_lead", "secretariat"} | AUDIENCE
    detail = reverse("engagements:priority_detail", args=[priority.public_id])
    codes = expect(404, moj_lead=200, secretariat=200, **dict.fromkeys(AUDIENCE, 200))
    check(personas, client_for, detail, codes)


def test_anonymous_visitors_are_sent_to_sign_in(client, opened):
    for page in ("detail", "edit", "confirm", "close", "release", "share_responses"):
        response = client.get(url(page, opened))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
