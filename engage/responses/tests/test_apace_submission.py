"""Issue 8, point 8 (ADR 0013): on an engagement routed to APACE, alone or alongside standing
groups, the body's chief executive submits the body's response without a delegation. On any
other route the chief executive needs one, as other staff do."""

import pytest
from django.core.exceptions import PermissionDenied

from engage.responses.models import Response

from .fixtures import (
    body,
    consultation,
    membership_of,
    policy_fixture,
    save,
    start,
    submit,
    victims_fixture,
)

__all__ = ["policy_fixture", "victims_fixture"]

pytestmark = pytest.mark.django_db


def combined(personas, policy, victims):
    """Routed to Victims with APACE alongside: Surrey's chief executive is in the audience."""
    return consultation(personas, policy, groups=[victims], also_apace=True)


def test_the_chief_executive_submits_on_the_apace_route(personas, policy):
    engagement = consultation(personas, policy, route="apace")
    response = save(start(engagement, personas.surrey_ceo), personas.surrey_ceo)
    version = submit(response, personas.surrey_ceo)
    assert version.number == 1
    response.refresh_from_db()
    assert response.submitted_version == 1


def test_the_chief_executive_submits_on_a_combined_route(personas, policy, victims):
    engagement = combined(personas, policy, victims)
    response = save(start(engagement, personas.surrey_ceo), personas.surrey_ceo)
    submit(response, personas.surrey_ceo)
    assert Response.objects.get(pk=response.pk).submitted_version == 1


def test_the_chief_executive_needs_a_delegation_on_a_standing_groups_route(
    personas, policy, victims
):
    # Surrey joins Victims so that its chief executive is addressed by the groups route.
    from engage.directory.models import StandingGroupMembership

    StandingGroupMembership.objects.create(group=victims, body=body("surrey"))
    engagement = consultation(personas, policy, groups=[victims])
    response = save(start(engagement, personas.surrey_ceo), personas.surrey_ceo)
    with pytest.raises(PermissionDenied):
        submit(response, personas.surrey_ceo)
    assert Response.objects.get(pk=response.pk).submitted_version == 0


def test_staff_still_need_a_delegation_on_the_apace_route(personas, policy):
    import rules

    from engage.responses.rules import Submitting

    engagement = consultation(personas, policy, route="apace")
    gwent = body("gwent")
    assert not rules.has_perm(
        "responses.submit_response", personas.gwent_staff, Submitting(gwent, engagement)
    )
    assert rules.has_perm(
        "responses.submit_response", personas.surrey_ceo, Submitting(body("surrey"), engagement)
    )


def test_the_engagement_page_offers_the_chief_executive_to_submit(personas, policy, victims):
    from engage.directory.models import StandingGroupMembership
    from engage.responses.selectors import response_panel

    apace = consultation(personas, policy, route="apace")
    ceo = membership_of(personas.surrey_ceo)
    assert response_panel(personas.surrey_ceo, apace, ceo).can_submit
    StandingGroupMembership.objects.create(group=victims, body=body("surrey"))
    groups = consultation(personas, policy, groups=[victims], title="Groups only")
    assert not response_panel(personas.surrey_ceo, groups, ceo).can_submit
