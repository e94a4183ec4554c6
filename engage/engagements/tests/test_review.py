"""The protocol review's timing figures (issue 8, point 6): for the APCC secretariat and the
national organisations, aggregates only; a policing body has no timing figures of its own
(it does not set the dates), so to everyone else the page does not exist (404)."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from engage.accounts.models import Organisation
from engage.conftest import EVERYONE
from engage.engagements.models import Engagement, Kind, Route, Status
from engage.engagements.review import timing_figures

from .factories import EngagementFactory, PolicyFactory
from .test_pages import date_fields, text

pytestmark = pytest.mark.django_db

URL = reverse("engagements:review_timing")
TODAY = timezone.localdate


def days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


def opened(policy, *, window: int | None = 21, notice: int | None = None, reason="", **extra):
    """An engagement that opened today, with a response window and change notice of so many
    days (rows written directly: the figures also count those opened before the rules)."""
    kind = Kind.CHANGE_NOTICE if notice is not None else Kind.CONSULTATION
    return EngagementFactory(
        policy=policy,
        kind=kind,
        status=Status.OPEN,
        route=Route.STANDING_GROUPS,
        opened_at=extra.pop("opened_at", timezone.now()),
        asks_response=window is not None,
        response_deadline=days(window) if window is not None else None,
        effective_date=days(notice) if notice is not None else None,
        rationale="Why" if notice is not None else "",
        short_notice_reason=reason,
        **extra,
    )


# Who reads it -----------------------------------------------------------------------------


def test_access_matrix(personas, client_for):
    got = {name: client_for(getattr(personas, name)).get(URL).status_code for name in EVERYONE}
    assert got == {
        name: 200 if name in ("moj_lead", "ho_lead", "secretariat") else 404 for name in EVERYONE
    }


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response.url


def test_a_scheduled_engagement_page_matrix(personas, client_for, policy, victims):
    from engage.engagements import services

    from .conftest import engagement_fields

    engagement = services.engagement_create(
        policy=policy,
        by=personas.moj_lead,
        **engagement_fields(opens_on=days(2), response_deadline=days(30)),
    )
    services.engagement_route(
        engagement=engagement, by=personas.moj_lead, route="groups", groups=[victims]
    )
    services.engagement_confirm_routing(engagement=engagement, by=personas.secretariat)
    url = reverse("engagements:detail", args=[engagement.public_id])
    got = {name: client_for(getattr(personas, name)).get(url).status_code for name in EVERYONE}
    assert got == {name: 200 if name in ("moj_lead", "secretariat") else 404 for name in EVERYONE}
    page = text(client_for(personas.secretariat).get(url))
    assert "Confirmed, opens later" in page
    assert "it opens to its audience on this date" in page


# The figures ------------------------------------------------------------------------------


@pytest.fixture
def ho_policy(personas):
    return PolicyFactory(
        owner=Organisation.objects.get(slug="ho"),
        created_by=personas.ho_lead,
        policy_leads=[personas.ho_lead],
    )


@pytest.fixture
def world(personas, policy, ho_policy):
    opened(policy, window=28)
    opened(policy, window=14, reason="Ministers decide on the 20th.")
    opened(policy, window=10)  # before the rule: no reason
    opened(policy, window=None, notice=7, reason="The order was laid today.")
    opened(policy, window=None, notice=30)
    opened(policy, window=None, notice=3)
    opened(policy, window=30, opened_at=timezone.now() - datetime.timedelta(days=400))
    EngagementFactory(policy=policy, status=Status.AWAITING_APCC, opened_at=None)
    opened(ho_policy, window=5)


def test_the_figures_count_short_notice_with_and_without_a_reason(personas, world):
    figures = timing_figures(personas.secretariat, start=days(-30), end=TODAY())
    assert figures.opened == 7
    assert figures.asking_response == 4
    assert (figures.short_response.total, figures.short_response.with_reason) == (3, 1)
    assert figures.short_response.without_reason == 2
    assert figures.change_notices == 3
    assert (figures.short_notice.total, figures.short_notice.with_reason) == (2, 1)
    assert figures.median_response_days == 12  # 5, 10, 14, 28
    assert figures.median_notice_days == 7  # 3, 7, 30


def test_the_window_counts_from_the_day_it_opened(personas, policy):
    # Confirmed late: its deadline was 21 days after its opening date, but it opened 5 days on.
    engagement = opened(policy, window=16)
    Engagement.objects.filter(pk=engagement.pk).update(opens_on=days(-5))
    figures = timing_figures(personas.secretariat, start=TODAY(), end=TODAY())
    assert figures.median_response_days == 16
    assert figures.short_response.total == 1


def test_a_national_organisation_reads_its_own_figures_only(personas, world, moj):
    ho = timing_figures(personas.ho_lead, start=days(-30), end=TODAY())
    assert (ho.opened, ho.short_response.total) == (1, 1)
    moj_figures = timing_figures(personas.moj_lead, start=days(-30), end=TODAY())
    assert moj_figures.opened == 6
    by_owner = timing_figures(personas.secretariat, start=days(-30), end=TODAY(), owner=moj)
    assert by_owner.opened == 6


@override_settings(ENGAGE_MIN_RESPONSE_DAYS=30)
def test_the_minimum_is_the_one_configured(personas, world):
    figures = timing_figures(personas.secretariat, start=days(-30), end=TODAY())
    assert figures.short_response.total == 4


def test_the_page_shows_the_figures_with_filters(personas, client_for, world):
    client = client_for(personas.secretariat)
    page = text(client.get(URL))  # the last twelve months by default
    assert "Protocol review: timing" in page
    assert "Response window shorter than 21 days" in page
    assert "Change notices with less than 14 days' notice" in page
    assert "<caption" in page
    assert 'scope="row"' in page

    page = text(
        client.get(
            URL,
            {
                **date_fields("start", days(-500)),
                **date_fields("end", TODAY()),
                "owner": "ho",
            },
        )
    )
    assert "Median response window" in page


# Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({**date_fields("start", None), **date_fields("end", TODAY())}, "start", "Enter the"),
        (
            {"start_0": "31", "start_1": "2", "start_2": "2026", **date_fields("end", TODAY())},
            "start",
            "real date",
        ),
        (
            {**date_fields("start", TODAY()), **date_fields("end", days(-1))},
            "end",
            "The end of the period must be on or after its start",
        ),
        (
            {**date_fields("start", days(-9)), **date_fields("end", TODAY()), "owner": "nobody"},
            "owner",
            "Choose an organisation from the list",
        ),
    ],
)
def test_bad_filters_get_a_message_at_the_field(personas, client_for, query, field, message):
    response = client_for(personas.secretariat).get(URL, query)
    assert response.status_code == 200
    page = text(response)
    assert f'href="#id_{field}' in page
    assert message in page
    assert "Engagements opened in the period" not in page


def test_a_national_organisation_cannot_ask_for_anothers_figures(personas, client_for, world):
    query = {**date_fields("start", days(-9)), **date_fields("end", TODAY()), "owner": "moj"}
    page = text(client_for(personas.ho_lead).get(URL, query))
    assert "Choose an organisation from the list" in page
    assert "Engagements opened in the period" not in page


# Queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["secretariat", "moj_lead"])
def test_query_count_is_pinned_and_flat(
    personas, client_for, policy, django_assert_num_queries, persona
):
    client = client_for(getattr(personas, persona))
    client.get(URL)  # the session and the viewer settle

    def add(n: int) -> None:
        for number in range(n):
            opened(policy, window=10 + number, reason="Soon" if number % 2 else "")
            opened(policy, window=None, notice=number)

    add(3)
    with django_assert_num_queries(BUDGET[persona]):
        small = client.get(URL)
    add(30)
    with django_assert_num_queries(BUDGET[persona]):
        large = client.get(URL)
    assert small.status_code == large.status_code == 200
    assert text(small) != text(large)


# The session, the user, the memberships (the viewer), the MFA check, the figures (one query)
# and the owning organisations for the filter.
BUDGET = {"secretariat": 6, "moj_lead": 6}
