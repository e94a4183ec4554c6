"""A change notice or a priorities update asks the bodies it is addressed to to acknowledge it:
a periodic task records one event per engagement once it is open (from the data, at most once,
making up missed runs within `CATCH_UP`), and its delivery tells the members of the bodies
that have not acknowledged yet who read it. Through the one notification path (decision 17):
never the outsider, a body outside the audience, the owner or the APCC; the email names the
kind and the link, the title only when TLP:CLEAR or TLP:GREEN, never the rationale or body."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engage.accounts.models import Membership, Role, User
from engage.acknowledgements.notification import CATCH_UP, acknowledgements_ask
from engage.core.labels import Label
from engage.engagements import services as engagement_services
from engage.engagements.models import Engagement, Kind, Route, Status
from engage.engagements.tests.conftest import open_engagement
from engage.engagements.tests.factories import EngagementFactory
from engage.notifications.models import Event, EventKind, Notification
from engage.notifications.registry import recipients_for
from engage.notifications.tasks import deliver_event

from .conftest import acknowledge, change_notice_fields

pytestmark = pytest.mark.django_db

TITLE = change_notice_fields()["title"]
RATIONALE = change_notice_fields()["rationale"]
BODY = "How would the new code change what you commission locally?"  # engagement_fields' body
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ADDRESSED = ("gwent_commissioner", "gwent_staff", "kent_commissioner")


ASKED = (EventKind.CHANGE_NOTICE, EventKind.PRIORITIES_UPDATE)


def told(engagement: Engagement) -> set[str]:
    event = asked_event(engagement)
    return set(Notification.objects.filter(event=event).values_list("user__email", flat=True))


def names(personas, *keys: str) -> set[str]:
    return {getattr(personas, key).email for key in keys}


def sent() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def asked_event(engagement: Engagement) -> Event:
    return Event.objects.get(subject_id=engagement.public_id, kind__in=ASKED)


def asked_events(engagement: Engagement) -> int:
    return Event.objects.filter(subject_id=engagement.public_id, kind__in=ASKED).count()


# The schedule ----------------------------------------------------------------------------


def test_one_event_once_open_and_none_again(notice):
    opened_at = notice.opened_at
    assert acknowledgements_ask(at=opened_at - datetime.timedelta(minutes=1)) == 0
    assert asked_events(notice) == 0
    assert acknowledgements_ask(at=opened_at + datetime.timedelta(minutes=5)) == 1
    assert asked_event(notice).kind == EventKind.CHANGE_NOTICE
    assert acknowledgements_ask(at=opened_at + datetime.timedelta(minutes=10)) == 0
    assert acknowledgements_ask(at=opened_at + datetime.timedelta(days=2)) == 0
    assert asked_events(notice) == 1


def test_missed_runs_are_made_up_within_the_catch_up_window_only(personas, notice):
    late = notice.opened_at + CATCH_UP - datetime.timedelta(hours=1)
    assert acknowledgements_ask(at=late) == 1
    later = open_engagement(personas, notice.policy, groups=list(notice.routed_groups.all()))
    Engagement.objects.filter(pk=later.pk).update(kind=Kind.PRIORITIES)
    assert acknowledgements_ask(at=later.opened_at + CATCH_UP + datetime.timedelta(hours=1)) == 0
    assert asked_events(later) == 0


def test_a_closed_notice_or_another_kind_records_nothing(personas, policy, victims, notice):
    consultation = open_engagement(personas, policy, groups=[victims])
    engagement_services.engagement_close(engagement=notice, by=personas.moj_lead)
    assert acknowledgements_ask(at=timezone.now()) == 0
    assert asked_events(notice) == asked_events(consultation) == 0


def test_a_priorities_update_records_its_own_kind(personas, policy, victims):
    update = EngagementFactory(
        policy=policy,
        kind=Kind.PRIORITIES,
        status=Status.OPEN,
        route=Route.STANDING_GROUPS,
        routed_groups=[victims],
        opened_at=timezone.now(),
    )
    assert acknowledgements_ask(at=timezone.now()) == 1
    assert asked_event(update).kind == EventKind.PRIORITIES_UPDATE
    assert told(update) == names(personas, *ADDRESSED)


# Who is told -----------------------------------------------------------------------------


def test_the_addressed_bodies_members_are_told_and_nobody_else(personas, notice):
    mail.outbox.clear()
    acknowledgements_ask(at=timezone.now())
    # Not Dorset (in no group), the owner, the APCC, the voluntary sector or the outsider.
    assert told(notice) == names(personas, *ADDRESSED)
    assert sent() == sorted(names(personas, *ADDRESSED))
    link = reverse("engagements:detail", args=[notice.public_id])
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert len(message.to) == 1
        assert "change notice" in message.subject.lower()
        assert "acknowledge" in message.subject.lower()
        assert link in message.body
        for words in (TITLE, RATIONALE, BODY):  # TLP:AMBER+STRICT by default: no title
            assert words not in text


def test_a_body_that_acknowledged_before_delivery_is_not_told(personas, notice, settings):
    settings.TASKS = DB_TASKS
    acknowledgements_ask(at=timezone.now())
    acknowledge(notice, personas.gwent_staff)
    event = asked_event(notice)
    mail.outbox.clear()
    deliver_event.call(event_id=event.pk)
    deliver_event.call(event_id=event.pk)  # twice: once each
    assert told(notice) == names(personas, "kent_commissioner")
    assert sent() == sorted(names(personas, "kent_commissioner"))


def test_a_member_whose_membership_ended_before_delivery_is_not_told(personas, notice, settings):
    settings.TASKS = DB_TASKS
    acknowledgements_ask(at=timezone.now())
    Membership.objects.filter(user=personas.kent_commissioner).update(ended_at=timezone.now())
    event = asked_event(notice)
    deliver_event.call(event_id=event.pk)
    assert told(notice) == names(personas, "gwent_commissioner", "gwent_staff")


def test_a_notice_closed_before_delivery_tells_nobody(personas, notice, settings):
    settings.TASKS = DB_TASKS
    acknowledgements_ask(at=timezone.now())
    engagement_services.engagement_close(engagement=notice, by=personas.moj_lead)
    event = asked_event(notice)
    mail.outbox.clear()
    deliver_event.call(event_id=event.pk)
    assert told(notice) == set()
    assert mail.outbox == []


def test_under_tlp_red_only_the_named_members_are_told(personas, policy, victims):
    red = open_engagement(
        personas,
        policy,
        groups=[victims],
        label=Label.RED,
        recipients=[personas.kent_commissioner],
        **change_notice_fields(),
    )
    acknowledgements_ask(at=timezone.now())
    assert told(red) == names(personas, "kent_commissioner")


@pytest.mark.parametrize(
    ("label", "title_told"),
    [
        (Label.AMBER_STRICT, False),
        (Label.AMBER, False),
        (Label.GREEN, True),
        (Label.CLEAR, True),
    ],
)
def test_the_title_is_told_only_under_clear_or_green(personas, notice, label, title_told):
    Engagement.objects.filter(pk=notice.pk).update(label=label)
    mail.outbox.clear()
    acknowledgements_ask(at=timezone.now())
    assert (asked_event(notice).title == TITLE) is title_told
    assert mail.outbox
    for message in mail.outbox:
        assert (TITLE in message.body) is title_told
        assert RATIONALE not in f"{message.subject}\n{message.body}"
    # A release to TLP:GREEN widens who reads it, not who must acknowledge.
    assert told(notice) == names(personas, *ADDRESSED)


def test_the_provider_asks_a_fixed_number_of_queries(personas, notice, settings):
    settings.TASKS = DB_TASKS
    acknowledgements_ask(at=timezone.now())
    event = asked_event(notice)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            people = list(recipients_for(event))
        return len(captured), len(people)

    before = queries()
    kent = Membership.objects.get(user=personas.kent_commissioner).organisation
    for n in range(3):
        user = User.objects.create_user(email=f"staff{n}@kent.example", password="x-unused-x")
        Membership.objects.create(user=user, organisation=kent, role=Role.OPCC_STAFF)
    after = queries()
    assert (before[1], after[1]) == (len(ADDRESSED), len(ADDRESSED) + 3)
    assert after[0] == before[0]
