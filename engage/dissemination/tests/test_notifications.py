"""A dissemination request tells the members of the bodies asked; its due date near, the
sweep reminds the bodies still to answer; a body's first answer tells the policy's leads and
the requester. Each through the one notification path (decision 17): decided when the delivery
task runs, through the access rules (DESIGN.md section 6), never the outsider, a body not asked
or a person whose membership has ended; the email names the kind and the link, the
engagement's title only when TLP:CLEAR or TLP:GREEN, never the message or the answer."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from engage.accounts.models import Membership, Role, User
from engage.core.labels import Label
from engage.dissemination.models import DisseminationConfirmation, DisseminationRequest
from engage.dissemination.reminders import disseminations_remind_due
from engage.engagements.models import Engagement
from engage.notifications.models import Event, EventKind, Notification
from engage.notifications.registry import recipients_for
from engage.notifications.tasks import deliver_event
from engage.notifications.tests.helpers import DB_TASKS, sent
from engage.notifications.tests.helpers import told as told_of

from .conftest import LINK, MESSAGE, TO_WHOM, confirm, in_days, make_request

pytestmark = pytest.mark.django_db

TITLE = "Victims code: local commissioning"  # engagement_fields' default title


def told(request) -> set[str]:
    return told_of(EventKind.DISSEMINATION_REQUESTED, request)


def emails(personas, *keys: str) -> set[str]:
    return {getattr(personas, key).email for key in keys}


def test_a_request_tells_the_members_of_the_bodies_asked_only(personas, consultation):
    mail.outbox.clear()
    request = make_request(consultation, personas.moj_lead)
    # Gwent and Kent are asked; Dorset (another body, not addressed), the lead, the APCC, the
    # voluntary sector and the outsider are not told.
    expected = emails(personas, "gwent_commissioner", "gwent_staff", "kent_commissioner")
    assert told(request) == expected
    assert sent() == sorted(expected)
    link = reverse("dissemination:detail", args=[request.public_id])
    for message in mail.outbox:
        assert len(message.to) == 1
        assert "dissemination" in message.subject.lower()
        assert link in message.body
        assert MESSAGE not in f"{message.subject}\n{message.body}"
        assert TITLE not in f"{message.subject}\n{message.body}"  # TLP:AMBER+STRICT


@pytest.mark.parametrize(
    ("label", "title_told"),
    [(Label.AMBER_STRICT, False), (Label.AMBER, False), (Label.GREEN, True), (Label.CLEAR, True)],
)
def test_the_title_is_told_only_under_clear_or_green(personas, consultation, label, title_told):
    Engagement.objects.filter(pk=consultation.pk).update(label=label)  # as if released wider
    consultation.refresh_from_db()
    mail.outbox.clear()
    request = make_request(consultation, personas.moj_lead)
    event = Event.objects.get(subject_id=request.public_id)
    assert (event.title == TITLE) is title_told
    assert mail.outbox
    for message in mail.outbox:
        assert (TITLE in message.body) is title_told
        assert MESSAGE not in f"{message.subject}\n{message.body}"


def test_a_membership_ended_before_delivery_tells_nobody(personas, consultation, settings):
    settings.TASKS = DB_TASKS
    request = make_request(consultation, personas.moj_lead)
    Membership.objects.filter(user=personas.kent_commissioner).update(ended_at=timezone.now())
    event = Event.objects.get(subject_id=request.public_id)
    mail.outbox.clear()
    deliver_event.call(event_id=event.pk)
    expected = emails(personas, "gwent_commissioner", "gwent_staff")
    assert told(request) == expected
    assert sent() == sorted(expected)


def test_the_task_twice_tells_each_person_once(personas, consultation):
    request = make_request(consultation, personas.moj_lead)
    event = Event.objects.get(subject_id=request.public_id)
    mail.outbox.clear()
    assert deliver_event.call(event_id=event.pk) == 0
    assert mail.outbox == []
    assert Notification.objects.filter(event=event).count() == 3


# Due soon ---------------------------------------------------------------------------------


def at_day(days: int) -> datetime.datetime:
    """Noon, UK time, `days` from today: the sweep's clock."""
    moment = datetime.datetime.combine(in_days(days), datetime.time(12))
    return timezone.make_aware(moment)


