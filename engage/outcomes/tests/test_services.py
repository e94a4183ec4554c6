"""Every rule of the outcome services: who records it, when, what a draft, a publication and
a correction need, the revision check, the history, and who reads it at each step."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from engage.audit.models import AccessLog
from engage.conftest import EVERYONE
from engage.core.labels import Label
from engage.engagements import services as engagement_services
from engage.engagements.services import PolicyRefused
from engage.engagements.tests.conftest import engagement_fields
from engage.outcomes import services
from engage.outcomes.demo import outcome_demo
from engage.outcomes.models import Outcome, OutcomePoint, OutcomeStatus
from engage.policies import services as policy_services
from engage.responses.tests.fixtures import consultation, open_consultation

from .fixtures import CHANGED, HEARD, NOT_CHANGED, POINT, READERS, draft_outcome

pytestmark = pytest.mark.django_db


def readers(personas, outcome: Outcome) -> set[str]:
    """Who reads `outcome`, by `visible_to` and by `readable_on` (which must agree)."""
    found = set()
    for name in EVERYONE:
        user = getattr(personas, name)
        listed = Outcome.objects.visible_to(user).filter(pk=outcome.pk).exists()
        engagement = (
            type(outcome.engagement)
            .objects.with_content_readable(user)
            .get(pk=outcome.engagement_id)
        )
        on = Outcome.objects.readable_on(engagement, user).filter(pk=outcome.pk).exists()
        assert listed == on, name
        if listed:
            found.add(name)
    return found


# Recording -------------------------------------------------------------------------------


def test_the_lead_records_a_draft_only_their_organisation_reads(personas, closed):
    outcome = draft_outcome(closed, personas.moj_lead)
    assert (outcome.heard, outcome.changed, outcome.not_changed) == (HEARD, CHANGED, NOT_CHANGED)
    assert outcome.status == OutcomeStatus.DRAFT
    assert outcome.revision == 1
    assert (outcome.created_by, outcome.updated_by) == (personas.moj_lead, personas.moj_lead)
    assert [(p.question.number, p.text) for p in outcome.points.all()] == [(1, POINT)]
    assert outcome.history.get().history_user == personas.moj_lead
    assert readers(personas, outcome) == {"moj_lead"}


def test_an_open_engagement_can_have_its_outcome_recorded(personas, policy, victims):
    engagement = open_consultation(personas, policy, [victims])
    assert draft_outcome(engagement, personas.moj_lead).engagement == engagement


@pytest.mark.parametrize("step", ["draft", "awaiting"])
def test_not_before_the_engagement_reaches_its_audience(personas, policy, victims, step):
    engagement = engagement_services.engagement_create(
        policy=policy,
        by=personas.moj_lead,
        **engagement_fields(asks_response=False, response_deadline=None),
    )
    if step == "awaiting":
        engagement = engagement_services.engagement_route(
            engagement=engagement, by=personas.moj_lead, route="groups", groups=[victims]
        )
    with pytest.raises(ValidationError, match="once the engagement has reached its audience"):
        draft_outcome(engagement, personas.moj_lead)
    assert not Outcome.objects.exists()


@pytest.mark.parametrize(
    "name", ["secretariat", "gwent_commissioner", "kent_commissioner", "ho_lead", "admin"]
)
def test_only_the_lead_records_it(personas, closed, name):
    with pytest.raises(PermissionDenied):
        draft_outcome(closed, getattr(personas, name))
    assert not Outcome.objects.exists()


def test_nothing_written_is_refused(personas, closed):
    with pytest.raises(ValidationError, match="Write what you heard"):
        draft_outcome(closed, personas.moj_lead, heard=" ", changed="", not_changed="", points={})
    assert not Outcome.objects.exists()


def test_a_draft_may_be_partial(personas, closed):
    outcome = draft_outcome(closed, personas.moj_lead, changed="", not_changed="", points={})
    assert (outcome.heard, outcome.changed) == (HEARD, "")


def test_too_long_and_unknown_questions_are_refused(personas, closed):
    with pytest.raises(ValidationError) as caught:
        draft_outcome(closed, personas.moj_lead, heard="x" * (services.MAX_TEXT + 1))
    assert "heard" in caught.value.message_dict
    with pytest.raises(ValidationError, match="no question 9"):
        draft_outcome(closed, personas.moj_lead, points={9: "A note"})
    assert not Outcome.objects.exists()


def test_a_save_from_an_older_revision_is_refused(personas, draft):
    services.outcome_save(
        engagement=draft.engagement, by=personas.moj_lead, revision=1, heard="Second thoughts"
    )
    with pytest.raises(ValidationError, match="Someone else saved this outcome"):
        services.outcome_save(
            engagement=draft.engagement, by=personas.moj_lead, revision=1, heard="Lost update"
        )
    draft.refresh_from_db()
    assert (draft.heard, draft.revision) == ("Second thoughts", 2)


def test_two_starts_make_one_outcome(personas, draft):
    with pytest.raises(ValidationError, match="Someone else saved this outcome"):
        draft_outcome(draft.engagement, personas.moj_lead)  # also from revision 0
    assert Outcome.objects.count() == 1


@pytest.mark.parametrize("revision", [None, "", "x", "-1", "99999999999999999999"])
def test_a_malformed_revision_is_a_conflict(personas, draft, revision):
    with pytest.raises(ValidationError, match="Someone else saved"):
        services.outcome_save(
            engagement=draft.engagement, by=personas.moj_lead, revision=revision, heard="No"
        )


def test_saving_nothing_new_changes_nothing(personas, draft):
    again = services.outcome_save(
        engagement=draft.engagement,
        by=personas.moj_lead,
        revision=1,
        heard=HEARD,
        changed=CHANGED,
        not_changed=NOT_CHANGED,
        points={1: POINT, 2: ""},
    )
    assert again.revision == 1
    assert draft.history.count() == 1


def test_notes_per_question_change_and_go(personas, draft):
    engagement = draft.engagement
    kwargs = {"heard": HEARD, "changed": CHANGED, "not_changed": NOT_CHANGED}
    outcome = services.outcome_save(
        engagement=engagement,
        by=personas.moj_lead,
        revision=1,
        points={1: "Changed note", 2: "New note"},
        **kwargs,
    )
    assert outcome.revision == 2
    assert dict(outcome.points.values_list("question__number", "text")) == {
        1: "Changed note",
        2: "New note",
    }
    outcome = services.outcome_save(
        engagement=engagement,
        by=personas.moj_lead,
        revision=2,
        points={1: "", 2: "New note"},
        **kwargs,
    )
    assert outcome.revision == 3
    assert list(outcome.points.values_list("question__number", flat=True)) == [2]
    assert OutcomePoint.history.filter(history_type="-").get().history_user == personas.moj_lead


# Publishing ------------------------------------------------------------------------------


def test_publishing_shows_it_to_everyone_who_reads_the_engagement(personas, draft):
    published = services.outcome_publish(outcome=draft, by=personas.moj_lead, revision=1)
    assert published.status == OutcomeStatus.PUBLISHED
    assert published.published_by == personas.moj_lead
    assert published.published_at is not None
    assert published.history.latest().history_change_reason == "Published"
    assert readers(personas, published) == READERS


def test_publishing_needs_what_was_heard_and_what_changed(personas, closed):
    outcome = draft_outcome(closed, personas.moj_lead, changed="", points={})
    with pytest.raises(ValidationError) as caught:
        services.outcome_publish(outcome=outcome, by=personas.moj_lead, revision=1)
    assert set(caught.value.message_dict) == {"changed"}
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.DRAFT


def test_publishing_twice_or_from_an_older_revision_is_refused(personas, draft):
    services.outcome_save(
        engagement=draft.engagement, by=personas.moj_lead, revision=1, heard=HEARD, changed="New"
    )
    with pytest.raises(ValidationError, match="Someone else saved"):
        services.outcome_publish(outcome=draft, by=personas.moj_lead, revision=1)
    draft.refresh_from_db()
    assert draft.status == OutcomeStatus.DRAFT
    services.outcome_publish(outcome=draft, by=personas.moj_lead, revision=2)
    with pytest.raises(ValidationError, match="already published"):
        services.outcome_publish(outcome=draft, by=personas.moj_lead, revision=2)


@pytest.mark.parametrize("name", ["secretariat", "gwent_commissioner", "ho_lead"])
def test_only_the_lead_publishes(personas, draft, name):
    with pytest.raises(PermissionDenied):
        services.outcome_publish(outcome=draft, by=getattr(personas, name), revision=1)
    draft.refresh_from_db()
    assert draft.status == OutcomeStatus.DRAFT


# Correcting ------------------------------------------------------------------------------


def test_a_correction_says_why_and_is_kept(personas, published):
    engagement = published.engagement
    lead = personas.moj_lead
    with pytest.raises(ValidationError) as caught:
        services.outcome_save(
            engagement=engagement, by=lead, revision=published.revision, heard="", changed=""
        )
    assert set(caught.value.message_dict) == {"heard", "changed", "reason"}
    with pytest.raises(ValidationError) as caught:
        services.outcome_save(
            engagement=engagement,
            by=lead,
            revision=published.revision,
            heard=HEARD,
            changed="Corrected",
            reason="x" * (services.REASON_MAX + 1),
        )
    assert set(caught.value.message_dict) == {"reason"}
    published.refresh_from_db()
    assert published.changed == CHANGED
    assert published.corrected_at is None

    corrected = services.outcome_save(
        engagement=engagement,
        by=lead,
        revision=published.revision,
        heard=HEARD,
        changed="Corrected: settlements run for three years from April",
        reason="The start date was missing",
    )
    assert corrected.status == OutcomeStatus.PUBLISHED
    assert corrected.corrected_at is not None
    assert corrected.published_at is not None
    assert corrected.published_at < corrected.corrected_at
    reasons = list(
        corrected.history.order_by("history_date").values_list("history_change_reason", "changed")
    )
    assert reasons == [
        (None, CHANGED),
        ("Published", CHANGED),
        ("The start date was missing", "Corrected: settlements run for three years from April"),
    ]
    # The audience reads the latest.
    kent = personas.kent_commissioner
    assert Outcome.objects.visible_to(kent).get().changed.startswith("Corrected")


# The engagement's own reach --------------------------------------------------------------


def test_under_tlp_red_only_those_who_read_the_engagement_read_the_outcome(
    personas, policy, victims
):
    red = consultation(
        personas, policy, groups=[victims], label=Label.RED, recipients=[personas.gwent_staff]
    )
    outcome = draft_outcome(red, personas.moj_lead)
    assert readers(personas, outcome) == {"moj_lead"}
    services.outcome_publish(outcome=outcome, by=personas.moj_lead, revision=1)
    assert readers(personas, outcome) == {"moj_lead", "gwent_staff"}


def test_nothing_is_recorded_on_a_screened_out_policy(personas, draft, policy):
    policy_services.policy_screen(
        policy=policy,
        sensitive_information=False,
        prosecutorial_independence=False,
        judicial_independence=False,
        national_security=True,
        by=personas.moj_lead,
    )
    with pytest.raises(PolicyRefused):
        services.outcome_save(
            engagement=draft.engagement, by=personas.moj_lead, revision=1, heard="After"
        )
    with pytest.raises(PolicyRefused):
        services.outcome_publish(outcome=draft, by=personas.moj_lead, revision=1)
    draft.refresh_from_db()
    assert (draft.heard, draft.status) == (HEARD, OutcomeStatus.DRAFT)
    assert AccessLog.objects.filter(
        action="refused", detail__startswith="record an outcome"
    ).exists()
    assert readers(personas, draft) == {"moj_lead"}


# Demo ------------------------------------------------------------------------------------


def test_the_demo_publishes_an_outcome_once(personas, closed):
    outcome = outcome_demo(closed, personas.moj_lead)
    assert outcome.is_published
    assert outcome.points.count() == 1
    assert outcome_demo(closed, personas.moj_lead).pk == outcome.pk
    assert Outcome.objects.count() == 1
