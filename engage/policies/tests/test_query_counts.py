"""The register and the policy page run a fixed number of queries, however many rows.

The pinned numbers include the request's own queries (session, user, the MFA checks, the
header's memberships); the rest is the page's, each list fetched in one query.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from engage.directory.models import PriorityTheme
from engage.policies import services
from engage.policies.models import Policy, Stage

from .conftest import triage

REQUEST = 4  # session, user, memberships (the person's facts: engage.accounts.viewer), TOTP
REGISTER = REQUEST + 4  # theme choices, count, page, themes of the page
# The policy; the access log (insert); themes, leads, current and archived key dates and stage
# changes (one prefetch each); the triage history; the engagements; the outcomes panel
# (engage/outcomes/panels.py); the implementation roles panel (engage/implementation/panels.py).
DETAIL = REQUEST + 11

STAGES = [Stage.TESTING, Stage.IMPLEMENTATION, Stage.EVALUATION, Stage.DEVELOPMENT]


def add_rows(*, scale: int, policy: Policy, lead, make_policy, open_engagement) -> None:
    """Add `scale` times a batch of every kind of row the two pages show."""
    start = PriorityTheme.objects.count()
    themes = [
        PriorityTheme.objects.create(slug=f"extra-{start + n}", name=f"Extra theme {start + n}")
        for n in range(2 * scale)
    ]
    for number in range(3 * scale):
        other = make_policy(title=f"Other policy {number}", themes=themes[:2])
        services.key_date_add(policy=other, kind="other", date=date(2027, 1, 1), by=lead)
    policy.themes.add(*themes)
    for number in range(2 * scale):
        key_date = services.key_date_add(
            policy=policy,
            kind="announcement",
            date=date(2027, 1, 1) + timedelta(days=number),
            label=f"Announcement {number}",
            by=lead,
        )
        if number % 2:
            services.key_date_archive(key_date=key_date, by=lead, reason="No longer applies.")
        services.policy_change_stage(policy=policy, stage=STAGES[number % 4], by=lead)
        triage(policy, lead, merits=bool(number % 2))
        open_engagement(policy, title=f"Engagement {number}", stage_at_opening=policy.stage)


@pytest.mark.parametrize(("page", "budget"), [("register", REGISTER), ("detail", DETAIL)])
def test_query_count_is_pinned_and_constant_as_rows_grow(
    personas, client_for, make_policy, open_engagement, django_assert_num_queries, page, budget
):
    policy = make_policy(title="Measured policy")
    client = client_for(personas.moj_lead)
    url = (
        reverse("policies:register")
        if page == "register"
        else reverse("policies:detail", args=[policy.public_id])
    )
    grow = {
        "policy": policy,
        "lead": personas.moj_lead,
        "make_policy": make_policy,
        "open_engagement": open_engagement,
    }

    add_rows(scale=1, **grow)
    with django_assert_num_queries(budget):
        small = client.get(url)

    add_rows(scale=9, **grow)  # ten times the rows
    with django_assert_num_queries(budget):
        large = client.get(url)

    assert small.status_code == large.status_code == 200
    assert len(large.content) > len(small.content)


def test_filtered_register_costs_the_same(
    personas, client_for, make_policy, themes, django_assert_num_queries
):
    for number in range(5):
        make_policy(title=f"Policy {number}", themes=themes)
    client = client_for(personas.moj_lead)
    params = {"q": "Policy", "stage": "idea", "theme": themes[0].slug, "triage": "untriaged"}
    with django_assert_num_queries(REGISTER):
        response = client.get(reverse("policies:register"), params)
    assert len(response.context["page_obj"].object_list) == 5


def test_limited_page_is_pinned_too(
    personas, client_for, make_policy, open_engagement, django_assert_num_queries
):
    """What the engagement's audience sees: its facts (a member of a body), the policy, the
    access log, the outcomes panel, the implementation panel (the body's own role)."""
    policy = make_policy(title="Measured policy")
    triage(policy, personas.moj_lead)
    client = client_for(personas.gwent_staff)
    url = reverse("policies:detail", args=[policy.public_id])
    for scale in (1, 10):
        for number in range(scale):
            open_engagement(policy, title=f"Engagement {scale}-{number}")
        # facts, policy, access log, outcomes, implementation
        with django_assert_num_queries(REQUEST + 5):
            assert client.get(url).status_code == 200
