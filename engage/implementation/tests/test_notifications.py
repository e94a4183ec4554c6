"""An implementation proposal tells those who answer for the body; an agreement tells both
parties; a milestone marked at risk, or gone overdue (a periodic sweep), tells both parties.
Each through the one notification path (decision 17): who is told is decided when the delivery
task runs, through the agreement's reading rule (`visible_to`), never the outsider, another
body or the APCC; an email names the kind and the link, never the policy's title (whatever
the agreement's label: the title is not the agreement's), the terms, a milestone or a note."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from engage.accounts.models import Membership
from engage.conftest import EVERYONE
from engage.core.labels import Label
from engage.implementation import services
from engage.implementation.models import (
    AgreementState,
    ImplementationAgreement,
    Milestone,
    MilestoneStatus,
)
from engage.implementation.services.overdue import CATCH_UP, milestones_tell_overdue
from engage.notifications.models import Event, EventKind
from engage.notifications.registry import recipients_for
from engage.notifications.tasks import deliver_event
from engage.notifications.tests.helpers import DB_TASKS, sent, told
from engage.policies.models import Policy, TriageOutcome
from engage.responses.services import delegation_grant

from .conftest import ROLE, SUPPORT, accept, add_milestone, body, in_days, membership_of, propose
from .conftest import update as milestone_update

pytestmark = pytest.mark.django_db

MILESTONE = "Board signs off the local delivery plan"
NOTE = "The board meeting was cancelled; the plan slips."


def emails(personas, *keys: str) -> set[str]:
    return {getattr(personas, key).email for key in keys}


def texts() -> list[str]:
    return [f"{message.subject}\n{message.body}" for message in mail.outbox]


def readers(personas, agreement) -> set[str]:
    return {
        getattr(personas, key).email
        for key in EVERYONE
        if ImplementationAgreement.objects.visible_to(getattr(personas, key))
        .filter(pk=agreement.pk)
        .exists()
    }


def at_day(days: int) -> datetime.datetime:
    """Noon, UK time, `days` from today: the sweep's clock."""
    return timezone.make_aware(datetime.datetime.combine(in_days(days), datetime.time(12)))


@pytest.fixture
def gwent_agreed(personas, policy) -> ImplementationAgreement:
    """A role agreed with Gwent (two members: its commissioner and OPCC staff)."""
    agreement = propose(personas, policy, "gwent")[0]
    return accept(agreement, personas.gwent_commissioner)


# Proposed ---------------------------------------------------------------------------------


def test_a_proposal_tells_those_who_answer_for_each_body_only(personas, policy):
    mail.outbox.clear()
    gwent, kent = propose(personas, policy, "gwent", "kent")
    # Gwent's OPCC staff (not delegated), the lead, the APCC, Dorset, the outsider: not told.
    assert told(EventKind.IMPLEMENTATION_PROPOSED, gwent) == emails(personas, "gwent_commissioner")
    assert told(EventKind.IMPLEMENTATION_PROPOSED, kent) == emails(personas, "kent_commissioner")
    assert sent() == sorted(emails(personas, "gwent_commissioner", "kent_commissioner"))
    links = {reverse("implementation:detail", args=[a.public_id]) for a in (gwent, kent)}
    for message, text in zip(mail.outbox, texts(), strict=True):
        assert "implementation proposal" in message.subject.lower()
        assert any(link in message.body for link in links)
        assert ROLE not in text
        assert SUPPORT not in text
        assert policy.title not in text  # TLP:AMBER+STRICT by default


def test_a_delegate_is_told_and_a_delegate_who_left_before_delivery_is_not(
    personas, policy, settings
):
    gwent = body("gwent")
    delegation_grant(body=gwent, delegate=personas.gwent_staff, by=personas.gwent_commissioner)
    agreement = propose(personas, policy, "gwent")[0]
    assert told(EventKind.IMPLEMENTATION_PROPOSED, agreement) == emails(
        personas, "gwent_commissioner", "gwent_staff"
    )
    settings.TASKS = DB_TASKS
    other = propose(personas, policy, "kent")[0]
    services.agreement_withdraw(agreement=agreement, by=personas.moj_lead, reason="Not needed.")
    again = propose(personas, policy, "gwent")[0]
    Membership.objects.filter(user=personas.gwent_staff).update(ended_at=timezone.now())
    mail.outbox.clear()
    for made in (other, again):
        deliver_event.call(event_id=Event.objects.get(subject_id=made.public_id).pk)
    assert told(EventKind.IMPLEMENTATION_PROPOSED, again) == emails(personas, "gwent_commissioner")
    assert sent() == sorted(emails(personas, "gwent_commissioner", "kent_commissioner"))


