"""Every rule of the clarification services: who asks (the body acted for, addressed, reading
the engagement), when (open, not screened out), about what (a document of the engagement they
read), who answers and publishes, and what each refusal leaves (nothing changed)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from engage.accounts.models import Membership
from engage.audit.models import AccessAction, AccessLog
from engage.clarifications import services
from engage.clarifications.models import ClarificationRequest
from engage.core.labels import Label
from engage.documents.models import Document
from engage.engagements import services as engagement_services
from engage.engagements.models import Status
from engage.engagements.services.refusals import PolicyRefused
from engage.engagements.tests.conftest import open_engagement
from engage.policies.models import Policy, TriageOutcome

from .conftest import ANSWER, QUESTION, ask, membership_of

pytestmark = pytest.mark.django_db


# Asking -------------------------------------------------------------------------------------


def test_a_member_of_an_addressed_body_asks_for_the_body_acted_for(personas, consultation):
    clarification = ask(consultation, personas.gwent_staff)
    assert clarification.body.organisation.slug == "gwent"
    assert clarification.asked_by == personas.gwent_staff
    assert clarification.question == QUESTION
    assert not clarification.is_answered
    assert clarification.history.count() == 1


@pytest.mark.parametrize("persona", ["dorset_commissioner", "moj_lead", "secretariat"])
def test_a_body_not_addressed_or_no_body_at_all_is_refused(personas, consultation, persona):
    with pytest.raises(ValidationError) as refused:
        ask(consultation, getattr(personas, persona))
    assert "addressed to" in " ".join(refused.value.messages)
    assert not ClarificationRequest.objects.exists()


def test_no_membership_is_refused(personas, consultation):
    with pytest.raises(ValidationError):
        services.clarification_ask(
            engagement=consultation, membership=None, by=personas.gwent_staff, question=QUESTION
        )
    assert not ClarificationRequest.objects.exists()


def test_someone_elses_membership_does_not_act_for_its_body(personas, consultation):
    """The body is the asker's own current membership's: another person's is refused."""
    with pytest.raises(PermissionDenied):
        services.clarification_ask(
            engagement=consultation,
            membership=membership_of(personas.kent_commissioner),
            by=personas.gwent_staff,
            question=QUESTION,
        )
    assert not ClarificationRequest.objects.exists()


