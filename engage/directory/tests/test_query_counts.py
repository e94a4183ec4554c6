"""Every directory page runs a fixed number of queries, however many rows there are.

The pinned numbers include the request's own queries; the rest is the page's, each list
fetched in one query.
"""

import pytest
from django.urls import reverse

from engage.accounts.models import OrganisationKind, Role
from engage.directory.models import BodyType, GroupRole

from .factories import (
    MembershipFactory,
    OrganisationFactory,
    PlanPriorityFactory,
    PolicingBodyFactory,
    PriorityThemeFactory,
    StandingGroupFactory,
    StandingGroupMembershipFactory,
    UserFactory,
)

# Every request costs 3 queries (session, user, the memberships behind the header and the MFA
# check: the person here needs no MFA, so no authenticator); the rest is the page's own, one
# per list whatever its length.
REQUEST = 3
BUDGETS = {
    "directory:bodies": REQUEST + 2,  # regions for the filter, bodies
    "directory:body": REQUEST + 5,  # body, its groups, its plan, its priorities, type history
    "directory:national": REQUEST + 1,  # organisations with their parent
    "directory:groups": REQUEST + 3,  # groups with member counts, themes, leads
    "directory:group": REQUEST + 5,  # group, themes, members, their commissioners, history
    "directory:map": REQUEST + 1,  # forces with their bodies
}


def add_rows(*, scale: int, body, group) -> None:
    """Add rows of every kind the pages show; `scale` times as many each call."""
    themes = PriorityThemeFactory.create_batch(2 * scale)
    parent = OrganisationFactory(kind=OrganisationKind.NATIONAL_DEPARTMENT)
    OrganisationFactory.create_batch(
        2 * scale, kind=OrganisationKind.NATIONAL_AGENCY, parent=parent
    )
    group.themes.add(*themes)
    for index in range(4 * scale):
        other = PolicingBodyFactory(body_type=BodyType.MAYOR if index % 2 else BodyType.PCC)
        StandingGroupMembershipFactory(group=group, body=other)
        MembershipFactory(
            user=UserFactory(), organisation=other.organisation, role=Role.COMMISSIONER
        )
        extra_group = StandingGroupFactory(themes=themes[:2])
        StandingGroupMembershipFactory(group=extra_group, body=other, role=GroupRole.LEAD)
        StandingGroupMembershipFactory(group=extra_group, body=body)
        PlanPriorityFactory(body=body, theme=themes[0])
    for _ in range(scale):  # type changes recorded in the body's history
        body.body_type = BodyType.MAYOR if body.body_type == BodyType.PCC else BodyType.PCC
        body.save(update_fields=["body_type"])


@pytest.mark.parametrize("page", BUDGETS)
def test_query_count_is_pinned_and_constant_as_rows_grow(
    viewer_client, django_assert_num_queries, page
):
    body = PolicingBodyFactory()
    group = StandingGroupFactory()
    StandingGroupMembershipFactory(group=group, body=body, role=GroupRole.LEAD)
    args = {"directory:body": [body.organisation.slug], "directory:group": [group.slug]}
    url = reverse(page, args=args.get(page, []))

    add_rows(scale=1, body=body, group=group)
    with django_assert_num_queries(BUDGETS[page]):
        small = viewer_client.get(url)

    add_rows(scale=9, body=body, group=group)  # ten times the rows
    with django_assert_num_queries(BUDGETS[page]):
        large = viewer_client.get(url)

    assert small.status_code == large.status_code == 200
    assert len(large.content) > len(small.content)
