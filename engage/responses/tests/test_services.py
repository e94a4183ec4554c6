"""Every rule the response services keep (DESIGN.md sections 2 and 6): who starts, drafts
and submits a body's response, in which state, with what input; versions frozen; the
commissioner's delegations. Each refusal is shown to change nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from engage.accounts.models import Membership, Role, User
from engage.core.labels import Label
from engage.engagements import services as engagement_services
from engage.engagements.models import Kind
from engage.engagements.tests.conftest import engagement_fields
from engage.responses import services
from engage.responses.models import Answer, Response, ResponseVersion, SubmissionDelegation
from engage.responses.services import AnswerInput

from .fixtures import (
    COMPLETE,
    SUBMITTED_TEXT,
    body,
    consultation,
    membership_of,
    save,
    start,
    submit,
)

# Fixtures, registered by name (see fixtures.py).
from .fixtures import opened_fixture as opened_fixture
from .fixtures import policy_fixture as policy_fixture
from .fixtures import victims_fixture as victims_fixture

pytestmark = pytest.mark.django_db

OTHERS = [
    "kent_commissioner",
    "dorset_commissioner",
    "moj_lead",
    "ho_lead",
    "secretariat",
    "surrey_ceo",
    "vcs_member",
    "admin",
    "outsider",
]


def working_copy(response: Response) -> tuple:
    """What a refusal must leave alone: the row and its answers, as stored."""
    response = Response.objects.get(pk=response.pk)
    answers = sorted(response.answers.values_list("question__number", "text", "stance"))
    return (
        response.revision,
        response.submitted_version,
        response.changed_since_submission,
        response.challenges,
        response.opportunities,
        response.local_variations,
        tuple(answers),
    )


def errors_of(exc) -> dict[str, list[str]]:
    return exc.value.message_dict


def delegate(personas) -> SubmissionDelegation:
    return services.delegation_grant(
        body=body("gwent"), delegate=personas.gwent_staff, by=personas.gwent_commissioner
    )


# Starting ---------------------------------------------------------------------------------


def test_a_member_starts_the_bodys_response_once(personas, opened):
    response = start(opened, personas.gwent_staff)

    assert response.body == body("gwent")
    assert response.created_by == personas.gwent_staff
    assert response.revision == 0
    assert not response.is_submitted
    assert response.history.get().history_user == personas.gwent_staff
    # Starting again, by anyone in the body, finds the same response.
    assert start(opened, personas.gwent_commissioner) == response
    assert start(opened, personas.gwent_staff) == response
    assert Response.objects.count() == 1
    assert start(opened, personas.kent_commissioner).body == body("kent")
    assert Response.objects.count() == 2


def test_a_body_not_addressed_cannot_start(personas, opened):
    with pytest.raises(
        ValidationError, match="not addressed to Police and Crime Commissioner for Dorset"
    ):
        start(opened, personas.dorset_commissioner)
    with pytest.raises(ValidationError, match="not addressed"):
        start(opened, personas.surrey_ceo)
    assert not Response.objects.exists()


@pytest.mark.parametrize("persona", ["moj_lead", "secretariat", "vcs_member", "outsider"])
def test_only_a_policing_body_responds(personas, opened, persona):
    with pytest.raises(ValidationError, match="Only a policing body"):
        start(opened, getattr(personas, persona))
    assert not Response.objects.exists()


def test_an_engagement_not_yet_open_takes_no_response(personas, policy, victims):
    engagement = engagement_services.engagement_create(
        policy=policy, by=personas.moj_lead, **engagement_fields()
    )
    with pytest.raises(ValidationError, match="not addressed"):
        start(engagement, personas.gwent_commissioner)  # a draft: Gwent cannot see it
    engagement_services.engagement_route(
        engagement=engagement, by=personas.moj_lead, route="groups", groups=[victims]
    )
    with pytest.raises(ValidationError, match="not addressed"):
        start(engagement, personas.gwent_commissioner)  # awaiting the APCC
    assert not Response.objects.exists()


def test_a_closed_engagement_takes_no_new_response(personas, opened):
    engagement_services.engagement_close(engagement=opened, by=personas.moj_lead)
    with pytest.raises(ValidationError, match="while the engagement is open. It is closed"):
        start(opened, personas.gwent_commissioner)
    assert not Response.objects.exists()


def test_an_engagement_asking_no_response_takes_none(personas, policy, victims):
    update = consultation(
        personas,
        policy,
        groups=[victims],
        kind=Kind.IMPLEMENTATION,
        asks_response=False,
        response_deadline=None,
        asks_implementation_support=True,
    )
    with pytest.raises(ValidationError, match="does not ask for a response"):
        start(update, personas.gwent_commissioner)
    assert not Response.objects.exists()


def test_a_membership_acts_only_for_its_own_person(personas, opened):
    commissioners = membership_of(personas.gwent_commissioner)
    with pytest.raises(PermissionDenied):
        services.response_start(
            engagement=opened, membership=commissioners, by=personas.gwent_staff
        )
    staffs = membership_of(personas.gwent_staff)
    Membership.objects.filter(pk=staffs.pk).update(ended_at=timezone.now())
    with pytest.raises(PermissionDenied):  # ended since it was loaded
        services.response_start(engagement=opened, membership=staffs, by=personas.gwent_staff)
    assert not Response.objects.exists()


# Drafting ---------------------------------------------------------------------------------


def test_any_member_of_the_body_drafts_and_history_keeps_who(personas, opened):
    response = start(opened, personas.gwent_commissioner)
    save(
        response,
        personas.gwent_staff,
        answers={1: AnswerInput(text="  More advocates in Newport.  ")},
        challenges="Rural travel times.",
    )
    assert response.revision == 1
    assert response.updated_by == personas.gwent_staff
    assert response.challenges == "Rural travel times."
    assert response.changed_since_submission

    save(response, personas.gwent_commissioner, opportunities="Joint commissioning with Wales.")
    response.refresh_from_db()
    assert response.revision == 2
    assert response.updated_by == personas.gwent_commissioner
    assert response.challenges == ""  # the whole working copy is saved each time
    assert response.opportunities == "Joint commissioning with Wales."
    answers = {a.question.number: (a.text, a.stance) for a in response.answers.all()}
    assert answers == {
        1: (SUBMITTED_TEXT, ""),
        2: ("With a break clause.", "support_with_changes"),
    }
    users = [record.history_user for record in response.history.order_by("history_date")]
    assert users == [personas.gwent_commissioner, personas.gwent_staff, personas.gwent_commissioner]
    assert Answer.history.filter(history_user=personas.gwent_staff).exists()


@pytest.mark.parametrize("persona", OTHERS)
def test_nobody_outside_the_body_drafts_its_response(personas, opened, persona):
    response = save(start(opened, personas.gwent_staff), personas.gwent_staff)
    before = working_copy(response)
    with pytest.raises(PermissionDenied):
        save(response, getattr(personas, persona), challenges="Not ours to say.")
    assert working_copy(response) == before


def test_a_superuser_gets_no_way_round_the_rules(personas, opened):
    response = start(opened, personas.gwent_staff)
    personas.admin.is_superuser = True
    personas.admin.save(update_fields=["is_superuser"])
    with pytest.raises(PermissionDenied):
        save(response, personas.admin)
    with pytest.raises(PermissionDenied):
        submit(response, personas.admin)
    with pytest.raises(PermissionDenied):
        services.delegation_grant(
            body=body("gwent"), delegate=personas.gwent_staff, by=personas.admin
        )


def test_a_save_from_an_older_revision_is_refused_and_changes_nothing(personas, opened):
    response = start(opened, personas.gwent_staff)
    stale = Response.objects.get(pk=response.pk)  # the staff member's form, at revision 0
    save(response, personas.gwent_commissioner, challenges="The commissioner's words.")
    before = working_copy(response)

    with pytest.raises(ValidationError, match="Someone else saved this response") as exc:
        save(stale, personas.gwent_staff, challenges="The staff member's words.")
    assert exc.value.code == "conflict"
    with pytest.raises(ValidationError, match="Someone else saved"):
        services.response_save_draft(
            response=response, by=personas.gwent_staff, revision=None, answers={}
        )
    assert working_copy(response) == before
    assert Response.objects.get(pk=response.pk).challenges == "The commissioner's words."


def test_an_unreadable_revision_is_a_conflict_not_an_error(personas, opened):
    response = start(opened, personas.gwent_staff)
    with pytest.raises(ValidationError) as exc:
        services.response_save_draft(
            response=response, by=personas.gwent_staff, revision="seven", answers={}
        )
    assert exc.value.code == "conflict"


def test_a_stance_must_be_one_of_the_list(personas, opened):
    response = start(opened, personas.gwent_staff)
    before = working_copy(response)
    with pytest.raises(ValidationError) as exc:
        save(
            response,
            personas.gwent_staff,
            answers={1: AnswerInput(text="Saved?"), 2: AnswerInput(stance="maybe")},
        )
    assert errors_of(exc) == {"stance_2": ["Choose a stance from the list"]}
    assert working_copy(response) == before  # the valid answer was not saved either

    # A stance on a free-text question means nothing and is not kept.
    save(response, personas.gwent_staff, answers={1: AnswerInput(text="Yes", stance="oppose")})
    assert response.answers.get().stance == ""


def test_an_answer_to_a_question_the_engagement_does_not_ask_is_refused(personas, opened):
    response = start(opened, personas.gwent_staff)
    before = working_copy(response)
    with pytest.raises(ValidationError, match="There is no question 3, 9 on this engagement"):
        save(
            response,
            personas.gwent_staff,
            answers={**COMPLETE, 9: AnswerInput("x"), 3: AnswerInput("y")},
        )
    assert working_copy(response) == before


def test_every_text_is_kept_to_the_limit(personas, opened):
    response = start(opened, personas.gwent_staff)
    before = working_copy(response)
    too_long = "x" * (services.MAX_TEXT + 1)
    with pytest.raises(ValidationError) as exc:
        save(
            response,
            personas.gwent_staff,
            answers={1: AnswerInput(text=too_long), 2: AnswerInput(stance="oppose", text=too_long)},
            local_variations=too_long,
        )
    assert set(errors_of(exc)) == {"answer_1", "answer_2", "local_variations"}
    assert errors_of(exc)["answer_1"] == ["Keep this to 10,000 characters or fewer"]
    assert working_copy(response) == before

    at_limit = "y" * services.MAX_TEXT
    save(response, personas.gwent_staff, answers={1: AnswerInput(text=f"  {at_limit}\n")})
    assert response.answers.get().text == at_limit  # surrounding spaces do not count


def test_saving_nothing_new_keeps_the_revision(personas, opened):
    response = save(start(opened, personas.gwent_staff), personas.gwent_staff, challenges="Cost")
    records = response.history.count()
    save(response, personas.gwent_commissioner, challenges="  Cost  ")
    response.refresh_from_db()
    assert response.revision == 1
    assert response.updated_by == personas.gwent_staff
    assert response.history.count() == records


# Submitting -------------------------------------------------------------------------------


def test_the_commissioner_submits_a_frozen_version(personas, opened):
    response = save(
        start(opened, personas.gwent_staff), personas.gwent_staff, challenges="Rural areas."
    )
    version = submit(response, personas.gwent_commissioner)

    assert version.number == 1
    assert version.submitted_by == personas.gwent_commissioner
    assert not version.late
    assert version.content == {
        "answers": [
            {
                "number": 1,
                "question": "What would the new code change in what you commission locally?",
                "kind": "free_text",
                "stance": "",
                "text": SUBMITTED_TEXT,
            },
            {
                "number": 2,
                "question": "Do you support three-year grant settlements?",
                "kind": "stance",
                "stance": "support_with_changes",
                "text": "With a break clause.",
            },
        ],
        "challenges": "Rural areas.",
        "opportunities": "",
        "local_variations": "",
    }
    assert version.answers[1]["stance_label"] == "Support with changes"
    response.refresh_from_db()
    assert response.submitted_version == 1
    assert response.submitted_at == version.submitted_at
    assert not response.changed_since_submission
    assert response.history.latest().history_change_reason == "Submitted version 1"


def test_opcc_staff_submit_only_while_delegated(personas, opened):
    response = save(start(opened, personas.gwent_staff), personas.gwent_staff)
    with pytest.raises(PermissionDenied):
        submit(response, personas.gwent_staff)
    assert not ResponseVersion.objects.exists()

    delegation = delegate(personas)
    assert submit(response, personas.gwent_staff).submitted_by == personas.gwent_staff

    save(response, personas.gwent_staff, challenges="A second thought.")
    services.delegation_revoke(delegation=delegation, by=personas.gwent_commissioner)
    with pytest.raises(PermissionDenied):
        submit(response, personas.gwent_staff)
    assert ResponseVersion.objects.count() == 1


def test_a_delegate_who_leaves_the_body_can_no_longer_submit(personas, opened):
    response = save(start(opened, personas.gwent_staff), personas.gwent_staff)
    delegate(personas)
    Membership.objects.filter(user=personas.gwent_staff).update(ended_at=timezone.now())
    with pytest.raises(PermissionDenied):
        submit(response, personas.gwent_staff)
    assert not ResponseVersion.objects.exists()


@pytest.mark.parametrize("persona", OTHERS)
def test_nobody_outside_the_body_submits_its_response(personas, opened, persona):
    response = save(start(opened, personas.gwent_staff), personas.gwent_staff)
    with pytest.raises(PermissionDenied):
        submit(response, getattr(personas, persona))
    assert not ResponseVersion.objects.exists()


def test_every_question_must_be_answered_to_submit(personas, opened):
    response = start(opened, personas.gwent_staff)
    with pytest.raises(ValidationError) as exc:
        submit(response, personas.gwent_commissioner)
    assert errors_of(exc) == {
        "answer_1": ["Answer question 1"],
        "stance_2": ["Choose your stance on question 2"],
    }

    # An explanation without a stance is not a stance; the explanation itself is optional.
    save(
        response,
        personas.gwent_staff,
        answers={1: COMPLETE[1], 2: AnswerInput(text="We lean towards it.")},
    )
    with pytest.raises(ValidationError) as exc:
        submit(response, personas.gwent_commissioner)
    assert set(errors_of(exc)) == {"stance_2"}
    assert not ResponseVersion.objects.exists()
    assert Response.objects.get(pk=response.pk).submitted_version == 0

    save(response, personas.gwent_staff, answers={1: COMPLETE[1], 2: AnswerInput(stance="oppose")})
    assert submit(response, personas.gwent_commissioner).number == 1


def test_an_engagement_without_questions_needs_a_local_perspective(personas, policy, victims):
    engagement = consultation(personas, policy, groups=[victims], questions=())
    response = start(engagement, personas.gwent_commissioner)
    with pytest.raises(ValidationError) as exc:
        submit(response, personas.gwent_commissioner)
    assert set(errors_of(exc)) == {"challenges"}
    save(response, personas.gwent_commissioner, answers={}, local_variations="Two cities.")
    assert submit(response, personas.gwent_commissioner).content["local_variations"] == (
        "Two cities."
    )


def test_a_submission_from_an_older_revision_is_refused(personas, opened):
    response = save(start(opened, personas.gwent_staff), personas.gwent_staff)
    stale = Response.objects.get(pk=response.pk)
    save(response, personas.gwent_staff, challenges="Added after the commissioner read it.")
    with pytest.raises(ValidationError, match="Someone else saved"):
        submit(stale, personas.gwent_commissioner)
    assert not ResponseVersion.objects.exists()


def test_a_version_is_never_changed_or_deleted(personas, opened):
    response = save(start(opened, personas.gwent_staff), personas.gwent_staff)
    version = submit(response, personas.gwent_commissioner)
    version.content = {"answers": [], "challenges": "Rewritten"}
    with pytest.raises(ValueError, match="never changed"):
        version.save()
    with pytest.raises(ValueError, match="never deleted"):
        version.delete()
    stored = ResponseVersion.objects.get(pk=version.pk)
    with pytest.raises(ValueError, match="never changed"):
        stored.save(update_fields=["late"])
    assert stored.content["answers"][0]["text"] == COMPLETE[1].text


def test_resubmitting_needs_a_change_and_makes_the_next_version(personas, opened):
    response = save(start(opened, personas.gwent_staff), personas.gwent_staff)
    first = submit(response, personas.gwent_commissioner)
    with pytest.raises(ValidationError, match="Nothing has changed since version 1"):
        submit(response, personas.gwent_commissioner)

    save(response, personas.gwent_staff, answers={**COMPLETE, 1: AnswerInput(text="Revised.")})
    second = submit(response, personas.gwent_commissioner)

    assert second.number == 2
    assert second.content["answers"][0]["text"] == "Revised."
    assert ResponseVersion.objects.get(pk=first.pk).content == first.content
    assert first.content["answers"][0]["text"] == COMPLETE[1].text
    assert list(response.versions.values_list("number", flat=True)) == [2, 1]
    assert Response.objects.get(pk=response.pk).submitted_version == 2


def test_a_change_undone_leaves_nothing_to_resubmit(personas, opened):
    response = save(start(opened, personas.gwent_staff), personas.gwent_staff)
    submit(response, personas.gwent_commissioner)
    save(response, personas.gwent_staff, challenges="On second thoughts.")
    assert response.changed_since_submission
    save(response, personas.gwent_staff)  # back to what was submitted
    assert response.revision == 3
    assert not response.changed_since_submission
    with pytest.raises(ValidationError, match="Nothing has changed since version 1"):
        submit(response, personas.gwent_commissioner)
    assert ResponseVersion.objects.count() == 1


@pytest.mark.parametrize(("days_after", "late"), [(0, False), (1, True)])
def test_a_submission_after_the_deadline_is_accepted_and_marked_late(
    personas, opened, monkeypatch, days_after, late
):
    response = save(start(opened, personas.gwent_staff), personas.gwent_staff)
    deadline = opened.response_deadline
    at = timezone.make_aware(
        datetime.datetime.combine(deadline + datetime.timedelta(days=days_after), datetime.time(9))
    )
    monkeypatch.setattr(timezone, "now", lambda: at)
    version = submit(response, personas.gwent_commissioner)
    assert version.late is late
    assert version.submitted_at == at


def test_a_closed_engagement_ends_drafting_and_submitting(personas, opened):
    response = save(start(opened, personas.gwent_staff), personas.gwent_staff)
    engagement_services.engagement_close(engagement=opened, by=personas.moj_lead)
    before = working_copy(response)
    with pytest.raises(ValidationError, match="It is closed"):
        save(response, personas.gwent_staff, challenges="Too late.")
    with pytest.raises(ValidationError, match="It is closed"):
        submit(response, personas.gwent_commissioner)
    assert working_copy(response) == before
    assert not ResponseVersion.objects.exists()


def test_under_tlp_red_only_named_members_work_on_the_response(personas, policy, victims):
    red = consultation(
        personas,
        policy,
        groups=[victims],
        label=Label.RED,
        recipients=[personas.gwent_staff],
    )
    response = save(start(red, personas.gwent_staff), personas.gwent_staff)
    with pytest.raises(ValidationError, match="not addressed"):
        start(red, personas.gwent_commissioner)  # not named: cannot see the engagement
    before = working_copy(response)
    with pytest.raises(PermissionDenied):
        save(response, personas.gwent_commissioner, challenges="Unread.")
    with pytest.raises(PermissionDenied):
        submit(response, personas.gwent_commissioner)
    assert working_copy(response) == before

    delegate(personas)  # the commissioner can still let the named member submit
    assert submit(response, personas.gwent_staff).number == 1


# Delegations ------------------------------------------------------------------------------


def test_the_commissioner_delegates_submission_and_withdraws_it(personas):
    delegation = delegate(personas)
    assert delegation.granted_by == personas.gwent_commissioner
    assert delegation.history.get().history_user == personas.gwent_commissioner

    services.delegation_revoke(delegation=delegation, by=personas.gwent_commissioner)
    delegation.refresh_from_db()
    assert delegation.revoked_by == personas.gwent_commissioner
    assert delegation.revoked_at is not None
    with pytest.raises(ValidationError, match="already been withdrawn"):
        services.delegation_revoke(delegation=delegation, by=personas.gwent_commissioner)

    again = delegate(personas)  # a new grant, the old one kept on record
    assert SubmissionDelegation.objects.count() == 2
    assert list(SubmissionDelegation.objects.active()) == [again]


@pytest.mark.parametrize("persona", ["gwent_staff", *OTHERS])
def test_only_the_bodys_commissioner_grants_and_revokes(personas, persona):
    with pytest.raises(PermissionDenied):
        services.delegation_grant(
            body=body("gwent"), delegate=personas.gwent_staff, by=getattr(personas, persona)
        )
    assert not SubmissionDelegation.objects.exists()
    delegation = delegate(personas)
    with pytest.raises(PermissionDenied):
        services.delegation_revoke(delegation=delegation, by=getattr(personas, persona))
    assert SubmissionDelegation.objects.get().revoked_at is None


def test_the_delegate_must_be_an_active_member_of_the_body(personas):
    gwent = body("gwent")
    for outsider in (personas.kent_commissioner, personas.moj_lead, personas.outsider):
        with pytest.raises(ValidationError) as exc:
            services.delegation_grant(body=gwent, delegate=outsider, by=personas.gwent_commissioner)
        assert errors_of(exc) == {
            "delegate": [
                "Choose someone who is a member of Police and Crime Commissioner for Gwent"
            ]
        }

    leaver = User.objects.create_user(email="leaver@gwent.example.org")
    Membership.objects.create(
        user=leaver, organisation=gwent.organisation, role=Role.OPCC_STAFF, ended_at=timezone.now()
    )
    dormant = User.objects.create_user(email="dormant@gwent.example.org", is_active=False)
    Membership.objects.create(user=dormant, organisation=gwent.organisation, role=Role.OPCC_STAFF)
    for person in (leaver, dormant):
        with pytest.raises(
            ValidationError, match="member of Police and Crime Commissioner for Gwent"
        ):
            services.delegation_grant(body=gwent, delegate=person, by=personas.gwent_commissioner)
    assert not SubmissionDelegation.objects.exists()


def test_a_commissioner_needs_no_delegation(personas):
    with pytest.raises(ValidationError) as exc:
        services.delegation_grant(
            body=body("gwent"),
            delegate=personas.gwent_commissioner,
            by=personas.gwent_commissioner,
        )
    assert errors_of(exc) == {
        "delegate": [
            "commissioner@gwent.example.org is a commissioner and can already submit responses"
        ]
    }
    assert not SubmissionDelegation.objects.exists()


def test_a_delegation_is_granted_once(personas):
    delegate(personas)
    with pytest.raises(ValidationError) as exc:
        delegate(personas)
    assert errors_of(exc) == {"delegate": ["staff@gwent.example.org can already submit responses"]}
    assert SubmissionDelegation.objects.count() == 1
