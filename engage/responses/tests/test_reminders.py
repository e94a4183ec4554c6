"""A response deadline near reminds the bodies addressed that have not submitted yet: a
periodic task finds, from the data, each open engagement whose deadline is within 7 days (and
more than 2) or within 2 days (and not passed) and records one event per engagement and kind;
who is told is decided when each is delivered, through the access rules (the members of the
bodies yet to submit who read the engagement), never the owner, the APCC, another body or the
outsider. The clock is the task's parameter."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engage.accounts.models import Membership, Organisation
from engage.core.labels import Label
from engage.core.periodic import periodic_tasks
from engage.directory.tests.factories import MembershipFactory
from engage.engagements import services as engagement_services
from engage.engagements.models import Engagement
from engage.notifications.models import Event, EventKind, Notification
from engage.notifications.registry import recipients_for
from engage.notifications.tasks import deliver_event
from engage.notifications.tests.helpers import DB_TASKS, names
from engage.responses.reminders import deadline_reminders_due, deadline_reminders_record

from .fixtures import FREE_TEXT, consultation, submitted

# Fixtures, registered by name (see fixtures.py).
from .fixtures import opened_fixture as opened_fixture
from .fixtures import policy_fixture as policy_fixture
from .fixtures import victims_fixture as victims_fixture

pytestmark = pytest.mark.django_db

TITLE = "Victims code: local commissioning"  # engagement_fields' default title
DEADLINE_DAYS = 21  # engagement_fields' default deadline, from today


def days_left(days: int):
    """The moment when the default deadline is `days` days away."""
    return timezone.now() + timedelta(days=DEADLINE_DAYS - days)


def reminders(kind: str | None = None) -> list[tuple[str, object]]:
    events = Event.objects.filter(kind__in=[kind] if kind else REMINDERS)
    return list(events.order_by("pk").values_list("kind", "subject_id"))


REMINDERS = (EventKind.DEADLINE_7_DAYS, EventKind.DEADLINE_2_DAYS)


def told(kind: str) -> set[str]:
    return set(Notification.objects.filter(event__kind=kind).values_list("user__email", flat=True))


def test_the_schedule_records_each_reminder_once_in_its_window(opened):
    assert deadline_reminders_record(at=days_left(8)) == 0  # before the window: nothing
    assert reminders() == []
    assert deadline_reminders_record(at=days_left(7)) == 1
    assert reminders() == [(EventKind.DEADLINE_7_DAYS, opened.public_id)]
    assert deadline_reminders_record(at=days_left(7)) == 0  # a second run: nothing more
    assert deadline_reminders_record(at=days_left(3)) == 0
    assert deadline_reminders_record(at=days_left(2)) == 1
    assert deadline_reminders_record(at=days_left(0)) == 0
    assert deadline_reminders_record(at=days_left(-1)) == 0  # passed
    assert reminders() == [
        (EventKind.DEADLINE_7_DAYS, opened.public_id),
        (EventKind.DEADLINE_2_DAYS, opened.public_id),
    ]


def test_missed_runs_are_caught_up_within_the_window(opened):
    assert deadline_reminders_record(at=days_left(4)) == 1
    assert reminders() == [(EventKind.DEADLINE_7_DAYS, opened.public_id)]


def test_an_engagement_first_seen_two_days_before_gets_the_two_day_reminder_only(opened):
    assert deadline_reminders_record(at=days_left(1)) == 1
    assert reminders() == [(EventKind.DEADLINE_2_DAYS, opened.public_id)]


def test_a_passed_deadline_is_not_reminded(opened):
    assert deadline_reminders_record(at=days_left(-1)) == 0
    assert reminders() == []


def test_a_closed_engagement_or_one_every_body_answered_is_not_reminded(
    personas, opened, policy, victims
):
    submitted(opened, personas.gwent_commissioner)
    submitted(opened, personas.kent_commissioner)
    closed = consultation(personas, policy, groups=[victims])
    engagement_services.engagement_close(engagement=closed, by=personas.moj_lead)
    assert deadline_reminders_record(at=days_left(7)) == 0
    assert reminders() == []


def test_the_periodic_task_is_registered_and_records_from_now(opened):
    assert deadline_reminders_due.module_path in {p.name for p in periodic_tasks()}
    Engagement.objects.filter(pk=opened.pk).update(
        response_deadline=timezone.localdate() + timedelta(days=5)
    )
    assert deadline_reminders_due.call() == 1
    assert reminders() == [(EventKind.DEADLINE_7_DAYS, opened.public_id)]


# Who is told -----------------------------------------------------------------------------


@pytest.mark.parametrize("days", [7, 2])
def test_the_members_of_the_bodies_yet_to_submit_are_reminded(personas, opened, days):
    submitted(opened, personas.gwent_commissioner)
    mail.outbox.clear()
    deadline_reminders_record(at=days_left(days))
    kind = EventKind.DEADLINE_7_DAYS if days == 7 else EventKind.DEADLINE_2_DAYS
    # Kent has not submitted; Gwent has. Not the owner, the APCC, Dorset, the outsider.
    assert told(kind) == names(personas, "kent_commissioner")
    (message,) = mail.outbox
    assert message.to == [personas.kent_commissioner.email]
    assert "response deadline" in message.subject
    assert f"{days} days" in message.subject
    assert reverse("engagements:detail", args=[opened.public_id]) in message.body
    assert f"{opened.response_deadline:%-d %B %Y}" in message.body  # e.g. 7 December 2026
    assert TITLE not in f"{message.subject}\n{message.body}"  # TLP:AMBER+STRICT
    assert opened.body not in message.body
    assert FREE_TEXT not in message.body


def test_everyone_of_a_body_preparing_or_submitting_is_reminded(personas, opened):
    deadline_reminders_record(at=days_left(7))
    assert told(EventKind.DEADLINE_7_DAYS) == names(
        personas, "gwent_commissioner", "gwent_staff", "kent_commissioner"
    )


def test_on_the_apace_route_the_chief_executives_are_reminded(personas, policy):
    consultation(personas, policy, route="apace")
    deadline_reminders_record(at=days_left(7))
    assert told(EventKind.DEADLINE_7_DAYS) == names(personas, "surrey_ceo")


@pytest.mark.parametrize(
    ("label", "title_told"),
    [(Label.AMBER_STRICT, False), (Label.AMBER, False), (Label.GREEN, True), (Label.CLEAR, True)],
)
def test_the_title_is_told_only_under_clear_or_green(opened, label, title_told):
    Engagement.objects.filter(pk=opened.pk).update(label=label)
    mail.outbox.clear()
    deadline_reminders_record(at=days_left(7))
    assert mail.outbox
    for message in mail.outbox:
        assert (TITLE in message.body) is title_told
        assert TITLE not in message.subject


def test_a_body_that_submits_before_delivery_is_not_reminded(personas, opened, settings):
    settings.TASKS = DB_TASKS
    deadline_reminders_record(at=days_left(7))
    submitted(opened, personas.kent_commissioner)
    Membership.objects.filter(user=personas.gwent_staff).update(ended_at=timezone.now())
    mail.outbox.clear()
    deliver_event.call(event_id=Event.objects.get(kind=EventKind.DEADLINE_7_DAYS).pk)
    assert told(EventKind.DEADLINE_7_DAYS) == names(personas, "gwent_commissioner")
    assert [message.to for message in mail.outbox] == [[personas.gwent_commissioner.email]]


def test_an_engagement_closed_before_delivery_reminds_nobody(personas, opened, settings):
    settings.TASKS = DB_TASKS
    deadline_reminders_record(at=days_left(2))
    engagement_services.engagement_close(engagement=opened, by=personas.moj_lead)
    assert deliver_event.call(event_id=Event.objects.get(kind=EventKind.DEADLINE_2_DAYS).pk) == 0
    assert told(EventKind.DEADLINE_2_DAYS) == set()


def test_who_is_reminded_is_worked_out_in_a_fixed_number_of_queries(opened, settings):
    settings.TASKS = DB_TASKS
    deadline_reminders_record(at=days_left(7))
    event = Event.objects.get(kind=EventKind.DEADLINE_7_DAYS)
    with CaptureQueriesContext(connection) as few:
        assert len(list(recipients_for(event))) == 3
    kent = Organisation.objects.get(slug="kent")
    for _ in range(10):
        MembershipFactory(organisation=kent)
    with CaptureQueriesContext(connection) as many:
        assert len(list(recipients_for(event))) == 13
    assert len(few) == len(many)
