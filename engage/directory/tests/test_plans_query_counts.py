"""The plan, earlier plan, published and body pages run a fixed number of queries, however
many priorities, plans, changes and published entries a body has."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engage.directory import plans, publications
from engage.directory.models import (
    CommissioningKind,
    ContactRole,
    PolicePlan,
    PolicingBody,
    RouteKind,
)

from .factories import MembershipFactory, PolicingBodyFactory, PriorityThemeFactory, UserFactory

# As in test_query_counts: 3 queries for the request itself, then the page's own.
REQUEST = 3
BUDGETS = {
    # body, current plan, its priorities, earlier plans, plan history, priority history
    "directory:plan": REQUEST + 6,
    # body, the plan with the plan that replaced it, its priorities
    "directory:plan_version": REQUEST + 3,
    # body, contacts, commissioning, engagement routes, key dates
    "directory:publications": REQUEST + 5,
    # body, its groups, its plan, its priorities, its type history
    "directory:body": REQUEST + 5,
}


def add_rows(*, scale: int, body, editor) -> None:
    """More of everything the pages show: priorities, replaced plans, changes, entries."""
    themes = PriorityThemeFactory.create_batch(2)
    plan = PolicePlan.objects.current().get(body=body)
    for _ in range(scale):
        plan = plans.plan_replace(
            plan=plan,
            by=editor,
            title="Plan",
            starts_on=date(2025, 4, 1),
            ends_on=date(2029, 3, 31),
            copy_priorities=True,
        )
    for index in range(3 * scale):
        priority = plans.priority_add(
            plan=plan, by=editor, title=f"Priority {index}", theme=themes[index % 2]
        )
        plans.priority_move(priority=priority, by=editor, direction=plans.UP)
    for index in range(2 * scale):
        publications.contact_save(body=body, by=editor, role=ContactRole.OTHER, name=f"P{index}")
        publications.commissioning_save(
            body=body,
            by=editor,
            kind=CommissioningKind.GRANTS,
            title=f"Fund {index}",
            opens_on=date.today(),  # noqa: DTZ011
            closes_on=date.today() + timedelta(days=index),  # noqa: DTZ011
        )
        publications.route_save(body=body, by=editor, kind=RouteKind.FORUM, title=f"R{index}")
        publications.key_date_save(body=body, by=editor, title=f"D{index}", on=date(2026, 1, 1))


@pytest.mark.parametrize("page", BUDGETS)
def test_query_count_is_pinned_and_constant_as_rows_grow(
    client, viewer, django_assert_num_queries, page
):
    body = PolicingBodyFactory()
    editor = UserFactory()
    MembershipFactory(user=editor, organisation=body.organisation)
    first_plan = plans.plan_create(
        body=body, by=editor, title="First", starts_on=date(2021, 4, 1), ends_on=date(2025, 3, 31)
    )
    plans.priority_add(plan=first_plan, by=editor, title="Old", theme=PriorityThemeFactory())
    add_rows(scale=1, body=body, editor=editor)
    client.force_login(viewer)
    args = [body.slug, first_plan.public_id] if page == "directory:plan_version" else [body.slug]
    url = reverse(page, args=args)

    with django_assert_num_queries(BUDGETS[page]):
        small = client.get(url)

    add_rows(scale=9, body=body, editor=editor)  # ten times the rows
    with django_assert_num_queries(BUDGETS[page]):
        large = client.get(url)

    assert small.status_code == large.status_code == 200
    if page != "directory:plan_version":
        assert len(large.content) > len(small.content)


@pytest.mark.parametrize("page", ["directory:plan", "directory:publications", "directory:body"])
def test_an_editor_sees_the_edit_controls_at_no_extra_cost_per_row(personas, client_for, page):
    """For a member of the body (edit links, move buttons), the count does not grow either."""
    editor = personas.gwent_staff
    body = PolicingBody.objects.get(organisation__slug="gwent")
    first_plan = plans.plan_create(
        body=body, by=editor, title="First", starts_on=date(2021, 4, 1), ends_on=date(2025, 3, 31)
    )
    plans.priority_add(plan=first_plan, by=editor, title="Old", theme=PriorityThemeFactory())
    client = client_for(editor)
    url = reverse(page, args=["gwent"])
    add_rows(scale=1, body=body, editor=editor)
    client.get(url)  # the session's first request may set things up once

    with CaptureQueriesContext(connection) as small:
        first = client.get(url)
    add_rows(scale=9, body=body, editor=editor)
    with CaptureQueriesContext(connection) as large:
        second = client.get(url)

    assert first.status_code == second.status_code == 200
    assert "Change" in second.content.decode()
    assert len(large) == len(small)