def test_a_proposal_withdrawn_before_delivery_tells_nobody(personas, policy, settings):
    settings.TASKS = DB_TASKS
    agreement = propose(personas, policy, "kent")[0]
    services.agreement_withdraw(agreement=agreement, by=personas.moj_lead, reason="Not needed.")
    mail.outbox.clear()
    deliver_event.call(event_id=Event.objects.get(subject_id=agreement.public_id).pk)
    assert told(EventKind.IMPLEMENTATION_PROPOSED, agreement) == set()
    assert mail.outbox == []


def test_a_revision_tells_those_who_answer_again(personas, proposed):
    services.agreement_propose_changes(
        agreement=proposed,
        by=personas.kent_commissioner,
        membership=membership_of(personas.kent_commissioner),
        role=ROLE,
        due_on=in_days(120),
        support=SUPPORT,
        note="We need more time.",
    )
    mail.outbox.clear()
    services.agreement_revise(
        agreement=proposed,
        by=personas.moj_lead,
        role=ROLE,
        due_on=in_days(100),
        support=SUPPORT,
        label=Label.AMBER_STRICT,
        note="Meet halfway.",
    )
    events = Event.objects.filter(
        kind=EventKind.IMPLEMENTATION_PROPOSED, subject_id=proposed.public_id
    )
    assert events.count() == 2
    assert events.filter(context__revised=True).count() == 1
    assert sent() == [personas.kent_commissioner.email]
    assert "revised" in mail.outbox[0].subject.lower()
    assert "Meet halfway." not in texts()[0]


def test_a_proposal_rolled_back_tells_nobody(personas, policy, settings):
    settings.TASKS = DB_TASKS

    def proposal_that_fails() -> None:
        with transaction.atomic():
            propose(personas, policy, "kent")
            assert Event.objects.filter(kind=EventKind.IMPLEMENTATION_PROPOSED).exists()
            raise RuntimeError("the change fails")

    with pytest.raises(RuntimeError):
        proposal_that_fails()
    assert not Event.objects.filter(kind=EventKind.IMPLEMENTATION_PROPOSED).exists()
    assert not DBTaskResult.objects.filter(task_path__endswith="deliver_event").exists()


# Accepted ---------------------------------------------------------------------------------


def test_the_body_accepting_tells_the_lead_and_the_bodys_other_members(personas, policy):
    agreement = propose(personas, policy, "gwent", "kent")[0]
    mail.outbox.clear()
    accept(agreement, personas.gwent_commissioner)
    expected = emails(personas, "moj_lead", "gwent_staff")  # not the commissioner: the actor
    assert told(EventKind.IMPLEMENTATION_ACCEPTED, agreement) == expected
    assert sent() == sorted(expected)
    assert told(EventKind.IMPLEMENTATION_ACCEPTED, agreement) <= readers(personas, agreement)
    link = reverse("implementation:detail", args=[agreement.public_id])
    for message, text in zip(mail.outbox, texts(), strict=True):
        assert "agreed" in message.subject.lower()
        assert link in message.body
        assert ROLE not in text
        assert SUPPORT not in text


def test_the_lead_accepting_changes_tells_the_body(personas, policy):
    agreement = propose(personas, policy, "gwent")[0]
    services.agreement_propose_changes(
        agreement=agreement,
        by=personas.gwent_commissioner,
        membership=membership_of(personas.gwent_commissioner),
        role=ROLE,
        due_on=in_days(120),
        support=SUPPORT,
        note="We need more time.",
    )
    mail.outbox.clear()
    services.agreement_accept_changes(agreement=agreement, by=personas.moj_lead)
    expected = emails(personas, "gwent_commissioner", "gwent_staff")
    assert told(EventKind.IMPLEMENTATION_ACCEPTED, agreement) == expected
    assert sent() == sorted(expected)


def test_a_screened_out_policy_tells_its_owner_only(personas, policy, settings):
    settings.TASKS = DB_TASKS
    agreement = propose(personas, policy, "gwent")[0]
    accept(agreement, personas.gwent_commissioner)
    Policy.objects.filter(pk=policy.pk).update(triage_outcome=TriageOutcome.SCREENED_OUT)
    event = Event.objects.get(kind=EventKind.IMPLEMENTATION_ACCEPTED)
    deliver_event.call(event_id=event.pk)
    assert told(EventKind.IMPLEMENTATION_ACCEPTED, agreement) == emails(personas, "moj_lead")
    assert told(EventKind.IMPLEMENTATION_ACCEPTED, agreement) == readers(personas, agreement)