def reminders(request) -> QuerySet[Event]:
    return Event.objects.filter(kind=EventKind.DISSEMINATION_DUE, subject_id=request.public_id)


def told_due(request) -> set[str]:
    return set(
        Notification.objects.filter(event__in=reminders(request)).values_list(
            "user__email", flat=True
        )
    )


def test_the_sweep_reminds_once_inside_the_window_only(personas, asked):
    """Due in 14 days: nothing until two days before, then one reminder, then nothing more,
    and nothing once past due."""
    assert asked.due_on == in_days(14)
    assert disseminations_remind_due(at_day(0)) == 0
    assert disseminations_remind_due(at_day(11)) == 0  # three days before
    assert not reminders(asked).exists()
    mail.outbox.clear()
    assert disseminations_remind_due(at_day(12)) == 1  # two days before
    assert disseminations_remind_due(at_day(12)) == 0  # the same run again
    assert disseminations_remind_due(at_day(14)) == 0  # the due day: already reminded
    assert reminders(asked).count() == 1
    assert reminders(asked).get().context["due_on"] == asked.due_on.isoformat()
    expected = emails(personas, "gwent_commissioner", "gwent_staff", "kent_commissioner")
    assert told_due(asked) == expected
    assert sent() == sorted(expected)
    link = reverse("dissemination:detail", args=[asked.public_id])
    for message in mail.outbox:
        assert "dissemination" in message.subject.lower()
        assert "due" in message.subject.lower()
        assert link in message.body
        assert MESSAGE not in f"{message.subject}\n{message.body}"
        assert TITLE not in f"{message.subject}\n{message.body}"  # TLP:AMBER+STRICT


def test_missed_runs_are_caught_up_but_a_request_past_due_is_not_reminded(personas, consultation):
    tomorrow = make_request(consultation, personas.moj_lead, due_on=in_days(1))
    later = make_request(consultation, personas.moj_lead, due_on=in_days(2))
    # No run until `later`'s due day: it is still reminded (a window, not an exact day).
    assert disseminations_remind_due(at_day(2)) == 1
    assert reminders(later).count() == 1
    assert not reminders(tomorrow).exists()  # past due by then: its pages say overdue


def test_a_body_that_answered_is_not_reminded_and_all_answered_reminds_nobody(
    personas, consultation
):
    request = make_request(consultation, personas.moj_lead, due_on=in_days(2))
    confirm(request, personas.gwent_staff)
    mail.outbox.clear()
    assert disseminations_remind_due(at_day(0)) == 1
    assert told_due(request) == emails(personas, "kent_commissioner")
    assert sent() == [personas.kent_commissioner.email]
    other = make_request(consultation, personas.moj_lead, due_on=in_days(2))
    confirm(other, personas.gwent_staff)
    confirm(other, personas.kent_commissioner)
    assert disseminations_remind_due(at_day(0)) == 0
    assert not reminders(other).exists()


def test_a_body_that_answers_before_delivery_is_not_reminded(personas, consultation, settings):
    settings.TASKS = DB_TASKS
    request = make_request(consultation, personas.moj_lead, due_on=in_days(2))
    assert disseminations_remind_due(at_day(0)) == 1
    confirm(request, personas.kent_commissioner)
    Membership.objects.filter(user=personas.gwent_staff).update(ended_at=timezone.now())
    mail.outbox.clear()
    deliver_event.call(event_id=reminders(request).get().pk)
    assert told_due(request) == emails(personas, "gwent_commissioner")
    assert sent() == [personas.gwent_commissioner.email]