def test_an_ended_membership_no_longer_acts_for_the_body(personas, consultation):
    membership = membership_of(personas.gwent_staff)
    Membership.objects.filter(pk=membership.pk).update(ended_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.clarification_ask(
            engagement=consultation, membership=membership, by=personas.gwent_staff, question="Q?"
        )


def test_a_closed_engagement_takes_no_question(personas, consultation):
    engagement_services.engagement_close(engagement=consultation, by=personas.moj_lead)
    with pytest.raises(ValidationError) as refused:
        ask(consultation, personas.gwent_staff)
    assert "only while the engagement is open. It is closed" in refused.value.messages[0]
    assert not ClarificationRequest.objects.exists()


def test_a_draft_takes_no_question(personas, draft):
    with pytest.raises(ValidationError):
        ask(draft, personas.gwent_staff)
    assert not ClarificationRequest.objects.exists()


def test_a_screened_out_policy_takes_no_question_and_the_attempt_is_recorded(
    personas, consultation
):
    Policy.objects.filter(pk=consultation.policy_id).update(
        triage_outcome=TriageOutcome.SCREENED_OUT
    )
    with pytest.raises(PolicyRefused):
        ask(consultation, personas.gwent_staff)
    assert not ClarificationRequest.objects.exists()
    entry = AccessLog.objects.get(action=AccessAction.REFUSED, object_type="policy")
    assert entry.confidential_to == consultation.owner


def test_under_tlp_red_only_named_members_of_the_body_ask(personas, policy, victims):
    red = open_engagement(
        personas,
        policy,
        groups=[victims],
        label=Label.RED,
        recipients=[personas.gwent_staff],
    )
    ask(red, personas.gwent_staff)
    with pytest.raises(ValidationError):
        ask(red, personas.kent_commissioner)  # Kent is addressed but not named
    assert ClarificationRequest.objects.count() == 1


def test_a_question_about_a_document_of_the_engagement(personas, consultation):
    annex = Document.objects.create(
        engagement=consultation, title="Annex A", created_by=personas.moj_lead
    )
    clarification = ask(consultation, personas.gwent_staff, document=annex)
    assert clarification.document == annex


def test_a_document_of_another_engagement_or_one_not_read_is_refused(
    personas, policy, victims, consultation
):
    other = open_engagement(personas, policy, groups=[victims], title="Another")
    elsewhere = Document.objects.create(
        engagement=other, title="Elsewhere", created_by=personas.moj_lead
    )
    secret = Document.objects.create(
        engagement=consultation, title="Named only", label=Label.RED, created_by=personas.moj_lead
    )
    for document in (elsewhere, secret):
        with pytest.raises(ValidationError) as refused:
            ask(consultation, personas.gwent_staff, document=document)
        assert "document" in refused.value.message_dict
    assert not ClarificationRequest.objects.exists()


@pytest.mark.parametrize("question", ["", "   ", "x" * (services.MAX_TEXT + 1)])
def test_an_empty_or_overlong_question_is_refused(personas, consultation, question):
    with pytest.raises(ValidationError) as refused:
        ask(consultation, personas.gwent_staff, question=question)
    assert "question" in refused.value.message_dict
    assert not ClarificationRequest.objects.exists()


# Answering ---------------------------------------------------------------------------------


def test_any_member_of_the_owning_organisation_answers(personas, asked):
    answered = services.clarification_answer(
        clarification=asked, by=personas.moj_lead, answer=ANSWER
    )
    assert answered.answer == ANSWER
    assert answered.answered_by == personas.moj_lead
    assert answered.is_answered


def test_the_answer_can_change_until_published_and_history_keeps_each(personas, answered):
    first_answered_at = answered.answered_at
    services.clarification_answer(clarification=answered, by=personas.moj_lead, answer="Better.")
    answered.refresh_from_db()
    assert answered.answer == "Better."
    assert answered.answered_at == first_answered_at  # the age counts from the first answer
    assert [h.answer for h in answered.history.order_by("history_date")] == [
        "",
        ANSWER,
        "Better.",
    ]


def test_an_unchanged_answer_saves_nothing(personas, answered):
    before = answered.history.count()
    services.clarification_answer(clarification=answered, by=personas.moj_lead, answer=ANSWER)
    assert answered.history.count() == before


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("gwent_staff", PermissionDenied),  # the body asks; it does not answer
        ("secretariat", PermissionDenied),
        ("ho_lead", PermissionDenied),  # another department
    ],
)
def test_only_the_owning_organisation_answers(personas, asked, persona, error):
    with pytest.raises(error):
        services.clarification_answer(
            clarification=asked, by=getattr(personas, persona), answer=ANSWER
        )
    asked.refresh_from_db()
    assert not asked.is_answered


def test_an_empty_answer_is_refused(personas, asked):
    with pytest.raises(ValidationError) as refused:
        services.clarification_answer(clarification=asked, by=personas.moj_lead, answer=" ")
    assert "answer" in refused.value.message_dict


def test_a_closed_engagement_can_still_be_answered(personas, asked):
    engagement_services.engagement_close(engagement=asked.engagement, by=personas.moj_lead)
    answered = services.clarification_answer(
        clarification=asked, by=personas.moj_lead, answer=ANSWER
    )
    assert answered.is_answered


