"""The collective view page, its edit page and its history run a fixed number of queries, the
same at ten times the responses."""

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from engage.collective.models import CollectiveViewVersion
from engage.directory.models import PolicingBody, StandingGroupMembership
from engage.responses.models import Response, ResponseVersion
from engage.responses.tests.test_query_counts import content

pytestmark = pytest.mark.django_db

counter = itertools.count()

REQUEST = 4  # session, user, memberships, authenticator (responses' test_query_counts)
FACTS = 1  # a policing body member's bodies and groups
BUDGETS = {
    # view; access log insert; its sources; sign-offs and their lead bodies; the bodies
    # addressed and those that submitted
    ("detail", "secretariat"): REQUEST + 7,
    ("detail", "gwent_commissioner"): REQUEST + FACTS + 7,
    # view, access log insert
    ("edit", "secretariat"): REQUEST + 2,
    # view, access log insert, drafter?, the changes, the versions
    ("history", "secretariat"): REQUEST + 5,
}


def add_rows(*, scale: int, personas, view, group) -> None:
    """More bodies in the group, each with a submitted response the view draws on, and more
    versions and changes."""
    taken = set(view.engagement.responses.values_list("body", flat=True))
    bodies = list(
        PolicingBody.objects.exclude(pk__in=taken)
        .exclude(group_memberships__group=group)
        .order_by("pk")[: 2 * scale]
    )
    lead = personas.moj_lead
    for body in bodies:
        StandingGroupMembership.objects.create(group=group, body=body)
        response = Response.objects.create(
            engagement=view.engagement,
            body=body,
            created_by=lead,
            updated_by=lead,
            submitted_version=1,
            submitted_at=timezone.now(),
        )
        version = ResponseVersion.objects.create(
            response=response, number=1, content=content((1, 2)), submitted_by=lead
        )
        view.sources.add(version)
        view.variations = [
            *view.variations,
            {"body_id": body.pk, "body": body.organisation.name, "text": "Local."},
        ]
    for _ in range(scale):
        view.version_count += 1
        CollectiveViewVersion.objects.create(
            view=view,
            number=view.version_count,
            event="sent",
            revision=view.revision,
            content={},
            created_by=personas.secretariat,
        )
        view.summary = f"Summary {next(counter)}"
        view.save()
    view.save()


@pytest.mark.parametrize(("page", "persona"), BUDGETS)
def test_query_count_is_pinned_and_constant_as_responses_grow(
    personas, client_for, consultation, view, victims, django_assert_num_queries, page, persona
):
    target = reverse(f"collective:{page}", args=[consultation.public_id])
    client = client_for(getattr(personas, persona))

    add_rows(scale=1, personas=personas, view=view, group=victims)
    with django_assert_num_queries(BUDGETS[(page, persona)]):
        small = client.get(target)

    add_rows(scale=10, personas=personas, view=view, group=victims)
    with django_assert_num_queries(BUDGETS[(page, persona)]):
        large = client.get(target)

    assert small.status_code == large.status_code == 200
    assert len(large.content) > len(small.content)