def test_a_reminder_delivered_after_the_due_date_tells_nobody(personas, consultation, settings):
    """A reminder recorded before the due date but delivered after it (a late worker, a
    next-day summary) would arrive too late: nobody is told."""
    settings.TASKS = DB_TASKS
    request = make_request(consultation, personas.moj_lead, due_on=in_days(1))
    assert disseminations_remind_due(at_day(0)) == 1
    event = reminders(request).get()
    assert len(recipients_for(event)) == 3
    # As if the days went by: the request, and the date the reminder recorded, now past.
    yesterday = in_days(-1)
    DisseminationRequest.objects.filter(pk=request.pk).update(due_on=yesterday)
    reminders(request).update(context={**event.context, "due_on": yesterday.isoformat()})
    mail.outbox.clear()
    deliver_event.call(event_id=event.pk)
    assert told_due(request) == set()
    assert mail.outbox == []


def test_a_reminder_for_a_due_date_since_moved_tells_nobody(personas, consultation, settings):
    settings.TASKS = DB_TASKS
    request = make_request(consultation, personas.moj_lead, due_on=in_days(1))
    assert disseminations_remind_due(at_day(0)) == 1
    DisseminationRequest.objects.filter(pk=request.pk).update(due_on=in_days(20))
    mail.outbox.clear()
    deliver_event.call(event_id=reminders(request).get().pk)
    assert told_due(request) == set()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("label", "title_told"),
    [(Label.AMBER_STRICT, False), (Label.AMBER, False), (Label.GREEN, True), (Label.CLEAR, True)],
)
def test_the_reminder_tells_the_title_only_under_clear_or_green(
    personas, consultation, label, title_told
):
    Engagement.objects.filter(pk=consultation.pk).update(label=label)
    consultation.refresh_from_db()
    request = make_request(consultation, personas.moj_lead, due_on=in_days(0))
    mail.outbox.clear()
    assert disseminations_remind_due(at_day(0)) == 1
    assert (reminders(request).get().title == TITLE) is title_told
    assert mail.outbox
    for message in mail.outbox:
        assert (TITLE in message.body) is title_told
        assert MESSAGE not in f"{message.subject}\n{message.body}"


def test_the_reminders_recipients_cost_the_same_for_one_body_or_several(
    personas, consultation, django_assert_num_queries
):
    both = make_request(consultation, personas.moj_lead, due_on=in_days(1))
    one = make_request(consultation, personas.moj_lead, due_on=in_days(1))
    confirm(one, personas.gwent_staff)
    disseminations_remind_due(at_day(0))
    for request, count in ((both, 3), (one, 1)):
        event = reminders(request).get()
        with django_assert_num_queries(2):  # the request, then the people
            assert len(recipients_for(event)) == count


# Confirmed --------------------------------------------------------------------------------


@pytest.fixture
def moj_staff(personas, moj) -> User:
    """Another policy lead of the MoJ, not one of this policy's own leads: the requester."""
    user = User.objects.create_user(email="staff@moj.example.org", password="unused-password")
    Membership.objects.create(user=user, organisation=moj, role=Role.POLICY_LEAD)
    return user


def told_confirmed(confirmation) -> set[str]:
    event = Event.objects.get(
        kind=EventKind.DISSEMINATION_CONFIRMED, subject_id=confirmation.public_id
    )
    return set(Notification.objects.filter(event=event).values_list("user__email", flat=True))


def test_a_first_answer_tells_the_policy_lead_and_the_requester_only(
    personas, consultation, moj_staff
):
    request = make_request(consultation, moj_staff)
    mail.outbox.clear()
    confirmation = confirm(request, personas.gwent_staff)
    # Not the answering body (its commissioner), Kent, the APCC, the outsider.
    expected = {personas.moj_lead.email, moj_staff.email}
    assert told_confirmed(confirmation) == expected
    assert sent() == sorted(expected)
    link = reverse("dissemination:detail", args=[request.public_id])
    for message in mail.outbox:
        assert "dissemination confirmed" in message.subject.lower()
        assert str(confirmation.body) in message.subject
        assert link in message.body
        text = f"{message.subject}\n{message.body}"
        assert TO_WHOM not in text
        assert LINK not in text
        assert MESSAGE not in text
        assert TITLE not in text  # TLP:AMBER+STRICT
    # A correction tells nobody again.
    mail.outbox.clear()
    confirm(request, personas.gwent_staff, to_whom="The community safety partnership")
    assert Event.objects.filter(kind=EventKind.DISSEMINATION_CONFIRMED).count() == 1
    assert mail.outbox == []


