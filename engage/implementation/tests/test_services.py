"""Every rule of the implementation services: who proposes (a lead of the owning
organisation, on a policy in implementation that merits engagement, never a screened-out
one), the turns of the thread, who answers (the body concerned, acting for itself), the
milestones and their updates, overdue worked out when read, and what each refusal leaves
(nothing changed)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from engage.accounts.models import Membership, Organisation, Role
from engage.audit.models import AccessAction, AccessLog
from engage.core.labels import Label
from engage.engagements.services.refusals import PolicyRefused
from engage.engagements.tests.conftest import open_engagement
from engage.engagements.tests.factories import EngagementFactory
from engage.implementation import services
from engage.implementation.models import (
    AgreementEvent,
    AgreementState,
    EventKind,
    ImplementationAgreement,
    Milestone,
    MilestoneStatus,
    MilestoneUpdate,
    Side,
    Summary,
    today,
)
from engage.policies.models import Stage, TriageOutcome
from engage.policies.services import policy_screen
from engage.responses.services import delegation_grant

from .conftest import (
    ROLE,
    SUPPORT,
    accept,
    add_milestone,
    body,
    implementation_policy,
    in_days,
    membership_of,
    propose,
    update,
)

pytestmark = pytest.mark.django_db


def screen_out(policy, personas):
    return policy_screen(
        policy=policy,
        sensitive_information=False,
        prosecutorial_independence=False,
        judicial_independence=False,
        national_security=True,
        by=personas.moj_lead,
    )


def snapshot():
    return (
        list(ImplementationAgreement.objects.values_list("pk", "state", "role", "due_on")),
        AgreementEvent.objects.count(),
        list(Milestone.objects.values_list("pk", "status", "due_on")),
        MilestoneUpdate.objects.count(),
    )


# Proposing ----------------------------------------------------------------------------------


def test_the_lead_proposes_one_role_to_each_body_chosen(personas, policy):
    made = propose(personas, policy, "kent", "gwent", "dorset", label=Label.AMBER)
    assert [a.body.organisation.slug for a in made] == ["dorset", "gwent", "kent"]
    for agreement in made:
        assert agreement.state == AgreementState.PROPOSED
        assert agreement.turn == Side.BODY
        assert (agreement.role, agreement.support, agreement.label) == (ROLE, SUPPORT, "amber")
        assert agreement.proposed_by == personas.moj_lead
        assert agreement.history.count() == 1
        event = agreement.events.get()
        assert (event.kind, event.side, event.by) == (
            EventKind.PROPOSED,
            Side.LEAD,
            personas.moj_lead,
        )
        assert (event.role, event.due_on, event.label) == (ROLE, agreement.due_on, "amber")


def test_the_default_label_is_amber_strict_and_support_is_optional(personas, policy):
    (agreement,) = services.agreement_propose(
        policy=policy, by=personas.moj_lead, bodies=[body("kent")], role=ROLE, due_on=in_days(5)
    )
    assert agreement.label == Label.AMBER_STRICT
    assert agreement.support == ""


def test_a_proposal_may_say_which_implementation_update_it_came_from(personas, policy, victims):
    update_ = open_engagement(personas, policy, groups=[victims], kind="implementation")
    (agreement,) = propose(personas, policy, "kent", engagement=update_)
    assert agreement.engagement == update_
    other = implementation_policy(personas)
    with pytest.raises(ValidationError) as refused:
        propose(personas, other, "kent", engagement=update_)
    assert "engagement" in refused.value.message_dict
    consultation = open_engagement(personas, policy, groups=[victims])
    with pytest.raises(ValidationError):
        propose(personas, policy, "gwent", engagement=consultation)


@pytest.mark.parametrize(
    "persona", ["ho_lead", "secretariat", "kent_commissioner", "gwent_staff", "vcs_member"]
)
def test_only_a_lead_of_the_owning_organisation_proposes(personas, policy, persona):
    with pytest.raises(PermissionDenied):
        services.agreement_propose(
            policy=policy,
            by=getattr(personas, persona),
            bodies=[body("kent")],
            role=ROLE,
            due_on=in_days(5),
        )
    assert not ImplementationAgreement.objects.exists()


def test_a_screened_out_policy_gets_no_proposal_and_the_attempt_is_recorded(personas, policy):
    screen_out(policy, personas)
    with pytest.raises(PolicyRefused):
        propose(personas, policy, "kent")
    assert not ImplementationAgreement.objects.exists()
    entry = AccessLog.objects.get(action=AccessAction.REFUSED, object_id=str(policy.public_id))
    assert entry.confidential_to == policy.owner
    assert "propose an implementation role" in entry.detail


@pytest.mark.parametrize("stage", [Stage.IDEA, Stage.DEVELOPMENT, Stage.EVALUATION])
def test_only_a_policy_in_implementation_gets_a_proposal(personas, stage):
    policy = implementation_policy(personas, stage=stage)
    with pytest.raises(ValidationError) as refused:
        propose(personas, policy, "kent")
    assert "only for a policy in implementation" in str(refused.value)
    assert not ImplementationAgreement.objects.exists()


def test_a_policy_that_does_not_merit_engagement_gets_no_proposal(personas):
    policy = implementation_policy(
        personas, triage_outcome=TriageOutcome.NOT_MERITED, merits_engagement=False
    )
    with pytest.raises(ValidationError, match="does not merit engagement"):
        propose(personas, policy, "kent")


def test_bad_terms_are_refused_field_by_field_and_nothing_is_made(personas, policy):
    with pytest.raises(ValidationError) as refused:
        services.agreement_propose(
            policy=policy,
            by=personas.moj_lead,
            bodies=[],
            role="  ",
            due_on=today() - datetime.timedelta(days=1),
            support="x" * 6000,
            label=Label.RED,
        )
    errors = refused.value.message_dict
    assert set(errors) == {"bodies", "role", "due_on", "support", "label"}
    assert errors["due_on"] == ["The date must be today or later"]
    with pytest.raises(ValidationError) as missing:
        propose(personas, policy, "kent", due_on=None)
    assert missing.value.message_dict["due_on"] == ["Enter the date the role is due by"]
    assert not ImplementationAgreement.objects.exists()


def test_a_body_has_one_live_role_per_policy_until_it_declines(personas, policy, proposed):
    with pytest.raises(ValidationError) as refused:
        propose(personas, policy, "gwent", "kent")
    assert refused.value.message_dict["bodies"] == [
        f"{body('kent').organisation.name} already has a role proposed or agreed on this policy"
    ]
    assert ImplementationAgreement.objects.count() == 1  # not even Gwent's
    services.agreement_decline(
        agreement=proposed,
        by=personas.kent_commissioner,
        membership=membership_of(personas.kent_commissioner),
        reason="No capacity this year.",
    )
    (again,) = propose(personas, policy, "kent")
    assert again.pk != proposed.pk
    assert again.state == AgreementState.PROPOSED


# The body's turn ----------------------------------------------------------------------------


def test_the_body_accepts_and_the_role_is_agreed(personas, proposed):
    agreed = accept(proposed, personas.kent_commissioner)
    assert agreed.state == AgreementState.AGREED
    assert agreed.settled_at is not None
    assert agreed.turn is None
    last = agreed.events.last()
    assert (last.kind, last.side, last.by) == (
        EventKind.ACCEPTED,
        Side.BODY,
        personas.kent_commissioner,
    )
    assert agreed.history.count() == 2


def test_a_body_not_party_cannot_act_at_all(personas, proposed):
    before = snapshot()
    for persona in ("gwent_commissioner", "dorset_commissioner", "surrey_ceo", "vcs_member"):
        user = getattr(personas, persona)
        with pytest.raises(PermissionDenied):
            accept(proposed, user)
    assert snapshot() == before


def test_a_member_of_kent_acting_for_another_body_cannot_accept_for_kent(personas, proposed):
    kent = Organisation.objects.get(slug="kent")
    Membership.objects.create(user=personas.gwent_staff, organisation=kent, role=Role.OPCC_STAFF)
    before = snapshot()
    with pytest.raises(ValidationError, match="you are acting for .*Gwent"):
        accept(proposed, personas.gwent_staff, "gwent")
    assert snapshot() == before
    # Acting for Kent, as Kent's staff, they answer for Kent once its commissioner has
    # delegated to them (answering commits the body).
    with pytest.raises(ValidationError, match="Only the commissioner of .*Kent"):
        accept(proposed, personas.gwent_staff, "kent")
    assert snapshot() == before
    delegation_grant(
        body=proposed.body, delegate=personas.gwent_staff, by=personas.kent_commissioner
    )
    assert accept(proposed, personas.gwent_staff, "kent").state == AgreementState.AGREED


def test_staff_without_a_delegation_do_not_answer(personas, policy, proposed):
    (gwent,) = propose(personas, policy, "gwent")
    staff = personas.gwent_staff
    before = snapshot()
    with pytest.raises(ValidationError, match="Only the commissioner of .*Gwent"):
        accept(gwent, staff)
    with pytest.raises(ValidationError, match="Only the commissioner of .*Gwent"):
        services.agreement_decline(
            agreement=gwent, by=staff, membership=membership_of(staff), reason="Not now."
        )
    assert snapshot() == before
    assert accept(gwent, personas.gwent_commissioner).state == AgreementState.AGREED


def test_the_secretariat_reads_but_does_not_act(personas, proposed):
    with pytest.raises(ValidationError, match="does not act"):
        accept(proposed, personas.secretariat)
    with pytest.raises(ValidationError, match="does not act"):
        services.agreement_comment(
            agreement=proposed,
            by=personas.secretariat,
            membership=membership_of(personas.secretariat),
            note="Noted.",
        )


def test_the_lead_cannot_accept_for_the_body(personas, proposed):
    with pytest.raises(ValidationError, match="Only .*Kent answers"):
        accept(proposed, personas.moj_lead)


def test_declining_needs_reasons_and_is_final(personas, proposed):
    kent = personas.kent_commissioner
    with pytest.raises(ValidationError) as refused:
        services.agreement_decline(
            agreement=proposed, by=kent, membership=membership_of(kent), reason=" "
        )
    assert refused.value.message_dict == {"reason": ["Say why your body declines this role"]}
    declined = services.agreement_decline(
        agreement=proposed, by=kent, membership=membership_of(kent), reason="No capacity."
    )
    assert declined.state == AgreementState.DECLINED
    assert declined.events.last().note == "No capacity."
    before = snapshot()
    with pytest.raises(ValidationError, match="declined this role"):
        accept(declined, kent)
    with pytest.raises(ValidationError, match="declined this role"):
        services.agreement_withdraw(agreement=declined, by=personas.moj_lead, reason="Late.")
    assert snapshot() == before


def test_the_body_proposes_changes_then_it_is_the_leads_turn(personas, proposed):
    kent = personas.kent_commissioner
    changed = services.agreement_propose_changes(
        agreement=proposed,
        by=kent,
        membership=membership_of(kent),
        role="Convene the board twice.",
        due_on=in_days(120),
        support=SUPPORT,
        note="We need another month.",
    )
    assert changed.state == AgreementState.CHANGES_PROPOSED
    assert changed.turn == Side.LEAD
    assert (changed.role, changed.due_on) == ("Convene the board twice.", in_days(120))
    event = changed.events.last()
    assert (event.kind, event.side, event.note, event.due_on) == (
        EventKind.CHANGES_PROPOSED,
        Side.BODY,
        "We need another month.",
        in_days(120),
    )
    before = snapshot()
    with pytest.raises(ValidationError, match="policy lead's turn"):
        accept(changed, kent)
    assert snapshot() == before
    agreed = services.agreement_accept_changes(agreement=changed, by=personas.moj_lead)
    assert agreed.state == AgreementState.AGREED
    assert agreed.due_on == in_days(120)  # on the body's terms
    assert [e.kind for e in agreed.events.all()] == [
        EventKind.PROPOSED,
        EventKind.CHANGES_PROPOSED,
        EventKind.ACCEPTED,
    ]


def test_proposed_changes_need_a_note_a_change_and_a_date_not_past(personas, proposed):
    kent = personas.kent_commissioner
    fields = {
        "agreement": proposed,
        "by": kent,
        "membership": membership_of(kent),
        "role": proposed.role,
        "due_on": proposed.due_on,
        "support": proposed.support,
    }
    with pytest.raises(ValidationError) as no_note:
        services.agreement_propose_changes(**fields, note="")
    assert "note" in no_note.value.message_dict
    with pytest.raises(ValidationError, match="or accept the proposal as it is"):
        services.agreement_propose_changes(**fields, note="Same again.")
    with pytest.raises(ValidationError) as past:
        services.agreement_propose_changes(
            **{**fields, "due_on": today() - datetime.timedelta(days=2)}, note="Earlier."
        )
    assert "due_on" in past.value.message_dict
    proposed.refresh_from_db()
    assert proposed.state == AgreementState.PROPOSED


# The lead's turn ----------------------------------------------------------------------------


def test_the_lead_revises_and_the_body_answers_again(personas, proposed):
    kent = personas.kent_commissioner
    with pytest.raises(ValidationError, match="It is the turn of .*Kent"):
        services.agreement_revise(
            agreement=proposed,
            by=personas.moj_lead,
            role=ROLE,
            due_on=in_days(100),
            support="",
            label=Label.AMBER_STRICT,
            note="Out of turn.",
        )
    services.agreement_propose_changes(
        agreement=proposed,
        by=kent,
        membership=membership_of(kent),
        role=ROLE,
        due_on=in_days(200),
        support=SUPPORT,
        note="Later please.",
    )
    revised = services.agreement_revise(
        agreement=proposed,
        by=personas.moj_lead,
        role=ROLE,
        due_on=in_days(150),
        support=SUPPORT + " And training.",
        label=Label.GREEN,
        note="Meet in the middle.",
    )
    assert revised.state == AgreementState.PROPOSED
    assert (revised.due_on, revised.label) == (in_days(150), Label.GREEN)
    assert revised.events.last().kind == EventKind.REVISED
    assert accept(revised, kent).state == AgreementState.AGREED
    assert revised.history.count() == 4


def test_only_a_lead_acts_on_the_leads_turn(personas, proposed):
    kent = personas.kent_commissioner
    services.agreement_propose_changes(
        agreement=proposed,
        by=kent,
        membership=membership_of(kent),
        role="Other.",
        due_on=in_days(200),
        support="",
        note="Different.",
    )
    for persona in ("secretariat", "ho_lead", "kent_commissioner"):
        with pytest.raises(PermissionDenied):
            services.agreement_accept_changes(agreement=proposed, by=getattr(personas, persona))
    proposed.refresh_from_db()
    assert proposed.state == AgreementState.CHANGES_PROPOSED


def test_the_lead_withdraws_before_agreement_only(personas, policy, proposed):
    with pytest.raises(ValidationError) as no_reason:
        services.agreement_withdraw(agreement=proposed, by=personas.moj_lead, reason="")
    assert "reason" in no_reason.value.message_dict
    withdrawn = services.agreement_withdraw(
        agreement=proposed, by=personas.moj_lead, reason="Funding moved."
    )
    assert withdrawn.state == AgreementState.WITHDRAWN
    with pytest.raises(ValidationError, match="withdrew"):
        accept(withdrawn, personas.kent_commissioner)
    (again,) = propose(personas, policy, "kent")
    agreed = accept(again, personas.kent_commissioner)
    with pytest.raises(ValidationError, match="has been agreed"):
        services.agreement_withdraw(agreement=agreed, by=personas.moj_lead, reason="Changed mind.")


def test_either_side_comments_in_any_state(personas, agreed):
    kent = personas.kent_commissioner
    services.agreement_comment(
        agreement=agreed, by=kent, membership=membership_of(kent), note="Started."
    )
    services.agreement_comment(
        agreement=agreed,
        by=personas.moj_lead,
        membership=membership_of(personas.moj_lead),
        note="Thanks.",
    )
    sides = list(agreed.events.filter(kind=EventKind.COMMENT).values_list("side", flat=True))
    assert sides == [Side.BODY, Side.LEAD]


# Milestones ---------------------------------------------------------------------------------


def test_milestones_wait_for_agreement(personas, proposed):
    with pytest.raises(ValidationError, match="once the role is agreed"):
        add_milestone(proposed, personas.kent_commissioner)
    assert not Milestone.objects.exists()


def test_either_side_adds_milestones_and_updates(personas, agreed):
    kent, lead = personas.kent_commissioner, personas.moj_lead
    first = add_milestone(agreed, kent, "Board convened", 30)
    second = add_milestone(agreed, lead, "Local plan published", 60)
    assert (first.added_side, second.added_side) == (Side.BODY, Side.LEAD)
    assert first.status == MilestoneStatus.NOT_STARTED
    update(first, kent, MilestoneStatus.ON_TRACK, "Dates set.")
    update(first, lead, MilestoneStatus.AT_RISK, "Chair unavailable.")
    first.refresh_from_db()
    assert first.status == MilestoneStatus.AT_RISK
    assert list(first.updates.values_list("status", "side")) == [
        (MilestoneStatus.NOT_STARTED, Side.BODY),
        (MilestoneStatus.ON_TRACK, Side.BODY),
        (MilestoneStatus.AT_RISK, Side.LEAD),
    ]
    assert first.history.count() == 3
    # The same status with a note is an update too; with neither, nothing.
    update(first, kent, MilestoneStatus.AT_RISK, "New chair found next week.")
    with pytest.raises(ValidationError) as nothing:
        update(first, kent, MilestoneStatus.AT_RISK, "")
    assert "note" in nothing.value.message_dict
    with pytest.raises(ValidationError) as bad:
        update(first, kent, "finished", "")
    assert "status" in bad.value.message_dict
    assert first.updates.count() == 4


def test_a_milestone_due_before_the_proposal_is_refused(personas, agreed):
    with pytest.raises(ValidationError) as refused:
        add_milestone(agreed, personas.kent_commissioner, days=-1)
    assert "due_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as untitled:
        add_milestone(agreed, personas.kent_commissioner, title="")
    assert "title" in untitled.value.message_dict
    assert not Milestone.objects.exists()


def test_a_milestone_update_by_a_body_not_party_is_refused(personas, agreed):
    milestone = add_milestone(agreed, personas.kent_commissioner)
    before = snapshot()
    for persona in ("gwent_commissioner", "dorset_commissioner", "ho_lead", "vcs_member"):
        with pytest.raises(PermissionDenied):
            update(milestone, getattr(personas, persona), MilestoneStatus.DONE, "Done.")
    with pytest.raises(PermissionDenied):
        add_milestone(agreed, personas.gwent_commissioner)
    with pytest.raises(ValidationError, match="does not act"):
        update(milestone, personas.secretariat, MilestoneStatus.DONE, "Done.")
    assert snapshot() == before


# Overdue and the summary, worked out when read -----------------------------------------------


def past(milestone, days=1):
    Milestone.objects.filter(pk=milestone.pk).update(due_on=today() - datetime.timedelta(days=days))
    milestone.refresh_from_db()


def summary_of(agreement):
    return ImplementationAgreement.objects.with_milestone_counts().get(pk=agreement.pk).summary()


def test_overdue_is_past_due_and_not_done(personas, agreed):
    kent = personas.kent_commissioner
    milestone = add_milestone(agreed, kent)
    assert not milestone.is_overdue()
    past(milestone)
    assert milestone.is_overdue()
    assert summary_of(agreed) == Summary.OVERDUE
    update(milestone, kent, MilestoneStatus.DONE, "Held on time after all.")
    milestone.refresh_from_db()
    assert not milestone.is_overdue()
    assert summary_of(agreed) == Summary.DONE
    # Due today is not overdue.
    Milestone.objects.filter(pk=milestone.pk).update(due_on=today(), status="on_track")
    milestone.refresh_from_db()
    assert not milestone.is_overdue()


def test_the_summary_is_the_worst_state(personas, policy, agreed):
    kent = personas.kent_commissioner
    assert summary_of(agreed) == Summary.NO_MILESTONES  # agreed, nothing done: never "done"
    a = add_milestone(agreed, kent, "A")
    assert summary_of(agreed) == Summary.NOT_STARTED
    b = add_milestone(agreed, kent, "B")
    update(a, kent, MilestoneStatus.DONE, "")
    assert summary_of(agreed) == Summary.NOT_STARTED
    update(b, kent, MilestoneStatus.ON_TRACK, "")
    assert summary_of(agreed) == Summary.ON_TRACK
    update(b, kent, MilestoneStatus.AT_RISK, "")
    assert summary_of(agreed) == Summary.AT_RISK
    past(b)
    assert summary_of(agreed) == Summary.OVERDUE
    update(b, kent, MilestoneStatus.DONE, "")
    assert summary_of(agreed) == Summary.DONE
    # Without annotations the same answer, from one query.
    assert ImplementationAgreement.objects.get(pk=agreed.pk).summary() == Summary.DONE
    # A role past its own date with no milestones is overdue too.
    (gwent,) = propose(personas, policy, "gwent")
    accept(gwent, personas.gwent_commissioner)
    ImplementationAgreement.objects.filter(pk=gwent.pk).update(
        due_on=today() - datetime.timedelta(days=1)
    )
    assert summary_of(gwent) == Summary.OVERDUE


@pytest.mark.parametrize(
    ("step", "expected"),
    [("proposed", Summary.PROPOSED), ("declined", Summary.DECLINED)],
)
def test_the_summary_before_agreement(personas, proposed, step, expected):
    if step == "declined":
        kent = personas.kent_commissioner
        services.agreement_decline(
            agreement=proposed, by=kent, membership=membership_of(kent), reason="No."
        )
    assert summary_of(proposed) == expected


# Who reads, and a screened-out policy ---------------------------------------------------------


def test_visible_to_the_body_the_owner_and_the_secretariat_only(personas, proposed):
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
        if ImplementationAgreement.objects.visible_to(getattr(personas, name)).exists()
    }
    assert readers == {"moj_lead", "secretariat", "kent_commissioner"}


def test_a_policy_screened_out_later_leaves_its_agreements_to_the_owner(personas, agreed):
    milestone = add_milestone(agreed, personas.kent_commissioner)
    screen_out(agreed.policy, personas)
    agreed.policy.refresh_from_db()
    for name, expected in (
        ("moj_lead", True),
        ("secretariat", False),
        ("kent_commissioner", False),
    ):
        user = getattr(personas, name)
        assert ImplementationAgreement.objects.visible_to(user).exists() is expected
    before = snapshot()
    with pytest.raises(PermissionDenied):
        update(milestone, personas.kent_commissioner, MilestoneStatus.DONE, "Done.")
    with pytest.raises(PolicyRefused):
        add_milestone(agreed, personas.moj_lead)
    assert snapshot() == before


def test_the_engagement_must_be_on_the_policy_even_if_made_directly(personas, policy):
    other = EngagementFactory(
        policy=implementation_policy(personas), kind="implementation", status="open"
    )
    with pytest.raises(ValidationError):
        propose(personas, policy, "kent", engagement=other)


def test_a_membership_ended_since_acts_for_nobody(personas, proposed):
    kent = personas.kent_commissioner
    membership = membership_of(kent)
    Membership.objects.filter(pk=membership.pk).update(ended_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.agreement_accept(agreement=proposed, by=kent, membership=membership)
    proposed.refresh_from_db()
    assert proposed.state == AgreementState.PROPOSED