def test_the_parties_cost_the_same_for_one_person_or_several(
    personas, policy, django_assert_num_queries
):
    gwent = accept(propose(personas, policy, "gwent")[0], personas.gwent_commissioner)
    kent = accept(propose(personas, policy, "kent")[0], personas.kent_commissioner)
    for agreement, count in ((gwent, 3), (kent, 2)):
        event = Event.objects.get(
            kind=EventKind.IMPLEMENTATION_ACCEPTED, subject_id=agreement.public_id
        )
        with django_assert_num_queries(2):  # the agreement, then the people
            assert len(recipients_for(event)) == count  # the actor is left out by the task


# At risk ----------------------------------------------------------------------------------


def test_a_milestone_marked_at_risk_tells_both_parties_once(personas, gwent_agreed):
    milestone = add_milestone(gwent_agreed, personas.gwent_staff, title=MILESTONE)
    milestone_update(milestone, personas.gwent_staff, MilestoneStatus.ON_TRACK)
    assert not Event.objects.filter(kind=EventKind.MILESTONE_AT_RISK).exists()
    mail.outbox.clear()
    milestone_update(milestone, personas.gwent_staff, MilestoneStatus.AT_RISK, note=NOTE)
    expected = emails(personas, "moj_lead", "gwent_commissioner")
    assert told(EventKind.MILESTONE_AT_RISK, milestone) == expected
    assert sent() == sorted(expected)
    link = reverse("implementation:detail", args=[gwent_agreed.public_id])
    for message, text in zip(mail.outbox, texts(), strict=True):
        assert "at risk" in message.subject.lower()
        assert link in message.body
        assert MILESTONE not in text
        assert NOTE not in text
    # A note while still at risk tells nobody again.
    milestone_update(milestone, personas.moj_lead, MilestoneStatus.AT_RISK, note="Noted.")
    assert Event.objects.filter(kind=EventKind.MILESTONE_AT_RISK).count() == 1


def test_a_milestone_back_on_track_before_delivery_tells_nobody(personas, gwent_agreed, settings):
    settings.TASKS = DB_TASKS
    milestone = add_milestone(gwent_agreed, personas.gwent_staff, title=MILESTONE)
    milestone_update(milestone, personas.gwent_staff, MilestoneStatus.AT_RISK)
    milestone_update(milestone, personas.gwent_staff, MilestoneStatus.ON_TRACK)
    mail.outbox.clear()
    deliver_event.call(event_id=Event.objects.get(kind=EventKind.MILESTONE_AT_RISK).pk)
    assert told(EventKind.MILESTONE_AT_RISK, milestone) == set()
    assert mail.outbox == []


# Overdue ----------------------------------------------------------------------------------


def overdue_events(milestone):
    return Event.objects.filter(kind=EventKind.MILESTONE_OVERDUE, subject_id=milestone.public_id)


def test_the_sweep_tells_an_overdue_milestone_once(personas, gwent_agreed):
    milestone = add_milestone(gwent_agreed, personas.gwent_staff, title=MILESTONE, days=30)
    assert milestones_tell_overdue(at_day(0)) == 0
    assert milestones_tell_overdue(at_day(30)) == 0  # due today: not overdue yet
    mail.outbox.clear()
    assert milestones_tell_overdue(at_day(31)) == 1
    assert milestones_tell_overdue(at_day(31)) == 0  # the same run again
    assert milestones_tell_overdue(at_day(33)) == 0  # still overdue: told already
    assert overdue_events(milestone).get().context["due_on"] == milestone.due_on.isoformat()
    # Both parties, the sweep being nobody: Gwent's members and the lead.
    expected = emails(personas, "moj_lead", "gwent_commissioner", "gwent_staff")
    assert told(EventKind.MILESTONE_OVERDUE, milestone) == expected
    assert expected <= readers(personas, gwent_agreed)
    assert sent() == sorted(expected)
    for message, text in zip(mail.outbox, texts(), strict=True):
        assert "overdue" in message.subject.lower()
        assert reverse("implementation:detail", args=[gwent_agreed.public_id]) in message.body
        assert MILESTONE not in text


