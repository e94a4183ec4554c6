"""The list of responses, the response page (for the body and for a reader outside it) and the
delegations page each run a fixed number of queries, the same at ten times the rows."""

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from engage.accounts.models import Membership, Organisation, Role, User
from engage.directory.models import PolicingBody, StandingGroupMembership
from engage.engagements.models import Question, QuestionKind
from engage.responses.models import Answer, Response, ResponseVersion, SubmissionDelegation

pytestmark = pytest.mark.django_db

counter = itertools.count()

# Every request a persona makes costs 4 queries before the page's own: the session, the user,
# the memberships (behind the header's organisation switcher, the MFA check and every access
# decision: engage.accounts.viewer) and the authenticator. A member of a policing body adds one
# on pages that decide access: the bodies and standing groups of the person's facts.
REQUEST = 4
FACTS = 1
BUDGETS = {
    # engagement; the access log insert; its questions; page count; for the lead or the APCC
    # the bodies addressed; the page's rows (each latest version's lateness, submitter and
    # content as subqueries of the one query)
    ("list", "moj_lead"): REQUEST + 6,
    # ... and for a body member, who may read only some, no count of the bodies addressed
    ("list", "gwent_staff"): REQUEST + FACTS + 5,
    # the CSV export: engagement, its questions, the rows (one query, however many), the
    # access log insert
    ("export", "moj_lead"): REQUEST + 4,
    # response, access log insert, the versions with their submitters
    ("detail", "moj_lead"): REQUEST + 3,
    # ... and for the body the working copy: questions, answers, who saved it last, may they
    # submit (a delegation?)
    ("detail", "gwent_staff"): REQUEST + FACTS + 7,
    # the body acted for, commissioners, delegations, candidates (any? then the options)
    ("delegations", "gwent_commissioner"): (REQUEST + FACTS + 4),
    # ... and for a member who may not manage, no form
    ("delegations", "gwent_staff"): REQUEST + FACTS + 2,
}


def content(numbers) -> dict:
    return {
        "answers": [
            {
                "number": number,
                "question": f"Question {number}",
                "kind": QuestionKind.STANCE if number == 2 else QuestionKind.FREE_TEXT,
                "stance": "oppose" if number == 2 else "",
                "text": "Our view.",
            }
            for number in numbers
        ],
        "challenges": "Rural areas.",
        "opportunities": "",
        "local_variations": "",
    }


def add_rows(*, scale: int, personas, engagement, own: Response, group) -> None:
    """Add rows of every kind the pages show; `scale` times as many each call."""
    lead = personas.moj_lead
    gwent = Organisation.objects.get(slug="gwent")
    taken = set(engagement.responses.values_list("body", flat=True))
    bodies = list(
        PolicingBody.objects.exclude(pk__in=taken)
        .exclude(group_memberships__group=group)
        .order_by("pk")[: 3 * scale]
    )
    for index, body in enumerate(bodies):
        StandingGroupMembership.objects.create(group=group, body=body)
        response = Response.objects.create(
            engagement=engagement,
            body=body,
            created_by=lead,
            updated_by=lead,
            submitted_version=2,
            submitted_at=timezone.now(),
        )
        for number in (1, 2):
            ResponseVersion.objects.create(
                response=response,
                number=number,
                content=content((1, 2)),
                submitted_by=lead,
                late=bool(index % 2),
            )
    for _ in range(3 * scale):
        n = next(counter)
        question = Question.objects.create(
            engagement=engagement, number=100 + n, text=f"Question {100 + n}"
        )
        Answer.objects.create(response=own, question=question, text=f"Answer {n}")
        own.submitted_version += 1
        ResponseVersion.objects.create(
            response=own,
            number=own.submitted_version,
            content=content((1, 2, 100 + n)),
            submitted_by=personas.gwent_commissioner,
        )
        person = User.objects.create_user(email=f"gwent-{n}@example.org", full_name=f"P {n}")
        Membership.objects.create(user=person, organisation=gwent, role=Role.OPCC_STAFF)
        if n % 2:
            SubmissionDelegation.objects.create(
                body=own.body, delegate=person, granted_by=personas.gwent_commissioner
            )
    own.save(update_fields=["submitted_version"])


@pytest.mark.parametrize(("page", "persona"), BUDGETS)
def test_query_count_is_pinned_and_constant_as_rows_grow(
    personas,
    client_for,
    consultation,
    gwent_submitted,
    victims,
    django_assert_num_queries,
    page,
    persona,
):
    url = {
        "list": reverse("responses:engagement_responses", args=[consultation.public_id]),
        "detail": reverse("responses:detail", args=[gwent_submitted.public_id]),
        "delegations": reverse("responses:delegations"),
        "export": reverse("responses:engagement_responses_export", args=[consultation.public_id]),
    }[page]
    client = client_for(getattr(personas, persona))

    add_rows(
        scale=1, personas=personas, engagement=consultation, own=gwent_submitted, group=victims
    )
    with django_assert_num_queries(BUDGETS[(page, persona)]):
        small = client.get(url)

    add_rows(
        scale=10, personas=personas, engagement=consultation, own=gwent_submitted, group=victims
    )
    with django_assert_num_queries(BUDGETS[(page, persona)]):
        large = client.get(url)

    assert small.status_code == large.status_code == 200
    assert len(large.content) > len(small.content)
