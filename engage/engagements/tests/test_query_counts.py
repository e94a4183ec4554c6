"""The inbox (for a body member, the secretariat and a lead), the APCC queue, the priorities
list and the engagement page each run a fixed number of queries, the same at ten times the
rows."""

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from engage.accounts.models import Membership, Organisation, Role, User
from engage.acknowledgements.models import Acknowledgement
from engage.core.labels import Label
from engage.directory.models import PolicingBody, PriorityTheme, StandingGroup
from engage.documents.models import Document
from engage.engagements.models import (
    Decision,
    Kind,
    LabelRelease,
    Route,
    Status,
    WiderRouteRequest,
)
from engage.responses.models import Response

from .factories import EngagementFactory, NationalPriorityFactory, QuestionFactory

pytestmark = pytest.mark.django_db

counter = itertools.count()

# Every request a persona makes costs 4 queries before the page's own: the session, the user,
# the memberships (behind the header's organisation switcher, the MFA check and every access
# decision: engage.accounts.viewer) and the authenticator. A member of a policing body adds one
# on pages that decide access: the bodies and standing groups of the person's facts.
REQUEST = 4
FACTS = 1
BUDGETS = {
    # filter form has none; page count, page rows, their routed groups; then the links to the
    # lists of the apps above (engage/core/panels.py, page "inbox"): the questions waiting for
    # an answer, counted (the requests to share further are linked without a count); for a
    # body and a lead, the implementation roles waiting (engage/implementation/panels.py; the
    # APCC's link has no count)
    # The body's own response status and the acknowledgements asked of it (issue 9, point 3)
    # are subqueries of the rows' query: no query of their own. For a body and a lead, the
    # dissemination link adds one (what waits for the body; the bodies overdue).
    ("inbox", "gwent_staff"): REQUEST + FACTS + 3 + 1 + 1 + 1,
    ("inbox", "secretariat"): REQUEST + 3 + 1,
    # ... and for a lead two audience sizes (all bodies, APACE)
    ("inbox", "moj_lead"): REQUEST + 5 + 1 + 1 + 1,
    # page count, rows, their groups, pending wider requests
    ("apcc_queue", "secretariat"): REQUEST + 4,
    # page count, rows, their themes, the access log insert (priorities are labelled content)
    ("priorities", "gwent_staff"): REQUEST + FACTS + 4,
    # engagement, access log insert, its questions, priorities and their themes, groups,
    # documents, and the responses section: how many submitted responses they may read; for a
    # body addressed also which body, is it addressed, its own response, may they submit (a
    # delegation?); the lead adds recipients, wider requests and releases; then the panels
    # (engage/core/panels.py): the collective view (one query), the release requests (one; the
    # label in force for a body member's body is one more on an engagement that is not
    # TLP:RED: engage/releases/tests), the outcome (one), clarifications (published ones, the
    # requests the person reads counted; for a body, is it addressed) and, on a priorities
    # update, acknowledgements (for a body, is it addressed and its own; for the lead, how
    # many have and how many are addressed); dissemination requests (one: the body's own rows,
    # or the lead's requests with their counts).
    ("detail", "gwent_staff"): REQUEST + FACTS + 15 + 3 + 2 + 1,
    ("detail", "moj_lead"): REQUEST + 15 + 2 + 2 + 1,
}


def add_rows(*, scale: int, personas, policy, target, groups) -> None:
    """Add rows of every kind the pages show; `scale` times as many each call."""
    moj_lead = personas.moj_lead
    kent = Organisation.objects.get(slug="kent")
    gwent = PolicingBody.objects.get(organisation__slug="gwent")
    themes = list(PriorityTheme.objects.all()[:3])
    for index in range(4 * scale):
        n = next(counter)
        status = [Status.OPEN, Status.CLOSED, Status.AWAITING_APCC, Status.DRAFT][index % 4]
        engagement = EngagementFactory(
            policy=policy,
            status=status,
            route=Route.STANDING_GROUPS if status != Status.DRAFT else "",
            routed_groups=groups if status != Status.DRAFT else [],
            routed_at=timezone.now(),
            routed_by=moj_lead,
            kind=Kind.PRIORITIES,
        )
        QuestionFactory.create_batch(2, engagement=engagement)
        NationalPriorityFactory(engagement=engagement).themes.set(themes)
        if status in (Status.OPEN, Status.CLOSED):
            # Gwent's own response, in turn ready for the commissioner, submitted or a
            # draft, and its acknowledgement of every other one: what a body's inbox shows.
            Response.objects.create(
                engagement=engagement,  # type: ignore[misc]
                body=gwent,
                revision=1,
                submitted_version=n % 3 == 1,
                ready_at=timezone.now() if n % 3 == 0 else None,
                created_by=personas.gwent_staff,
                updated_by=personas.gwent_staff,
            )
            if n % 2:
                Acknowledgement.objects.create(
                    engagement=engagement,  # type: ignore[misc]
                    body=gwent,
                    acknowledged_by=personas.gwent_staff,
                )

        QuestionFactory(engagement=target, number=100 + n)
        NationalPriorityFactory(engagement=target).themes.set(themes)
        Document.objects.create(engagement=target, title=f"Annex {n}", created_by=moj_lead)
        LabelRelease.objects.create(
            engagement=target,
            from_label=Label.RED,
            to_label=Label.RED,
            reason="Test row",
            for_whom="Test row",
            released_by=moj_lead,
        )
        WiderRouteRequest.objects.create(
            engagement=target,
            request="Test row",
            requested_by=moj_lead,
            decision=Decision.DECLINED,
            decided_by=personas.secretariat,
            advice="Test row",
        )
        person = User.objects.create_user(email=f"kent-{n}@example.org")
        Membership.objects.create(user=person, organisation=kent, role=Role.OPCC_STAFF)
        target.recipients.add(person)
        WiderRouteRequest.objects.create(
            engagement=engagement,  # type: ignore[misc]
            request="Waiting",
            requested_by=moj_lead,
        )


@pytest.mark.parametrize(("page", "persona"), BUDGETS)
def test_query_count_is_pinned_and_constant_as_rows_grow(
    personas, client_for, policy, victims, django_assert_num_queries, page, persona
):
    groups = [victims, *StandingGroup.objects.exclude(pk=victims.pk)[:2]]
    target = EngagementFactory(
        policy=policy,
        kind=Kind.PRIORITIES,
        status=Status.OPEN,
        route=Route.STANDING_GROUPS,
        routed_groups=groups,
        label=Label.RED,
        recipients=[personas.gwent_staff],
        opened_at=timezone.now(),
        stage_at_opening="development",
    )
    url = reverse(f"engagements:{page}", args=[target.public_id] if page == "detail" else [])
    client = client_for(getattr(personas, persona))

    add_rows(scale=1, personas=personas, policy=policy, target=target, groups=groups)
    with django_assert_num_queries(BUDGETS[(page, persona)]):
        small = client.get(url)

    add_rows(scale=10, personas=personas, policy=policy, target=target, groups=groups)
    with django_assert_num_queries(BUDGETS[(page, persona)]):
        large = client.get(url)

    assert small.status_code == large.status_code == 200
    assert len(large.content) > len(small.content)
