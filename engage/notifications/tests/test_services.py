"""The one path every notification takes: an event recorded in the change's transaction, then
one task that asks the kind's provider who to tell, when it runs, and writes one notification
and sends one email per person, at most once however often it runs."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from engage.accounts.models import Membership, User
from engage.core.labels import Label
from engage.core.links import absolute
from engage.core.models import EmailDelivery
from engage.engagements import services as engagements
from engage.engagements.models import Engagement
from engage.notifications.models import Event, EventKind, Notification
from engage.notifications.services import (
    notification_open,
    notifications_read_all,
    notifications_recount,
    shareable_title,
)
from engage.notifications.tasks import deliver_event, email_of

from .conftest import record

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TITLE = "Victims code: local commissioning"


def unread(user) -> int:
    user.refresh_from_db(fields=["unread_notifications"])
    return user.unread_notifications


@pytest.mark.parametrize(
    ("label", "told"),
    [
        (Label.RED, False),
        (Label.AMBER_STRICT, False),
        (Label.AMBER, False),
        (Label.GREEN, True),
        (Label.CLEAR, True),
        ("unknown", False),
    ],
)
def test_a_title_is_shareable_only_under_clear_or_green(label, told):
    assert (shareable_title(TITLE, label) == TITLE) is told
    assert shareable_title(TITLE, label) in (TITLE, "")


def test_every_kind_has_an_app_that_says_who_it_tells():
    """Each of the issue's kinds is emitted by an app that registered its recipients: no kind
    is listed on the email choices page that nothing sends."""
    from engage.notifications import registry

    assert registry.registered_kinds() == set(EventKind.values)


def test_every_kind_of_the_issue_is_listed():
    assert len(EventKind.values) == 27
    assert {"engagement_opened", "routing_awaiting_apcc", "deadline_7_days"} <= set(
        EventKind.values
    )


# Recorded in the change's transaction ------------------------------------------------------


def test_an_event_and_its_task_are_rows_of_the_changes_transaction(personas, tell, settings):
    settings.TASKS = DB_TASKS
    tell(lambda event: User.objects.filter(pk=personas.gwent_staff.pk))

    def change_that_fails() -> None:
        with transaction.atomic():
            record()
            assert Event.objects.count() == 1
            raise RuntimeError("the change fails")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert Event.objects.count() == 0
    assert not DBTaskResult.objects.filter(task_path__endswith="deliver_event").exists()
    assert Notification.objects.count() == 0
    assert mail.outbox == []

    event = record()  # committed (the test's own transaction): one task waits for a worker
    assert DBTaskResult.objects.filter(task_path__endswith="deliver_event").count() == 1
    assert mail.outbox == []
    deliver_event.call(event_id=event.pk)
    assert [m.to for m in mail.outbox] == [[personas.gwent_staff.email]]


def test_a_rolled_back_opening_records_no_event(personas, policy, victims, settings):
    settings.TASKS = DB_TASKS
    engagement = engagements.engagement_create(policy=policy, by=personas.moj_lead, **_fields())
    engagements.engagement_route(
        engagement=engagement, by=personas.moj_lead, route="groups", groups=[victims]
    )
    tasks_before = DBTaskResult.objects.count()

    def opening_that_fails() -> None:
        with transaction.atomic():
            engagements.engagement_confirm_routing(engagement=engagement, by=personas.secretariat)
            assert Event.objects.filter(kind=EventKind.ENGAGEMENT_OPENED).count() == 1
            raise RuntimeError("something after the opening fails")

    with pytest.raises(RuntimeError):
        opening_that_fails()
    assert not Event.objects.filter(kind=EventKind.ENGAGEMENT_OPENED).exists()
    assert DBTaskResult.objects.count() == tasks_before


# Delivered once --------------------------------------------------------------------------


def test_the_task_run_twice_tells_each_person_once(personas, tell):
    people = [personas.gwent_staff, personas.kent_commissioner]
    tell(lambda event: User.objects.filter(pk__in=[p.pk for p in people]))
    event = record()  # the tests' immediate backend delivers at once
    mail.outbox.clear()
    assert deliver_event.call(event_id=event.pk) == 0
    assert deliver_event.call(event_id=event.pk) == 0
    assert mail.outbox == []
    assert Notification.objects.filter(event=event).count() == 2
    assert EmailDelivery.objects.filter(key=f"event:{event.public_id}").count() == 2
    for person in people:
        assert unread(person) == 1
    event.refresh_from_db()
    assert event.delivered_at is not None


def test_one_email_each_and_nobody_learns_who_else_was_told(personas, tell):
    tell(lambda event: User.objects.filter(pk__in=[personas.gwent_staff.pk, personas.admin.pk]))
    record()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [personas.gwent_staff.email, personas.admin.email]
    )
    assert all(len(m.to) == 1 for m in mail.outbox)


def test_the_actor_and_inactive_people_are_not_told(personas, tell):
    gone = User.objects.create_user("gone@gwent.example.org", is_active=False)
    tell(lambda event: User.objects.filter(pk__in=[personas.moj_lead.pk, gone.pk]))
    event = record(actor=personas.moj_lead)
    assert not Notification.objects.filter(event=event).exists()
    assert mail.outbox == []


def test_a_kind_nobody_registered_tells_nobody(personas):
    import uuid

    from engage.notifications.services import event_record

    event = event_record(EventKind.MILESTONE_OVERDUE, subject_id=uuid.uuid4(), link="/")
    assert not Notification.objects.filter(event=event).exists()
    assert mail.outbox == []


def test_the_email_names_the_kind_the_title_if_any_and_the_link(personas, tell):
    tell(lambda event: User.objects.none())
    subject, body = email_of(record(link="/engagements/x/"))
    assert subject == "An outcome published on Engage"
    assert absolute("/engagements/x/") in body
    assert "leaves out the item's title" in body
    _, body = email_of(record(title="A public title"))
    assert "A public title" in body


def test_the_email_has_an_html_alternative_with_the_same_words_and_link(personas, tell, settings):
    settings.SITE_URL = "https://engage.example.org"
    tell(lambda event: User.objects.filter(pk=personas.gwent_staff.pk))
    mail.outbox.clear()
    record(link="/engagements/x/", title="A public title & more")
    (message,) = mail.outbox
    html, mimetype = str(message.alternatives[0][0]), message.alternatives[0][1]
    assert mimetype == "text/html"
    assert '<html lang="en">' in html
    assert f'<a href="{absolute("/engagements/x/")}"' in html
    assert "A public title &amp; more" in html
    assert f"<title>{message.subject}</title>" in html


# Counting --------------------------------------------------------------------------------


def test_reading_counts_down_once_and_read_all_recounts(personas, tell):
    person = personas.gwent_staff
    tell(lambda event: User.objects.filter(pk=person.pk))
    first, second, third = (record() for _ in range(3))
    assert unread(person) == 3
    mine = Notification.objects.get(event=first, user=person)
    notification_open(mine)
    notification_open(mine)  # again: nothing more
    assert unread(person) == 2
    User.objects.filter(pk=person.pk).update(unread_notifications=40)  # drifted by hand
    assert notifications_recount(person) == 2
    assert notifications_read_all(person) == 2
    assert unread(person) == 0
    assert not Notification.objects.filter(user=person, read_at__isnull=True).exists()


# Engagements: who is told -----------------------------------------------------------------


def _fields(**overrides):
    from engage.engagements.tests.conftest import engagement_fields

    return engagement_fields(**overrides)


def _routed(personas, policy, victims, *, label=None) -> Engagement:
    engagement = engagements.engagement_create(policy=policy, by=personas.moj_lead, **_fields())
    if label:
        Engagement.objects.filter(pk=engagement.pk).update(label=label)  # as if released
        engagement.refresh_from_db()
    return engagements.engagement_route(
        engagement=engagement, by=personas.moj_lead, route="groups", groups=[victims]
    )


def test_opening_tells_the_audience_only(personas, policy, victims):
    engagement = _routed(personas, policy, victims)
    mail.outbox.clear()
    engagements.engagement_confirm_routing(engagement=engagement, by=personas.secretariat)
    event = Event.objects.get(kind=EventKind.ENGAGEMENT_OPENED)
    told = set(Notification.objects.filter(event=event).values_list("user__email", flat=True))
    audience = {
        personas.gwent_commissioner.email,
        personas.gwent_staff.email,
        personas.kent_commissioner.email,
    }
    assert told == audience
    assert {m.to[0] for m in mail.outbox} == audience
    # The outsider, a body outside the audience, the APCC and the owner are told nothing.
    for persona in ("outsider", "dorset_commissioner", "secretariat", "moj_lead", "vcs_member"):
        person = getattr(personas, persona)
        assert not Notification.objects.filter(event=event, user=person).exists()
        # The secretariat was told only that it waited for routing.
        assert unread(person) == (1 if persona == "secretariat" else 0)


def test_a_membership_ended_before_delivery_is_told_nothing(personas, policy, victims, settings):
    settings.TASKS = DB_TASKS
    engagement = _routed(personas, policy, victims)
    engagements.engagement_confirm_routing(engagement=engagement, by=personas.secretariat)
    Membership.objects.filter(user=personas.gwent_staff).update(ended_at=timezone.now())
    event = Event.objects.get(kind=EventKind.ENGAGEMENT_OPENED)
    assert mail.outbox == []  # queued, not yet run
    deliver_event.call(event_id=event.pk)
    told = {m.to[0] for m in mail.outbox}
    assert personas.gwent_staff.email not in told
    assert told == {personas.gwent_commissioner.email, personas.kent_commissioner.email}
    assert not Notification.objects.filter(user=personas.gwent_staff).exists()


def test_an_engagement_returned_before_delivery_no_longer_waits_for_the_apcc(
    personas, policy, victims, settings
):
    settings.TASKS = DB_TASKS
    engagement = _routed(personas, policy, victims)
    engagements.engagement_return(
        engagement=engagement, by=personas.secretariat, advice="Narrow the question first."
    )
    event = Event.objects.get(kind=EventKind.ROUTING_AWAITING_APCC)
    deliver_event.call(event_id=event.pk)
    assert not Notification.objects.filter(event=event).exists()


@pytest.mark.parametrize(
    ("label", "title_told"),
    [
        (Label.RED, False),
        (Label.AMBER_STRICT, False),
        (Label.GREEN, True),
        (Label.CLEAR, True),
    ],
)
def test_emails_carry_the_title_only_for_clear_or_green(
    personas, policy, victims, label, title_told
):
    red = {"label": Label.RED, "recipients": [personas.gwent_staff]}
    engagement = engagements.engagement_create(
        policy=policy, by=personas.moj_lead, **_fields(**(red if label == Label.RED else {}))
    )
    if label != Label.RED:
        Engagement.objects.filter(pk=engagement.pk).update(label=label)
        engagement.refresh_from_db()
    engagements.engagement_route(
        engagement=engagement, by=personas.moj_lead, route="groups", groups=[victims]
    )
    engagements.engagement_confirm_routing(engagement=engagement, by=personas.secretariat)
    assert {m.subject for m in mail.outbox} >= {
        "An engagement from Ministry of Justice awaits routing on Engage",
        "New engagement from Ministry of Justice on Engage",
    }
    for message in mail.outbox:
        assert (TITLE in message.body) is title_told
        assert TITLE not in message.subject
        assert engagement.body not in message.body
        assert engagement.body not in message.subject
    events = Event.objects.filter(subject_id=engagement.public_id)
    assert {event.title for event in events} == {TITLE if title_told else ""}
