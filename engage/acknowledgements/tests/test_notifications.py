"""A change notice or a priorities update asks the bodies it is addressed to to acknowledge it:
its opening (the APCC's confirmation, or its opening date come) records one event of its own
kind, in the opening's transaction, instead of `engagement_opened`, and its delivery tells the
members of the bodies that have not acknowledged yet who read it, one email each. Through the
one notification path (decision 17): never the outsider, a body outside the audience, the
owner or the APCC; the email names the kind and the link, the title only when TLP:CLEAR or
TLP:GREEN, never the rationale or body."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engage.accounts.models import Membership, Role, User
from engage.core.labels import Label
from engage.directory.models import PriorityTheme
from engage.engagements import services as engagement_services
from engage.engagements.models import Engagement, Kind, Status
from engage.engagements.services import CREATE_LABELS, scheduling
from engage.engagements.tests.conftest import engagement_fields
from engage.notifications.models import Event, EventKind, Notification
from engage.notifications.registry import recipients_for
from engage.notifications.services import event_record
from engage.notifications.tasks import deliver_event
from engage.notifications.tests.helpers import DB_TASKS, names, sent

from .conftest import acknowledge, change_notice_fields

pytestmark = pytest.mark.django_db

TITLE = change_notice_fields()["title"]
RATIONALE = change_notice_fields()["rationale"]
BODY = "How would the new code change what you commission locally?"  # engagement_fields' body
ADDRESSED = ("gwent_commissioner", "gwent_staff", "kent_commissioner")
ASKING = [
    (Kind.CHANGE_NOTICE, EventKind.CHANGE_NOTICE),
    (Kind.PRIORITIES, EventKind.PRIORITIES_UPDATE),
]


def open_asking(personas, policy, victims, *, kind=Kind.CHANGE_NOTICE, label=None, **overrides):
    """Create an engagement of `kind` (a priorities update with its priority) at `label`
    (released to it when a new engagement cannot start there), route it to the Victims group
    and have the APCC confirm it, the outbox emptied first: it then holds the opening's emails
    only."""
    asks = {
        Kind.CHANGE_NOTICE: change_notice_fields(),
        Kind.PRIORITIES: {"kind": kind, "asks_response": False, "response_deadline": None},
    }.get(kind, {"kind": kind})
    fields = engagement_fields(**{**asks, **overrides})
    if label in CREATE_LABELS:
        fields["label"] = label
    engagement = engagement_services.engagement_create(
        policy=policy, by=personas.moj_lead, **fields
    )
    if kind == Kind.PRIORITIES:
        engagement_services.national_priority_add(
            engagement=engagement,
            by=personas.moj_lead,
            themes=[PriorityTheme.objects.order_by("pk")[0]],
            title="Reduce violence against women and girls",
            source="ministerial",
            period_start=datetime.date(2026, 4, 1),
            period_end=datetime.date(2027, 3, 31),
            supporting_information="The strategy and its funding.",
        )
    if label not in (None, *CREATE_LABELS):
        engagement_services.label_release(
            engagement=engagement,
            by=personas.moj_lead,
            to_label=label,
            reason="Forces may share it.",
            for_whom="Local partners",
        )
    engagement_services.engagement_route(
        engagement=engagement, by=personas.moj_lead, route="groups", groups=[victims]
    )
    mail.outbox.clear()
    return engagement_services.engagement_confirm_routing(
        engagement=engagement, by=personas.secretariat
    )


@pytest.fixture
def notice(personas, policy, victims):
    """The change notice, opened and delivered (the immediate task backend)."""
    return open_asking(personas, policy, victims)


@pytest.fixture
def undelivered(personas, policy, victims, settings):
    """The change notice, opened with its event recorded and its delivery queued, not run."""
    settings.TASKS = DB_TASKS
    return open_asking(personas, policy, victims)


OPENINGS = (EventKind.ENGAGEMENT_OPENED, EventKind.CHANGE_NOTICE, EventKind.PRIORITIES_UPDATE)


def events_of(engagement: Engagement) -> list[str]:
    """The kinds of the events about the engagement that tell its audience it opened (sending
    it for routing told the APCC before)."""
    events = Event.objects.filter(subject_id=engagement.public_id, kind__in=OPENINGS)
    return list(events.values_list("kind", flat=True))


def asked_event(engagement: Engagement) -> Event:
    return Event.objects.get(
        subject_id=engagement.public_id,
        kind__in=(EventKind.CHANGE_NOTICE, EventKind.PRIORITIES_UPDATE),
    )


def told(engagement: Engagement) -> set[str]:
    event = asked_event(engagement)
    return set(Notification.objects.filter(event=event).values_list("user__email", flat=True))


def the_day_after(monkeypatch, n: int) -> datetime.datetime:
    """Move the clock `n` days on (timezone.localdate follows timezone.now)."""
    at = timezone.now() + datetime.timedelta(days=n)
    monkeypatch.setattr(timezone, "now", lambda: at)
    return at


# The opening records one event -------------------------------------------------------------


@pytest.mark.parametrize(("kind", "event_kind"), ASKING)
def test_the_opening_records_one_event_of_its_kind_and_emails_each_member_once(
    personas, policy, victims, kind, event_kind
):
    engagement = open_asking(personas, policy, victims, kind=kind)

    assert engagement.status == Status.OPEN
    assert events_of(engagement) == [event_kind]  # and no `engagement_opened`
    event = asked_event(engagement)
    assert event.actor == personas.secretariat
    assert told(engagement) == names(personas, *ADDRESSED)
    assert sent() == sorted(names(personas, *ADDRESSED))


@pytest.mark.parametrize(("kind", "event_kind"), ASKING)
def test_a_scheduled_one_records_its_event_when_it_opens_on_its_date(
    personas, policy, victims, monkeypatch, kind, event_kind
):
    opens_on = timezone.localdate() + datetime.timedelta(days=3)
    extra = {"effective_date": opens_on + datetime.timedelta(days=60)}
    scheduled = open_asking(
        personas,
        policy,
        victims,
        kind=kind,
        opens_on=opens_on,
        **(extra if kind == Kind.CHANGE_NOTICE else {}),
    )
    assert scheduled.status == Status.SCHEDULED
    assert events_of(scheduled) == []
    assert mail.outbox == []

    the_day_after(monkeypatch, 3)
    assert scheduling.engagements_open_due.call() == 1
    assert scheduling.engagements_open_due.call() == 0  # a second run opens and tells nothing

    scheduled.refresh_from_db()
    assert scheduled.status == Status.OPEN
    assert events_of(scheduled) == [event_kind]
    assert told(scheduled) == names(personas, *ADDRESSED)
    assert sent() == sorted(names(personas, *ADDRESSED))


def test_a_consultation_still_records_engagement_opened(personas, policy, victims):
    consultation = open_asking(personas, policy, victims, kind=Kind.CONSULTATION)
    assert events_of(consultation) == [EventKind.ENGAGEMENT_OPENED]
    assert sent() == sorted(names(personas, *ADDRESSED))


def test_an_engagement_opened_event_about_a_notice_tells_nobody(personas, notice, settings):
    # Recorded as before the opening had an event of its own kind: it must not tell anyone a
    # second time.
    settings.TASKS = DB_TASKS
    old = event_record(
        EventKind.ENGAGEMENT_OPENED,
        subject_id=notice.public_id,
        link=reverse("engagements:detail", args=[notice.public_id]),
        context={"owner": str(notice.owner)},
    )
    assert list(recipients_for(old)) == []
    mail.outbox.clear()
    deliver_event.call(event_id=old.pk)
    assert not Notification.objects.filter(event=old).exists()
    assert mail.outbox == []


# Who is told -----------------------------------------------------------------------------


def test_the_addressed_bodies_members_are_told_and_nobody_else(personas, notice):
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


def test_a_body_that_acknowledged_before_delivery_is_not_told(personas, undelivered):
    acknowledge(undelivered, personas.gwent_staff)
    event = asked_event(undelivered)
    mail.outbox.clear()
    deliver_event.call(event_id=event.pk)
    deliver_event.call(event_id=event.pk)  # twice: once each
    assert told(undelivered) == names(personas, "kent_commissioner")
    assert sent() == sorted(names(personas, "kent_commissioner"))


def test_a_member_whose_membership_ended_before_delivery_is_not_told(personas, undelivered):
    Membership.objects.filter(user=personas.kent_commissioner).update(ended_at=timezone.now())
    deliver_event.call(event_id=asked_event(undelivered).pk)
    assert told(undelivered) == names(personas, "gwent_commissioner", "gwent_staff")


def test_a_notice_closed_before_delivery_tells_nobody(personas, undelivered):
    engagement_services.engagement_close(engagement=undelivered, by=personas.moj_lead)
    mail.outbox.clear()
    deliver_event.call(event_id=asked_event(undelivered).pk)
    assert told(undelivered) == set()
    assert mail.outbox == []


def test_under_tlp_red_only_the_named_members_are_told(personas, policy, victims):
    red = open_asking(
        personas, policy, victims, label=Label.RED, recipients=[personas.kent_commissioner]
    )
    assert told(red) == names(personas, "kent_commissioner")
    assert sent() == [personas.kent_commissioner.email]


@pytest.mark.parametrize(
    ("label", "title_told"),
    [
        (Label.AMBER_STRICT, False),
        (Label.AMBER, False),
        (Label.GREEN, True),
        (Label.CLEAR, True),
    ],
)
def test_the_title_is_told_only_under_clear_or_green(personas, policy, victims, label, title_told):
    notice = open_asking(personas, policy, victims, label=label)
    assert (asked_event(notice).title == TITLE) is title_told
    assert mail.outbox
    for message in mail.outbox:
        assert (TITLE in message.body) is title_told
        assert RATIONALE not in f"{message.subject}\n{message.body}"
    # A release to TLP:GREEN widens who reads it, not who must acknowledge.
    assert told(notice) == names(personas, *ADDRESSED)


def test_the_provider_asks_a_fixed_number_of_queries(personas, undelivered):
    event = asked_event(undelivered)

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
