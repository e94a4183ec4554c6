"""The profile page, the organisations list, the engagement log and the shared-with-us list run
a fixed number of queries, the same at ten times the rows."""

import itertools

import pytest
from django.urls import reverse

from engage.accounts.models import OrganisationKind
from engage.directory.models import PolicingBody, PriorityTheme
from engage.directory.tests.factories import MembershipFactory, OrganisationFactory
from engage.sector import services

from .conftest import in_days, log

pytestmark = pytest.mark.django_db

# Every request costs 3 queries before the page's own (session, user, memberships); a member
# of a policing body (who must use MFA) one more (the authenticator).
REQUEST = 3
MFA = 1
counter = itertools.count()


def add_rows(personas, centre, west_yorkshire, scale: int) -> None:
    """`scale` more voluntary organisations serving West Yorkshire and another area, each with a
    profile on two themes and an activity shared with West Yorkshire; `scale` more activities
    in the centre's log, each with follow-ups (one overdue, one due soon), every other one
    shared and a lasting arrangement."""
    bodies = list(PolicingBody.objects.order_by("pk")[:5])
    themes = list(PriorityTheme.objects.order_by("pk")[:4])
    for _ in range(scale):
        n = next(counter)
        organisation = OrganisationFactory(kind=OrganisationKind.VOLUNTARY)
        member = MembershipFactory(organisation=organisation).user
        services.profile_save(
            organisation=organisation,
            by=member,
            areas_served=[west_yorkshire, bodies[n % 5]],
            themes=[themes[n % 4], themes[(n + 1) % 4]],
            charity_number="1123456",
            summary=f"Organisation {n}",
        )
        log(organisation, member, west_yorkshire, summary=f"Shared activity {n}", share=True)
        activity = log(
            centre,
            personas.vcs_member,
            west_yorkshire if n % 2 else bodies[n % 5],
            summary=f"Our activity {n}",
            share=bool(n % 2),
            arrangement="board_seat" if n % 2 else "",
            arrangement_details="A board seat" if n % 2 else "",
        )
        for days in (-2, 5):
            services.followup_add(
                activity=activity, by=personas.vcs_member, description="Do", due_on=in_days(days)
            )
    services.profile_save(
        organisation=centre,
        by=personas.vcs_member,
        areas_served=[west_yorkshire, *bodies[: min(scale, 5)]],
        themes=themes[: min(scale, 4)],
        charity_number="1123456",
    )


# (page, persona): budget.
CASES = {
    # the organisation, its areas (with their organisations), the profile, its themes
    ("profile", "outsider"): REQUEST + 4,
    # the count, the page's rows (profiles joined), their areas, their themes; the filter's
    # bodies and themes
    ("organisations", "outsider"): REQUEST + 6,
    # the count, the page's rows (bodies joined, follow-ups counted), the follow-up counts, the
    # lasting arrangements; the filter's bodies
    ("activity_list", "vcs_member"): REQUEST + 5,
    # the body acted for, the organisations that shared, the count, the page's rows
    ("body_activity", "wy_member"): REQUEST + MFA + 4,
}


@pytest.mark.parametrize(("page", "persona"), CASES)
def test_query_count_is_pinned_and_constant(
    personas,
    client_for,
    centre,
    west_yorkshire,
    wy_member,
    django_assert_num_queries,
    page,
    persona,
):
    add_rows(personas, centre, west_yorkshire, 1)
    user = wy_member if persona == "wy_member" else getattr(personas, persona)
    client = client_for(user)
    args = [centre.slug] if page == "profile" else []
    address = reverse(f"sector:{page}", args=args)

    with django_assert_num_queries(CASES[(page, persona)]):
        small = client.get(address)
    add_rows(personas, centre, west_yorkshire, 10)
    with django_assert_num_queries(CASES[(page, persona)]):
        large = client.get(address)
    assert small.status_code == large.status_code == 200
    assert len(large.content) > len(small.content)


def test_the_activity_page_is_pinned(
    personas, client_for, centre, west_yorkshire, wy_member, django_assert_num_queries
):
    """The activity, its follow-ups, its history and its follow-ups' history (with who made
    each change; for the organisation only, not the body it is shared with): the same with one
    follow-up as with ten."""
    activity = log(centre, personas.vcs_member, west_yorkshire, share=True)
    services.followup_add(
        activity=activity, by=personas.vcs_member, description="Do", due_on=in_days(1)
    )
    address = reverse("sector:activity", args=[activity.public_id])
    for user, budget in ((personas.vcs_member, REQUEST + 4), (wy_member, REQUEST + MFA + 2)):
        client = client_for(user)
        with django_assert_num_queries(budget):
            small = client.get(address)
        for days in range(9):
            follow_up = services.followup_add(
                activity=activity, by=personas.vcs_member, description="Do", due_on=in_days(days)
            )
            services.followup_done(follow_up=follow_up, by=personas.vcs_member)
        with django_assert_num_queries(budget):
            large = client.get(address)
        assert small.status_code == large.status_code == 200
        assert len(large.content) > len(small.content)
