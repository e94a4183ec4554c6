"""Every rule the engagement services keep: who may act, in which state, with what input.
Each refusal is shown to change nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from engage.accounts.models import Membership, Organisation, Role
from engage.audit.models import AccessLog
from engage.core.labels import Label
from engage.directory.models import PriorityTheme, StandingGroup
from engage.documents.models import Document
from engage.engagements import services
from engage.engagements.forms import EngagementForm
from engage.engagements.models import (
    Decision,
    Engagement,
    Kind,
    LabelRelease,
    NationalPriority,
    Question,
    Route,
    Status,
    WiderRouteRequest,
)
from engage.policies.models import Stage, TriageOutcome

from .conftest import engagement_fields, open_engagement
from .factories import EngagementFactory, PolicyFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def refusals():
    return AccessLog.objects.filter(action="refused", object_type="policy")


def messages_of(exc: ValidationError) -> dict[str, list[str]]:
    return exc.value.message_dict


# Creating ---------------------------------------------------------------------------------


def test_a_policy_lead_creates_a_draft_at_amber_strict(personas, policy):
    engagement = services.engagement_create(
        policy=policy, by=personas.moj_lead, **engagement_fields()
    )

    assert engagement.status == Status.DRAFT
    assert engagement.label == Label.AMBER_STRICT
    assert engagement.owner == policy.owner
    assert engagement.created_by == personas.moj_lead
    record = engagement.history.get()
    assert record.history_type == "+"
    assert record.history_user == personas.moj_lead


@pytest.mark.parametrize(
    "persona", ["ho_lead", "secretariat", "gwent_commissioner", "surrey_ceo", "admin", "outsider"]
)
def test_only_a_policy_lead_of_the_owning_organisation_creates(personas, policy, persona):
    with pytest.raises(PermissionDenied):
        services.engagement_create(
            policy=policy, by=getattr(personas, persona), **engagement_fields()
        )
    assert not Engagement.objects.exists()


def test_staff_of_the_owning_organisation_who_are_not_policy_leads_cannot_create(
    personas, policy, moj
):
    staff = personas.outsider
    Membership.objects.create(user=staff, organisation=moj, role=Role.STAFF)
    with pytest.raises(PermissionDenied):
        services.engagement_create(policy=policy, by=staff, **engagement_fields())
    assert not Engagement.objects.exists()


def test_a_superuser_gets_no_way_round_the_rules(personas, policy):
    personas.admin.is_superuser = True
    personas.admin.save(update_fields=["is_superuser"])
    with pytest.raises(PermissionDenied):
        services.engagement_create(policy=policy, by=personas.admin, **engagement_fields())


@pytest.mark.parametrize(
    ("outcome", "says"),
    [
        (TriageOutcome.UNTRIAGED, "not been triaged"),
        (TriageOutcome.NOT_MERITED, "does not merit engagement"),
    ],
)
def test_engaging_is_refused_unless_the_policy_can_be_engaged(personas, outcome, says):
    policy = PolicyFactory(
        created_by=personas.moj_lead,
        triage_outcome=outcome,
        merits_engagement=None if outcome == TriageOutcome.UNTRIAGED else False,
        screened_at=None if outcome == TriageOutcome.UNTRIAGED else timezone.now(),
    )
    with pytest.raises(ValidationError) as exc:
        services.engagement_create(policy=policy, by=personas.moj_lead, **engagement_fields())
    assert says in " ".join(exc.value.messages)
    assert not Engagement.objects.exists()
    assert not refusals().exists()  # only screened-out policies are access-logged


def test_engaging_on_a_screened_out_policy_is_refused_explained_and_logged(
    personas, screened_policy
):
    with pytest.raises(services.PolicyRefused) as exc:
        services.engagement_create(
            policy=screened_policy, by=personas.moj_lead, **engagement_fields()
        )

    assert "outside the protocol" in exc.value.reason
    assert "national security" in exc.value.reason
    assert not Engagement.objects.exists()
    entry = refusals().get()
    assert entry.user == personas.moj_lead
    assert entry.object_id == str(screened_policy.public_id)
    assert entry.organisation == screened_policy.owner
    assert "create an engagement" in entry.detail


def test_the_refusal_is_logged_even_inside_an_outer_transaction(personas, screened_policy):
    from django.db import transaction

    with transaction.atomic(), pytest.raises(ValidationError):
        services.engagement_create(
            policy=screened_policy, by=personas.moj_lead, **engagement_fields()
        )
    assert refusals().count() == 1


@pytest.mark.parametrize(
    ("stage", "allowed"),
    [
        (Stage.IDEA, False),
        (Stage.DEVELOPMENT, True),
        (Stage.TESTING, True),
        (Stage.IMPLEMENTATION, False),
    ],
)
def test_an_early_engagement_needs_development_or_testing(personas, stage, allowed):
    policy = PolicyFactory(created_by=personas.moj_lead, stage=stage)
    fields = engagement_fields(kind=Kind.EARLY)
    if allowed:
        assert services.engagement_create(policy=policy, by=personas.moj_lead, **fields)
    else:
        with pytest.raises(ValidationError) as exc:
            services.engagement_create(policy=policy, by=personas.moj_lead, **fields)
        assert "development or testing" in messages_of(exc)["kind"][0]
        assert not Engagement.objects.exists()


@pytest.mark.parametrize("days", [-1, 0])
def test_the_response_deadline_must_be_after_the_opening_date(personas, policy, days):
    fields = engagement_fields(response_deadline=TODAY() + datetime.timedelta(days=days))
    with pytest.raises(ValidationError) as exc:
        services.engagement_create(policy=policy, by=personas.moj_lead, **fields)
    assert messages_of(exc)["response_deadline"] == [
        "The response deadline must be after the opening date"
    ]
    assert not Engagement.objects.exists()


def test_asking_for_a_response_needs_a_deadline(personas, policy):
    with pytest.raises(ValidationError) as exc:
        services.engagement_create(
            policy=policy, by=personas.moj_lead, **engagement_fields(response_deadline=None)
        )
    assert "Enter the response deadline" in messages_of(exc)["response_deadline"][0]


def test_a_deadline_only_goes_with_a_request_for_a_response(personas, policy):
    with pytest.raises(ValidationError) as exc:
        services.engagement_create(
            policy=policy, by=personas.moj_lead, **engagement_fields(asks_response=False)
        )
    assert "Only set a response deadline" in messages_of(exc)["response_deadline"][0]


def test_a_change_notice_needs_a_rationale_and_an_effective_date(personas, policy):
    fields = engagement_fields(kind=Kind.CHANGE_NOTICE, asks_response=False, response_deadline=None)
    with pytest.raises(ValidationError) as exc:
        services.engagement_create(policy=policy, by=personas.moj_lead, **fields)
    assert set(messages_of(exc)) == {"rationale", "effective_date"}

    fields.update(
        rationale="The statutory instrument changed.",
        effective_date=TODAY() + datetime.timedelta(days=30),
    )
    notice = services.engagement_create(policy=policy, by=personas.moj_lead, **fields)
    assert notice.kind == Kind.CHANGE_NOTICE


def test_every_problem_is_reported_at_once(personas, policy):
    fields = engagement_fields(title="  ", response_deadline=TODAY())
    with pytest.raises(ValidationError) as exc:
        services.engagement_create(policy=policy, by=personas.moj_lead, **fields)
    assert {"title", "response_deadline"} <= set(messages_of(exc))


def test_tlp_red_needs_named_recipients(personas, policy):
    with pytest.raises(ValidationError) as exc:
        services.engagement_create(
            policy=policy, by=personas.moj_lead, **engagement_fields(label=Label.RED)
        )
    assert "Name at least one recipient" in messages_of(exc)["recipients"][0]
    assert not Engagement.objects.exists()


@pytest.mark.parametrize("persona", ["vcs_member", "outsider", "ho_lead", "admin"])
def test_named_recipients_are_people_of_policing_bodies_or_the_apcc(personas, policy, persona):
    person = getattr(personas, persona)
    with pytest.raises(ValidationError) as exc:
        services.engagement_create(
            policy=policy,
            by=personas.moj_lead,
            recipients=[person],
            **engagement_fields(label=Label.RED),
        )
    assert person.email in messages_of(exc)["recipients"][0]


def test_recipients_are_kept_only_under_tlp_red(personas, policy):
    amber = services.engagement_create(
        policy=policy,
        by=personas.moj_lead,
        recipients=[personas.gwent_staff],
        **engagement_fields(),
    )
    assert not amber.recipients.exists()
    red = services.engagement_create(
        policy=policy,
        by=personas.moj_lead,
        recipients=[personas.gwent_staff, personas.secretariat],
        **engagement_fields(label=Label.RED),
    )
    assert set(red.recipients.all()) == {personas.gwent_staff, personas.secretariat}


def test_a_new_engagement_cannot_start_wider_than_amber_strict(personas, policy):
    with pytest.raises(ValidationError) as exc:
        services.engagement_create(
            policy=policy, by=personas.moj_lead, **engagement_fields(label=Label.GREEN)
        )
    assert "Release it to a wider label" in messages_of(exc)["label"][0]


def test_the_lead_chooses_to_share_responses_and_can_change_their_mind(personas, policy):
    engagement = services.engagement_create(
        policy=policy, by=personas.moj_lead, **engagement_fields(share_responses=True)
    )
    assert Engagement.objects.get(pk=engagement.pk).share_responses
    assert not services.engagement_create(
        policy=policy, by=personas.moj_lead, **engagement_fields()
    ).share_responses  # not shared unless the lead says so

    services.engagement_update(engagement=engagement, by=personas.moj_lead, **engagement_fields())
    engagement.refresh_from_db()
    assert not engagement.share_responses
    assert [record.share_responses for record in engagement.history.order_by("history_date")] == [
        True,
        False,
    ]


def test_sharing_responses_needs_a_request_for_one(personas, policy, draft):
    no_response = engagement_fields(
        asks_response=False, response_deadline=None, asks_dissemination=True
    )
    with pytest.raises(ValidationError) as exc:
        services.engagement_create(
            policy=policy, by=personas.moj_lead, share_responses=True, **no_response
        )
    assert messages_of(exc) == {
        "share_responses": ["Only share responses when you ask for a response"]
    }
    with pytest.raises(ValidationError, match="Only share responses"):
        services.engagement_update(
            engagement=draft, by=personas.moj_lead, share_responses=True, **no_response
        )
    assert Engagement.objects.get() == draft
    draft.refresh_from_db()
    assert not draft.share_responses


def test_the_engagement_form_passes_the_choice_to_share_responses(personas, policy):
    today = TODAY()
    deadline = today + datetime.timedelta(days=21)
    data = {
        "kind": Kind.CONSULTATION,
        "title": "Victims code: local commissioning",
        "body": "How would the new code change what you commission locally?",
        "opens_on_0": today.day,
        "opens_on_1": today.month,
        "opens_on_2": today.year,
        "actions": ["asks_response"],
        "response_deadline_0": deadline.day,
        "response_deadline_1": deadline.month,
        "response_deadline_2": deadline.year,
        "share_responses": "on",
        "label": Label.AMBER_STRICT,
    }
    form = EngagementForm(data, labels=services.CREATE_LABELS)
    assert form.is_valid(), form.errors
    engagement = services.engagement_create(
        policy=policy, by=personas.moj_lead, **form.service_kwargs()
    )
    assert engagement.share_responses
    assert EngagementForm.initial_from(engagement)["share_responses"] is True
    unticked = EngagementForm({**data, "share_responses": ""}, labels=services.CREATE_LABELS)
    assert unticked.is_valid(), unticked.errors
    assert unticked.service_kwargs()["share_responses"] is False
    assert str(form["share_responses"].label) == (
        "Share submitted responses with the other bodies addressed"
    )


# Changing a draft --------------------------------------------------------------------------


def test_the_lead_changes_a_draft_and_history_keeps_the_old_version(personas, draft):
    services.engagement_update(
        engagement=draft, by=personas.moj_lead, **engagement_fields(title="A better title")
    )
    draft.refresh_from_db()
    assert draft.title == "A better title"
    assert draft.history.count() == 2
    assert draft.history.earliest().title == "Victims code: local commissioning"
    assert draft.history.latest().history_user == personas.moj_lead


def test_narrowing_to_tlp_red_is_an_edit_not_a_release(personas, draft):
    services.engagement_update(
        engagement=draft,
        by=personas.moj_lead,
        recipients=[personas.gwent_staff],
        **engagement_fields(label=Label.RED),
    )
    draft.refresh_from_db()
    assert draft.label == Label.RED
    assert list(draft.recipients.all()) == [personas.gwent_staff]
    assert not LabelRelease.objects.exists()


def test_widening_through_an_edit_is_refused(personas, draft):
    with pytest.raises(ValidationError) as exc:
        services.engagement_update(
            engagement=draft, by=personas.moj_lead, **engagement_fields(label=Label.GREEN)
        )
    assert "release it to a wider label" in messages_of(exc)["label"][0]
    draft.refresh_from_db()
    assert draft.label == Label.AMBER_STRICT


@pytest.mark.parametrize("persona", ["ho_lead", "secretariat", "gwent_commissioner"])
def test_nobody_else_changes_a_draft(personas, draft, persona):
    with pytest.raises(PermissionDenied):
        services.engagement_update(
            engagement=draft, by=getattr(personas, persona), **engagement_fields(title="Mine")
        )
    draft.refresh_from_db()
    assert draft.title != "Mine"


def test_only_a_draft_can_be_changed(personas, awaiting):
    with pytest.raises(ValidationError) as exc:
        services.engagement_update(
            engagement=awaiting, by=personas.moj_lead, **engagement_fields(title="Late change")
        )
    assert "Only a draft can be changed" in exc.value.messages[0]
    awaiting.refresh_from_db()
    assert awaiting.title != "Late change"


def test_changing_a_draft_on_a_policy_screened_out_since_is_refused_and_logged(
    personas, draft, policy
):
    policy.triage_outcome = TriageOutcome.SCREENED_OUT
    policy.national_security = True
    policy.save()
    with pytest.raises(services.PolicyRefused):
        services.engagement_update(
            engagement=draft, by=personas.moj_lead, **engagement_fields(title="Changed")
        )
    assert refusals().count() == 1
    draft.refresh_from_db()
    assert draft.title != "Changed"


# Questions ---------------------------------------------------------------------------------


def add(draft, lead, text, kind="free_text"):
    return services.question_add(engagement=draft, by=lead, text=text, kind=kind)


def texts(engagement):
    return list(engagement.questions.order_by("number").values_list("number", "text"))


def test_questions_are_added_changed_reordered_and_removed_while_draft(personas, draft):
    lead = personas.moj_lead
    first = add(draft, lead, "What would change?")
    second = add(draft, lead, "Do you support it?", kind="stance")
    third = add(draft, lead, "Anything else?")
    assert texts(draft) == [
        (1, "What would change?"),
        (2, "Do you support it?"),
        (3, "Anything else?"),
    ]
    assert second.kind == "stance"

    services.question_update(
        question=first, by=lead, text="What would change locally?", kind="free_text"
    )
    services.question_move(question=third, by=lead, direction="up")
    assert texts(draft) == [
        (1, "What would change locally?"),
        (2, "Anything else?"),
        (3, "Do you support it?"),
    ]

    services.question_remove(question=Question.objects.get(pk=first.pk), by=lead)
    assert texts(draft) == [(1, "Anything else?"), (2, "Do you support it?")]
    assert Question.history.filter(id=first.pk, history_type="-").exists()


def test_the_first_question_cannot_move_up(personas, draft):
    question = add(draft, personas.moj_lead, "Only question")
    with pytest.raises(ValidationError):
        services.question_move(question=question, by=personas.moj_lead, direction="up")
    with pytest.raises(ValidationError):
        services.question_move(question=question, by=personas.moj_lead, direction="sideways")


@pytest.mark.parametrize(
    ("text", "kind", "field"), [("  ", "free_text", "text"), ("Q?", "poll", "kind")]
)
def test_a_question_needs_text_and_a_known_kind(personas, draft, text, kind, field):
    with pytest.raises(ValidationError) as exc:
        add(draft, personas.moj_lead, text, kind)
    assert field in messages_of(exc)
    assert not draft.questions.exists()


def test_questions_are_fixed_once_sent_for_routing(personas, awaiting):
    question = awaiting.questions.get()
    with pytest.raises(ValidationError):
        add(awaiting, personas.moj_lead, "Late question")
    with pytest.raises(ValidationError):
        services.question_update(
            question=question, by=personas.moj_lead, text="New", kind="free_text"
        )
    with pytest.raises(ValidationError):
        services.question_remove(question=question, by=personas.moj_lead)
    assert texts(awaiting) == [(1, "What would change?")]


def test_only_the_lead_manages_questions(personas, draft):
    with pytest.raises(PermissionDenied):
        add(draft, personas.ho_lead, "Sneaky question")
    assert not draft.questions.exists()


# Routing -----------------------------------------------------------------------------------


def test_sending_to_standing_groups_waits_for_the_apcc(personas, draft, victims):
    services.engagement_route(
        engagement=draft, by=personas.moj_lead, route=Route.STANDING_GROUPS, groups=[victims]
    )
    draft.refresh_from_db()
    assert draft.status == Status.AWAITING_APCC
    assert draft.routed_by == personas.moj_lead
    assert draft.routed_at is not None
    assert list(draft.routed_groups.all()) == [victims]


def test_a_standing_group_route_needs_a_group(personas, draft):
    with pytest.raises(ValidationError) as exc:
        services.engagement_route(engagement=draft, by=personas.moj_lead, route="groups")
    assert "groups" in messages_of(exc)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


@pytest.mark.parametrize("decision", [None, Decision.PENDING, Decision.DECLINED])
def test_all_policing_bodies_needs_the_apccs_agreement(personas, draft, decision):
    if decision:
        ask = services.wider_route_request(
            engagement=draft, by=personas.moj_lead, request="It affects every force."
        )
        if decision == Decision.DECLINED:
            services.wider_route_decide(
                wider_request=ask, by=personas.secretariat, decision=decision, advice="Use groups"
            )
    with pytest.raises(ValidationError) as exc:
        services.engagement_route(engagement=draft, by=personas.moj_lead, route="all_bodies")
    assert "consulted and agreed" in messages_of(exc)["route"][0]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.route == ""


def test_all_policing_bodies_once_agreed(personas, draft):
    ask = services.wider_route_request(
        engagement=draft, by=personas.moj_lead, request="It affects every force."
    )
    services.wider_route_decide(
        wider_request=ask, by=personas.secretariat, decision="agreed", advice="Agreed; copy APACE."
    )
    ask.refresh_from_db()
    assert (ask.decision, ask.decided_by, ask.advice) == (
        Decision.AGREED,
        personas.secretariat,
        "Agreed; copy APACE.",
    )
    services.engagement_route(engagement=draft, by=personas.moj_lead, route="all_bodies")
    draft.refresh_from_db()
    assert (draft.status, draft.route) == (Status.AWAITING_APCC, Route.ALL_BODIES)


def test_routing_a_screened_out_policy_is_refused_and_logged(personas, draft, policy, victims):
    policy.triage_outcome = TriageOutcome.SCREENED_OUT
    policy.judicial_independence = True
    policy.save()
    with pytest.raises(services.PolicyRefused) as exc:
        services.engagement_route(
            engagement=draft, by=personas.moj_lead, route="groups", groups=[victims]
        )
    assert "judicial independence" in exc.value.reason
    assert refusals().get().detail.startswith("route an engagement")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert not draft.routed_groups.exists()


def test_an_early_engagement_cannot_be_routed_once_the_policy_has_moved_on(
    personas, policy, victims
):
    early = services.engagement_create(
        policy=policy, by=personas.moj_lead, **engagement_fields(kind=Kind.EARLY)
    )
    policy.stage = Stage.IMPLEMENTATION
    policy.save()
    with pytest.raises(ValidationError):
        services.engagement_route(
            engagement=early, by=personas.moj_lead, route="groups", groups=[victims]
        )


def test_a_priorities_update_needs_a_priority_before_routing(personas, policy, victims):
    update = services.engagement_create(
        policy=policy,
        by=personas.moj_lead,
        **engagement_fields(kind=Kind.PRIORITIES, asks_response=False, response_deadline=None),
    )
    with pytest.raises(ValidationError):
        services.engagement_route(engagement=update, by=personas.moj_lead, route="apace")
    update.refresh_from_db()
    assert update.status == Status.DRAFT


def test_a_past_deadline_must_be_changed_before_routing(personas, policy, victims):
    draft = services.engagement_create(policy=policy, by=personas.moj_lead, **engagement_fields())
    # Time passes: the draft was saved with dates that have gone by since.
    Engagement.objects.filter(pk=draft.pk).update(
        opens_on=TODAY() - datetime.timedelta(days=10),
        response_deadline=TODAY() - datetime.timedelta(days=1),
    )
    draft.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.engagement_route(
            engagement=draft, by=personas.moj_lead, route="groups", groups=[victims]
        )
    assert "deadline has passed" in exc.value.messages[0]


def test_named_recipients_must_be_reached_by_the_route(personas, policy, victims):
    red = services.engagement_create(
        policy=policy,
        by=personas.moj_lead,
        recipients=[personas.gwent_staff, personas.dorset_commissioner],
        **engagement_fields(label=Label.RED),
    )
    with pytest.raises(ValidationError) as exc:
        services.engagement_route(
            engagement=red, by=personas.moj_lead, route="groups", groups=[victims]
        )
    assert personas.dorset_commissioner.email in messages_of(exc)["route"][0]
    assert personas.gwent_staff.email not in messages_of(exc)["route"][0]

    services.engagement_update(
        engagement=red,
        by=personas.moj_lead,
        recipients=[personas.gwent_staff, personas.secretariat],
        **engagement_fields(label=Label.RED),
    )
    services.engagement_route(
        engagement=red, by=personas.moj_lead, route="groups", groups=[victims]
    )
    red.refresh_from_db()
    assert red.status == Status.AWAITING_APCC


def test_only_a_draft_is_sent_for_routing(personas, opened, victims):
    with pytest.raises(ValidationError):
        services.engagement_route(
            engagement=opened, by=personas.moj_lead, route="groups", groups=[victims]
        )
    opened.refresh_from_db()
    assert opened.status == Status.OPEN


# Consulting the APCC on the wider route --------------------------------------------------


def test_the_wider_request_needs_a_reason_and_one_at_a_time(personas, draft):
    with pytest.raises(ValidationError) as exc:
        services.wider_route_request(engagement=draft, by=personas.moj_lead, request=" ")
    assert "request" in messages_of(exc)
    services.wider_route_request(engagement=draft, by=personas.moj_lead, request="Why")
    with pytest.raises(ValidationError):
        services.wider_route_request(engagement=draft, by=personas.moj_lead, request="Again")
    assert WiderRouteRequest.objects.count() == 1


@pytest.mark.parametrize("persona", ["moj_lead", "gwent_commissioner", "admin"])
def test_only_the_apcc_secretariat_decides_on_the_wider_route(personas, draft, persona):
    ask = services.wider_route_request(engagement=draft, by=personas.moj_lead, request="Why")
    with pytest.raises(PermissionDenied):
        services.wider_route_decide(
            wider_request=ask, by=getattr(personas, persona), decision="agreed", advice="Yes"
        )
    ask.refresh_from_db()
    assert ask.decision == Decision.PENDING


def test_the_apcc_decision_needs_advice_and_is_made_once(personas, draft):
    ask = services.wider_route_request(engagement=draft, by=personas.moj_lead, request="Why")
    with pytest.raises(ValidationError) as exc:
        services.wider_route_decide(
            wider_request=ask, by=personas.secretariat, decision="agreed", advice=""
        )
    assert "advice" in messages_of(exc)
    with pytest.raises(ValidationError):
        services.wider_route_decide(
            wider_request=ask, by=personas.secretariat, decision="maybe", advice="Hmm"
        )
    services.wider_route_decide(
        wider_request=ask, by=personas.secretariat, decision="declined", advice="Use groups"
    )
    with pytest.raises(ValidationError):
        services.wider_route_decide(
            wider_request=ask, by=personas.secretariat, decision="agreed", advice="Changed mind"
        )
    ask.refresh_from_db()
    assert ask.decision == Decision.DECLINED


# Confirming, returning, closing ----------------------------------------------------------


def test_the_apcc_confirms_routing_and_the_policy_stage_is_kept(personas, awaiting, policy):
    services.engagement_confirm_routing(engagement=awaiting, by=personas.secretariat)
    awaiting.refresh_from_db()
    assert awaiting.status == Status.OPEN
    assert awaiting.confirmed_by == personas.secretariat
    assert awaiting.opened_at is not None
    assert awaiting.confirmed_at == awaiting.opened_at
    assert awaiting.stage_at_opening == Stage.DEVELOPMENT

    policy.stage = Stage.IMPLEMENTATION
    policy.save()
    awaiting.refresh_from_db()
    assert awaiting.stage_at_opening == Stage.DEVELOPMENT
    assert awaiting.stage_at_opening_display == "Development"


@pytest.mark.parametrize("persona", ["moj_lead", "gwent_commissioner", "admin"])
def test_only_the_apcc_secretariat_confirms(personas, awaiting, persona):
    with pytest.raises(PermissionDenied):
        services.engagement_confirm_routing(engagement=awaiting, by=getattr(personas, persona))
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_APCC


@pytest.mark.parametrize("state", ["draft", "opened"])
def test_confirming_something_not_awaiting_the_apcc_is_refused(personas, request, state):
    engagement = request.getfixturevalue(state)
    before = engagement.status
    with pytest.raises(ValidationError) as exc:
        services.engagement_confirm_routing(engagement=engagement, by=personas.secretariat)
    assert "awaiting the APCC" in exc.value.messages[0]
    engagement.refresh_from_db()
    assert engagement.status == before


def test_confirming_a_policy_screened_out_since_routing_is_refused_and_logged(
    personas, awaiting, policy
):
    policy.triage_outcome = TriageOutcome.SCREENED_OUT
    policy.sensitive_information = True
    policy.save()
    with pytest.raises(services.PolicyRefused):
        services.engagement_confirm_routing(engagement=awaiting, by=personas.secretariat)
    assert refusals().get().user == personas.secretariat
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_APCC


def test_the_apcc_returns_an_engagement_with_advice_and_the_lead_can_send_it_again(
    personas, awaiting, victims
):
    with pytest.raises(ValidationError) as exc:
        services.engagement_return(engagement=awaiting, by=personas.secretariat, advice="")
    assert "advice" in messages_of(exc)

    services.engagement_return(
        engagement=awaiting, by=personas.secretariat, advice="Route it to Victims and Justice."
    )
    awaiting.refresh_from_db()
    assert awaiting.status == Status.DRAFT
    assert awaiting.is_returned
    assert awaiting.returned_by == personas.secretariat
    assert awaiting.apcc_advice == "Route it to Victims and Justice."

    services.engagement_update(
        engagement=awaiting, by=personas.moj_lead, **engagement_fields(title="Reworked")
    )
    services.engagement_route(
        engagement=awaiting, by=personas.moj_lead, route="groups", groups=[victims]
    )
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_APCC


def test_only_an_engagement_awaiting_the_apcc_is_returned(personas, opened):
    with pytest.raises(ValidationError):
        services.engagement_return(engagement=opened, by=personas.secretariat, advice="No")
    with pytest.raises(PermissionDenied):
        services.engagement_return(engagement=opened, by=personas.moj_lead, advice="No")
    opened.refresh_from_db()
    assert opened.status == Status.OPEN


def test_the_lead_closes_an_open_engagement(personas, opened, policy):
    with pytest.raises(PermissionDenied):
        services.engagement_close(engagement=opened, by=personas.secretariat)
    draft = services.engagement_create(policy=policy, by=personas.moj_lead, **engagement_fields())
    with pytest.raises(ValidationError):
        services.engagement_close(engagement=draft, by=personas.moj_lead)
    services.engagement_close(engagement=opened, by=personas.moj_lead)
    opened.refresh_from_db()
    assert opened.status == Status.CLOSED
    assert opened.closed_at is not None
    with pytest.raises(ValidationError):
        services.engagement_close(engagement=opened, by=personas.moj_lead)


def test_the_lead_shares_responses_once_open_with_a_reason_for_good(personas, opened):
    with pytest.raises(PermissionDenied):
        services.engagement_share_responses(
            engagement=opened, by=personas.secretariat, reason="To help."
        )
    with pytest.raises(ValidationError) as exc:
        services.engagement_share_responses(engagement=opened, by=personas.moj_lead, reason=" ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.engagement_share_responses(
            engagement=opened, by=personas.moj_lead, reason="x" * 101
        )
    assert "100 characters" in exc.value.message_dict["reason"][0]
    opened.refresh_from_db()
    assert not opened.share_responses

    services.engagement_share_responses(
        engagement=opened, by=personas.moj_lead, reason="So bodies can learn from each other."
    )
    opened.refresh_from_db()
    assert opened.share_responses
    record = opened.history.latest("history_date")
    assert record.history_user == personas.moj_lead
    assert record.history_change_reason == "So bodies can learn from each other."
    with pytest.raises(ValidationError, match="already shared"):
        services.engagement_share_responses(
            engagement=opened, by=personas.moj_lead, reason="Again."
        )


def test_sharing_responses_needs_an_open_engagement_that_asks_for_them(personas, policy, draft):
    with pytest.raises(ValidationError, match="once the engagement is open"):
        services.engagement_share_responses(engagement=draft, by=personas.moj_lead, reason="Early.")
    notice = EngagementFactory(
        policy=policy, status=Status.OPEN, asks_response=False, response_deadline=None
    )
    with pytest.raises(ValidationError, match="does not ask for a response"):
        services.engagement_share_responses(
            engagement=notice, by=personas.moj_lead, reason="Why not."
        )
    draft.refresh_from_db()
    notice.refresh_from_db()
    assert not draft.share_responses
    assert not notice.share_responses


def test_every_transition_is_kept_in_history(personas, opened):
    services.engagement_close(engagement=opened, by=personas.moj_lead)
    # One record per save, plus one when the routed groups are set (same status, same person).
    steps: list[tuple[str, int]] = []
    for status, user in opened.history.order_by("history_date", "history_id").values_list(
        "status", "history_user"
    ):
        if not steps or steps[-1] != (status, user):
            steps.append((status, user))
    assert [status for status, _user in steps] == [
        Status.DRAFT,
        Status.AWAITING_APCC,
        Status.OPEN,
        Status.CLOSED,
    ]
    assert [user for _status, user in steps] == [
        personas.moj_lead.pk,
        personas.moj_lead.pk,
        personas.secretariat.pk,
        personas.moj_lead.pk,
    ]


# Handling labels ---------------------------------------------------------------------------


def test_the_lead_releases_to_green_and_the_release_is_recorded(personas, opened):
    release = services.label_release(
        engagement=opened,
        by=personas.moj_lead,
        to_label=Label.GREEN,
        reason="The policy has been announced.",
        for_whom="Every policing body",
    )
    opened.refresh_from_db()
    assert opened.label == Label.GREEN
    assert (release.from_label, release.to_label) == (Label.AMBER_STRICT, Label.GREEN)
    assert release.released_by == personas.moj_lead
    assert release.released_at is not None
    assert (release.reason, release.for_whom) == (
        "The policy has been announced.",
        "Every policing body",
    )
    assert opened.history.latest().label == Label.GREEN


@pytest.mark.parametrize("to_label", [Label.RED, Label.AMBER_STRICT, "purple"])
def test_a_release_must_widen(personas, opened, to_label):
    with pytest.raises(ValidationError) as exc:
        services.label_release(
            engagement=opened, by=personas.moj_lead, to_label=to_label, reason="r", for_whom="f"
        )
    assert "to_label" in messages_of(exc)
    opened.refresh_from_db()
    assert opened.label == Label.AMBER_STRICT
    assert not LabelRelease.objects.exists()


@pytest.mark.parametrize(
    ("reason", "for_whom", "field"), [("", "All", "reason"), ("Why", " ", "for_whom")]
)
def test_a_release_says_why_and_for_whom(personas, opened, reason, for_whom, field):
    with pytest.raises(ValidationError) as exc:
        services.label_release(
            engagement=opened,
            by=personas.moj_lead,
            to_label=Label.GREEN,
            reason=reason,
            for_whom=for_whom,
        )
    assert field in messages_of(exc)
    assert not LabelRelease.objects.exists()


@pytest.mark.parametrize("persona", ["ho_lead", "secretariat", "gwent_commissioner", "admin"])
def test_only_the_owning_organisations_leads_release(personas, opened, persona):
    with pytest.raises(PermissionDenied):
        services.label_release(
            engagement=opened,
            by=getattr(personas, persona),
            to_label=Label.CLEAR,
            reason="r",
            for_whom="f",
        )
    opened.refresh_from_db()
    assert opened.label == Label.AMBER_STRICT


def test_a_document_is_released_the_same_way(personas, opened):
    document = Document.objects.create(
        engagement=opened, title="Impact assessment", created_by=personas.moj_lead
    )
    # Never wider than its engagement: release the engagement first.
    with pytest.raises(ValidationError, match="Release the engagement first"):
        services.label_release(
            document=document,
            by=personas.moj_lead,
            to_label=Label.AMBER,
            reason="r",
            for_whom="f",
        )
    document.refresh_from_db()
    assert document.label == Label.AMBER_STRICT
    services.label_release(
        engagement=opened,
        by=personas.moj_lead,
        to_label=Label.GREEN,
        reason="Every body needs it",
        for_whom="All policing bodies",
    )
    release = services.label_release(
        document=document,
        by=personas.moj_lead,
        to_label=Label.AMBER,
        reason="Victims' services need it",
        for_whom="Commissioned services",
    )
    document.refresh_from_db()
    assert document.label == Label.AMBER
    assert release.document == document
    assert release.engagement is None
    with pytest.raises(PermissionDenied):
        services.label_release(
            document=document, by=personas.ho_lead, to_label=Label.GREEN, reason="r", for_whom="f"
        )
    with pytest.raises(ValueError, match="either"):
        services.label_release(by=personas.moj_lead, to_label=Label.GREEN, reason="r", for_whom="f")


# National priorities ----------------------------------------------------------------------


@pytest.fixture
def priorities_update(personas, policy):
    return services.engagement_create(
        policy=policy,
        by=personas.moj_lead,
        **engagement_fields(kind=Kind.PRIORITIES, asks_response=False, response_deadline=None),
    )


def priority_fields(**overrides):
    fields = {
        "title": "Reduce violence against women and girls",
        "source": "ministerial",
        "period_start": datetime.date(2026, 4, 1),
        "period_end": datetime.date(2027, 3, 31),
        "supporting_information": "The strategy and its funding.",
    }
    fields.update(overrides)
    return fields


def test_priorities_are_kept_as_records_of_a_priorities_update(personas, priorities_update):
    theme = PriorityTheme.objects.order_by("pk")[0]
    priority = services.national_priority_add(
        engagement=priorities_update, by=personas.moj_lead, themes=[theme], **priority_fields()
    )
    assert list(priority.themes.all()) == [theme]
    assert priority.history.get(history_type="+").history_user == personas.moj_lead
    services.engagement_route(engagement=priorities_update, by=personas.moj_lead, route="apace")
    with pytest.raises(ValidationError):
        services.national_priority_add(
            engagement=priorities_update, by=personas.moj_lead, **priority_fields(title="Late")
        )
    assert NationalPriority.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"source": "press"}, "source"),
        ({"supporting_information": " "}, "supporting_information"),
        ({"period_start": None}, "period_start"),
        ({"period_end": datetime.date(2026, 3, 1)}, "period_end"),
    ],
)
def test_a_priority_needs_its_details(personas, priorities_update, overrides, field):
    with pytest.raises(ValidationError) as exc:
        services.national_priority_add(
            engagement=priorities_update, by=personas.moj_lead, **priority_fields(**overrides)
        )
    assert field in messages_of(exc)
    assert not NationalPriority.objects.exists()


def test_priorities_belong_to_priorities_updates_and_their_leads(
    personas, draft, priorities_update
):
    with pytest.raises(ValidationError):
        services.national_priority_add(engagement=draft, by=personas.moj_lead, **priority_fields())
    with pytest.raises(PermissionDenied):
        services.national_priority_add(
            engagement=priorities_update, by=personas.ho_lead, **priority_fields()
        )
    assert not NationalPriority.objects.exists()


def test_a_priority_is_removed_from_a_draft_only(personas, priorities_update):
    priority = services.national_priority_add(
        engagement=priorities_update, by=personas.moj_lead, **priority_fields()
    )
    services.national_priority_remove(priority=priority, by=personas.moj_lead)
    assert not NationalPriority.objects.exists()


def test_open_engagement_helper_routes_everywhere(personas, policy):
    everyone = open_engagement(personas, policy, route="all_bodies")
    assert everyone.status == Status.OPEN
    assert StandingGroup.objects.exists()
    assert Organisation.objects.filter(slug="apcc").exists()