def test_missed_runs_are_caught_up_within_a_week_and_done_milestones_are_not_told(
    personas, gwent_agreed
):
    late = add_milestone(gwent_agreed, personas.gwent_staff, title="Late", days=10)
    long_late = add_milestone(gwent_agreed, personas.gwent_staff, title="Long late", days=3)
    done = add_milestone(gwent_agreed, personas.gwent_staff, title="Done", days=5)
    milestone_update(done, personas.gwent_staff, MilestoneStatus.DONE)
    # The first run for days: `late` went overdue five days ago (inside the window), and
    # `long_late` twelve (outside it).
    assert 5 <= CATCH_UP.days < 12
    assert milestones_tell_overdue(at_day(15)) == 1
    assert overdue_events(late).count() == 1
    assert not overdue_events(long_late).exists()
    assert not overdue_events(done).exists()


def test_a_milestone_whose_date_moved_is_told_again_when_it_passes(personas, gwent_agreed):
    milestone = add_milestone(gwent_agreed, personas.gwent_staff, title=MILESTONE, days=10)
    assert milestones_tell_overdue(at_day(11)) == 1
    Milestone.objects.filter(pk=milestone.pk).update(due_on=in_days(20))  # as if moved
    assert milestones_tell_overdue(at_day(12)) == 0  # not overdue any more
    assert milestones_tell_overdue(at_day(21)) == 1
    assert sorted(overdue_events(milestone).values_list("context__due_on", flat=True)) == sorted(
        [in_days(10).isoformat(), in_days(20).isoformat()]
    )


def test_an_overdue_milestone_done_before_delivery_tells_nobody(personas, gwent_agreed, settings):
    settings.TASKS = DB_TASKS
    milestone = add_milestone(gwent_agreed, personas.gwent_staff, title=MILESTONE, days=10)
    assert milestones_tell_overdue(at_day(11)) == 1
    milestone_update(milestone, personas.gwent_staff, MilestoneStatus.DONE)
    mail.outbox.clear()
    deliver_event.call(event_id=overdue_events(milestone).get().pk)
    assert told(EventKind.MILESTONE_OVERDUE, milestone) == set()
    assert mail.outbox == []


def test_a_screened_out_policy_is_not_swept(personas, gwent_agreed, policy):
    add_milestone(gwent_agreed, personas.gwent_staff, title=MILESTONE, days=10)
    Policy.objects.filter(pk=policy.pk).update(triage_outcome=TriageOutcome.SCREENED_OUT)
    assert milestones_tell_overdue(at_day(11)) == 0


# Every kind: never the policy's title, whatever the agreement's label --------------------


@pytest.mark.parametrize("label", [Label.AMBER_STRICT, Label.AMBER, Label.GREEN, Label.CLEAR])
def test_every_kind_never_tells_the_policy_title_whatever_the_label(personas, policy, label):
    """The policy's title is governed by the policy (TLP:AMBER+STRICT in the agreement's
    export), not by the agreement's label: even a TLP:CLEAR agreement does not tell it."""
    mail.outbox.clear()
    agreement = propose(personas, policy, "gwent", label=label)[0]
    accept(agreement, personas.gwent_commissioner)
    milestone = add_milestone(agreement, personas.gwent_staff, title=MILESTONE, days=10)
    milestone_update(milestone, personas.gwent_staff, MilestoneStatus.AT_RISK, note=NOTE)
    assert milestones_tell_overdue(at_day(11)) == 1
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {
        EventKind.IMPLEMENTATION_PROPOSED,
        EventKind.IMPLEMENTATION_ACCEPTED,
        EventKind.MILESTONE_AT_RISK,
        EventKind.MILESTONE_OVERDUE,
    } <= kinds
    assert all(event.title == "" for event in Event.objects.all())
    assert len(mail.outbox) >= 4
    link = reverse("implementation:detail", args=[agreement.public_id])
    for message, text in zip(mail.outbox, texts(), strict=True):
        assert link in message.body
        for content in (policy.title, ROLE, SUPPORT, MILESTONE, NOTE):
            assert content not in text


def test_the_agreement_states_the_providers_ask_about(personas, proposed):
    """A provider reads the state now: a proposal accepted is no longer one to answer."""
    event = Event.objects.get(kind=EventKind.IMPLEMENTATION_PROPOSED)
    assert list(recipients_for(event)) == [personas.kent_commissioner]
    accept(proposed, personas.kent_commissioner)
    assert ImplementationAgreement.objects.get(pk=proposed.pk).state == AgreementState.AGREED
    assert list(recipients_for(event)) == []
