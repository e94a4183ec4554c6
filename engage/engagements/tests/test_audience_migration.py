"""The data migration that fixes the audience of engagements already open or closed."""

import importlib
from typing import cast

import pytest
from django.apps import apps

from engage.directory.models import PolicingBody, StandingGroupMembership
from engage.engagements.models import (
    AudienceBody,
    Decision,
    Engagement,
    Route,
    Status,
    WiderRouteRequest,
)

from .factories import EngagementFactory

pytestmark = pytest.mark.django_db

fill = importlib.import_module(
    "engage.engagements.migrations.0007_fill_audience_of_open_and_closed_engagements"
).fill


def test_the_migration_fixes_open_and_closed_engagements_only(personas, policy, victims):
    common = {"policy": policy, "audience": False}
    grouped = EngagementFactory(
        status=Status.OPEN, route=Route.STANDING_GROUPS, routed_groups=[victims], **common
    )
    closed = EngagementFactory(
        status=Status.CLOSED, route=Route.STANDING_GROUPS, routed_groups=[victims], **common
    )
    waiting = EngagementFactory(
        status=Status.AWAITING_APCC, route=Route.STANDING_GROUPS, routed_groups=[victims], **common
    )
    wide = cast(Engagement, EngagementFactory(status=Status.OPEN, route=Route.ALL_BODIES, **common))
    WiderRouteRequest.objects.create(
        engagement=wide, request="Why", requested_by=personas.moj_lead, decision=Decision.AGREED
    )
    unagreed = EngagementFactory(status=Status.OPEN, route=Route.ALL_BODIES, **common)
    apace = EngagementFactory(status=Status.OPEN, route=Route.APACE, **common)
    assert not AudienceBody.objects.exists()

    fill(apps, None)

    def bodies(engagement) -> set[int]:
        return set(
            AudienceBody.objects.filter(engagement=engagement).values_list("body_id", flat=True)
        )

    in_victims = set(
        StandingGroupMembership.objects.filter(group=victims).values_list("body_id", flat=True)
    )
    assert bodies(grouped) == in_victims
    assert bodies(closed) == in_victims
    assert bodies(waiting) == set()
    assert bodies(wide) == set(PolicingBody.objects.values_list("pk", flat=True))
    assert bodies(unagreed) == set()
    assert bodies(apace) == set()
    fill(apps, None)  # twice changes nothing
    assert bodies(grouped) == in_victims