def test_nothing_is_answered_once_the_policy_is_screened_out(personas, asked):
    Policy.objects.filter(pk=asked.engagement.policy_id).update(
        triage_outcome=TriageOutcome.SCREENED_OUT
    )
    with pytest.raises(PolicyRefused):
        services.clarification_answer(clarification=asked, by=personas.moj_lead, answer=ANSWER)
    asked.refresh_from_db()
    assert not asked.is_answered


# Publishing --------------------------------------------------------------------------------


def test_publishing_needs_an_answer(personas, asked):
    with pytest.raises(ValidationError) as refused:
        services.clarification_publish(
            clarification=asked, by=personas.moj_lead, question="Q", answer="A"
        )
    assert "Answer the question before publishing" in refused.value.messages[0]
    asked.refresh_from_db()
    assert not asked.is_published


def test_publishing_keeps_the_edited_texts_and_the_original(personas, published):
    assert published.is_published
    assert published.published_question == "Does the code cover children's services?"
    assert published.question == QUESTION  # the original stays for the parties
    assert published.published_by == personas.moj_lead


def test_publishing_twice_or_answering_after_is_refused(personas, published):
    with pytest.raises(ValidationError):
        services.clarification_publish(
            clarification=published, by=personas.moj_lead, question="Q", answer="A"
        )
    with pytest.raises(ValidationError):
        services.clarification_answer(clarification=published, by=personas.moj_lead, answer="B")
    published.refresh_from_db()
    assert published.published_question == "Does the code cover children's services?"
    assert published.answer == ANSWER


def test_publishing_needs_both_texts(personas, answered):
    with pytest.raises(ValidationError) as refused:
        services.clarification_publish(
            clarification=answered, by=personas.moj_lead, question="", answer=""
        )
    assert set(refused.value.message_dict) == {"question", "answer"}


@pytest.mark.parametrize("persona", ["gwent_commissioner", "secretariat"])
def test_only_the_owning_organisation_publishes(personas, answered, persona):
    with pytest.raises(PermissionDenied):
        services.clarification_publish(
            clarification=answered, by=getattr(personas, persona), question="Q", answer="A"
        )


# Who reads what ----------------------------------------------------------------------------


def test_a_request_is_read_by_the_body_the_owner_and_the_apcc(personas, asked):
    readers = {
        name
        for name in (
            "moj_lead",
            "ho_lead",
            "secretariat",
            "gwent_commissioner",
            "gwent_staff",
            "kent_commissioner",
            "dorset_commissioner",
            "surrey_ceo",
            "vcs_member",
            "admin",
            "outsider",
        )
        if ClarificationRequest.objects.visible_to(getattr(personas, name)).exists()
    }
    assert readers == {"moj_lead", "secretariat", "gwent_commissioner", "gwent_staff"}


def test_a_published_answer_is_read_by_everyone_who_reads_the_engagement(personas, published):
    assert ClarificationRequest.objects.published_to(personas.kent_commissioner).exists()
    assert not ClarificationRequest.objects.visible_to(personas.kent_commissioner).exists()
    for name in ("dorset_commissioner", "vcs_member", "outsider", "admin", "ho_lead"):
        assert not ClarificationRequest.objects.published_to(getattr(personas, name)).exists()


def test_the_age_counts_days_waiting_or_days_to_answer(personas, asked):
    asked_on = timezone.localdate(asked.asked_at)
    assert asked.age_days(today=asked_on + datetime.timedelta(days=3)) == 3
    asked.answered_at = asked.asked_at + datetime.timedelta(days=2)
    assert asked.age_days(today=asked_on + datetime.timedelta(days=9)) == 2


def test_an_engagement_it_was_asked_on_stays_open(personas, asked):
    asked.engagement.refresh_from_db()
    assert asked.engagement.status == Status.OPEN


def test_the_demo_asks_answers_and_publishes(personas, consultation):
    from engage.clarifications.demo import clarification_demo

    made = clarification_demo(consultation, personas.kent_commissioner, personas.moj_lead)
    assert made.is_published
    assert made.body.organisation.slug == "kent"