def test_those_told_of_an_answer_read_it(personas, consultation, moj_staff):
    """The provider agrees with `visible_to`: everyone told reads the answer, and among the
    readers only the answering body and the APCC are left out."""
    request = make_request(consultation, moj_staff)
    confirmation = confirm(request, personas.gwent_staff)
    people = [*(getattr(personas, key) for key in vars(personas)), moj_staff]
    readers = {
        person.email
        for person in people
        if DisseminationConfirmation.objects.visible_to(person).filter(pk=confirmation.pk).exists()
    }
    told = told_confirmed(confirmation)
    assert told <= readers
    assert readers - told == emails(personas, "gwent_commissioner", "gwent_staff", "secretariat")
    assert personas.outsider.email not in readers


@pytest.mark.parametrize(
    ("label", "title_told"),
    [(Label.AMBER_STRICT, False), (Label.AMBER, False), (Label.GREEN, True), (Label.CLEAR, True)],
)
def test_the_answer_tells_the_title_only_under_clear_or_green(
    personas, consultation, label, title_told
):
    Engagement.objects.filter(pk=consultation.pk).update(label=label)
    consultation.refresh_from_db()
    request = make_request(consultation, personas.moj_lead)
    mail.outbox.clear()
    confirmation = confirm(request, personas.gwent_staff)
    event = Event.objects.get(subject_id=confirmation.public_id)
    assert (event.title == TITLE) is title_told
    assert mail.outbox
    for message in mail.outbox:
        assert (TITLE in message.body) is title_told
        assert TO_WHOM not in f"{message.subject}\n{message.body}"


def test_a_requester_who_left_before_delivery_is_not_told(
    personas, consultation, moj_staff, settings
):
    settings.TASKS = DB_TASKS
    request = make_request(consultation, moj_staff)
    confirmation = confirm(request, personas.gwent_staff)
    Membership.objects.filter(user=moj_staff).update(ended_at=timezone.now())
    event = Event.objects.get(subject_id=confirmation.public_id)
    mail.outbox.clear()
    deliver_event.call(event_id=event.pk)
    assert told_confirmed(confirmation) == {personas.moj_lead.email}
    assert sent() == [personas.moj_lead.email]


def test_an_answer_rolled_back_tells_nobody(personas, asked, settings):
    settings.TASKS = DB_TASKS

    def answer_that_fails() -> None:
        with transaction.atomic():
            confirm(asked, personas.gwent_staff)
            assert Event.objects.filter(kind=EventKind.DISSEMINATION_CONFIRMED).exists()
            raise RuntimeError("the change fails")

    with pytest.raises(RuntimeError):
        answer_that_fails()
    assert not Event.objects.filter(kind=EventKind.DISSEMINATION_CONFIRMED).exists()
    assert not DBTaskResult.objects.filter(task_path__endswith="deliver_event").exists()


def test_the_answers_recipients_cost_the_same_however_many_leads(
    personas, consultation, moj_staff, django_assert_num_queries
):
    request = make_request(consultation, moj_staff)
    confirmation = confirm(request, personas.gwent_staff)
    event = Event.objects.get(subject_id=confirmation.public_id)
    with django_assert_num_queries(4) as captured:
        assert len(recipients_for(event)) == 2
    consultation.policy.policy_leads.add(moj_staff, personas.ho_lead)  # ho_lead: not in MoJ
    with django_assert_num_queries(len(captured)):
        assert len(recipients_for(event)) == 2
