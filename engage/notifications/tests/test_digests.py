"""Email choices and the daily summary (issue 11, items 5 and 6), with a controlled clock:
who chose a summary is emailed once a day at their time, listing what they were told; who
chose no email is told in the service only; deadline reminders cannot be turned off; a
response submitted is never emailed one by one; a summary is sent once however often the
task runs, and never carries an item the person can no longer see."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from engage.accounts.models import User
from engage.core.links import absolute
from engage.notifications.digests import (
    CLAIM_LEASE,
    digest_make,
    digests_claim,
    digests_make_due,
    digests_send,
)
from engage.notifications.models import (
    Digest,
    DigestSetting,
    EmailChoice,
    EmailState,
    EventKind,
    Notification,
    NotificationPreference,
)
from engage.notifications.preferences import email_choices_of, preferences_save

from .conftest import TEST_KIND, record

pytestmark = pytest.mark.django_db


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in December 2026, UK time."""
    return datetime(2026, 12, day, hour, minute, tzinfo=timezone.get_current_timezone())


def choose(user: User, choice: str, *, kind: str = TEST_KIND, send_at: time | None = None):
    NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"email": choice}
    )
    if send_at is not None:
        DigestSetting.objects.update_or_create(user=user, defaults={"send_at": send_at})


@pytest.fixture
def gwent_told(personas, tell):
    tell(lambda event: User.objects.filter(pk=personas.gwent_staff.pk))
    return personas.gwent_staff


def test_straight_away_is_the_default(gwent_told):
    mail.outbox.clear()
    record()
    assert [m.to for m in mail.outbox] == [[gwent_told.email]]
    assert Notification.objects.get().email_state == EmailState.SENT


def test_no_email_tells_in_the_service_only(gwent_told):
    choose(gwent_told, EmailChoice.NONE)
    mail.outbox.clear()
    record()
    notification = Notification.objects.get()
    assert notification.email_state == EmailState.NONE
    assert mail.outbox == []
    assert digests_send(at(1, 20)) == 0
    assert mail.outbox == []
    gwent_told.refresh_from_db()
    assert gwent_told.unread_notifications == 1


def test_a_summary_comes_once_a_day_at_the_chosen_time(gwent_told):
    choose(gwent_told, EmailChoice.DIGEST, send_at=time(9, 0))
    mail.outbox.clear()
    first = record(title="A public title", link="/first/")
    assert mail.outbox == []
    assert Notification.objects.get().email_state == EmailState.PENDING

    assert digests_send(at(1, 8, 59)) == 0  # before the chosen time
    assert mail.outbox == []
    assert digests_send(at(1, 9, 0)) == 1
    assert [m.to for m in mail.outbox] == [[gwent_told.email]]
    message = mail.outbox[0]
    assert "daily summary" in message.subject.lower()
    assert "1 December 2026" in message.subject
    assert f"{EventKind(first.kind).label}: A public title" in message.body
    assert absolute("/first/") in message.body
    assert Notification.objects.get().email_state == EmailState.SENT

    # Later the same day: waits for tomorrow's summary.
    mail.outbox.clear()
    record(link="/second/")
    assert digests_send(at(1, 9, 5)) == 0
    assert digests_send(at(1, 23, 55)) == 0
    assert mail.outbox == []
    assert digests_send(at(2, 8, 0)) == 0  # tomorrow, still before 9am
    assert digests_send(at(2, 9, 10)) == 1
    assert absolute("/second/") in mail.outbox[0].body
    assert absolute("/first/") not in mail.outbox[0].body
    assert Digest.objects.filter(user=gwent_told).count() == 2


def test_the_default_time_is_8am_and_a_missed_run_catches_up(gwent_told):
    choose(gwent_told, EmailChoice.DIGEST)
    record()
    mail.outbox.clear()
    assert digests_send(at(3, 7, 55)) == 0
    # No worker ran from 8am to 3pm: the next run sends it.
    assert digests_send(at(3, 15, 0)) == 1
    assert len(mail.outbox) == 1


def test_running_the_task_twice_sends_one_summary(gwent_told):
    choose(gwent_told, EmailChoice.DIGEST)
    record()
    mail.outbox.clear()
    assert digests_send(at(4, 8, 0)) == 1
    assert digests_send(at(4, 8, 0)) == 0
    assert digests_send(at(4, 8, 5)) == 0
    assert len(mail.outbox) == 1


def test_a_summary_made_but_not_sent_is_sent_once_with_what_it_carried(gwent_told):
    """A worker lost between making the summary and sending it: the next run sends that
    summary, with the notifications attached then, and nothing arriving later."""
    choose(gwent_told, EmailChoice.DIGEST)
    record(link="/before/")
    digest = digest_make(gwent_told.pk, on=at(5, 8).date(), cutoff=at(5, 8), at=at(5, 8))
    assert digest is not None
    record(link="/after/")
    mail.outbox.clear()
    assert digests_send(at(5, 8, 5)) == 1
    assert len(mail.outbox) == 1
    assert absolute("/before/") in mail.outbox[0].body
    assert absolute("/after/") not in mail.outbox[0].body
    assert Notification.objects.filter(email_state=EmailState.PENDING).count() == 1


def test_many_of_one_kind_and_item_are_one_line(gwent_told):
    choose(gwent_told, EmailChoice.DIGEST)
    for _ in range(3):
        record(link="/same/")
    record(link="/other/")
    mail.outbox.clear()
    digests_send(at(6, 9))
    body = mail.outbox[0].body
    assert body.count(absolute("/same/")) == 1
    assert "(3 times)" in body
    assert "4 new notifications" in body


def test_an_item_no_longer_seen_is_dropped_from_the_summary(personas, tell):
    seeing = {personas.gwent_staff.pk, personas.kent_commissioner.pk}
    tell(lambda event: User.objects.filter(pk__in=seeing))
    for person in (personas.gwent_staff, personas.kent_commissioner):
        choose(person, EmailChoice.DIGEST)
    record(link="/withdrawn/")
    seeing.discard(personas.gwent_staff.pk)  # e.g. their membership ended
    mail.outbox.clear()
    assert digests_send(at(7, 9)) == 1
    assert [m.to for m in mail.outbox] == [[personas.kent_commissioner.email]]
    dropped = Notification.objects.get(user=personas.gwent_staff)
    assert dropped.email_state == EmailState.DROPPED


def test_a_summary_keeps_labelled_titles_out(gwent_told):
    choose(gwent_told, EmailChoice.DIGEST)
    record(title="")  # a labelled item's event has no title (shareable_title)
    mail.outbox.clear()
    digests_send(at(8, 9))
    body = mail.outbox[0].body
    assert f"- {EventKind(TEST_KIND).label}\n" in body
    assert "handling label" in body


# The rules on choices ------------------------------------------------------------------------


def test_deadline_reminders_cannot_be_turned_off(personas):
    person = personas.gwent_staff
    choose(person, EmailChoice.NONE, kind=EventKind.DEADLINE_2_DAYS)  # e.g. stored by hand
    assert email_choices_of([person.pk], EventKind.DEADLINE_2_DAYS) == {
        person.pk: EmailChoice.IMMEDIATE
    }
    choose(person, EmailChoice.DIGEST, kind=EventKind.DEADLINE_7_DAYS)
    assert email_choices_of([person.pk], EventKind.DEADLINE_7_DAYS) == {
        person.pk: EmailChoice.DIGEST
    }


def test_responses_submitted_come_in_the_summary_by_default_never_one_by_one(personas):
    person = personas.moj_lead
    assert email_choices_of([person.pk], EventKind.RESPONSE_SUBMITTED) == {
        person.pk: EmailChoice.DIGEST
    }
    choose(person, EmailChoice.IMMEDIATE, kind=EventKind.RESPONSE_SUBMITTED)
    assert email_choices_of([person.pk], EventKind.RESPONSE_SUBMITTED) == {
        person.pk: EmailChoice.DIGEST
    }


def test_choices_are_read_in_one_query_whatever_the_number_of_people(
    personas, django_assert_num_queries
):
    ids = list(User.objects.values_list("pk", flat=True))
    assert len(ids) > 5
    with django_assert_num_queries(1):
        email_choices_of(ids[:1], TEST_KIND)
    with django_assert_num_queries(1):
        email_choices_of(ids, TEST_KIND)


def test_saving_keeps_only_the_choices_that_differ_from_the_default(personas):
    person = personas.gwent_staff
    choices = {str(kind): "immediate" for kind in EventKind}
    choices[str(EventKind.RESPONSE_SUBMITTED)] = "digest"
    choices[str(EventKind.OUTCOME_PUBLISHED)] = "none"
    preferences_save(person, choices, time(18, 0))
    assert list(person.notification_preferences.values_list("kind", "email")) == [
        ("outcome_published", "none")
    ]
    assert person.digest_setting.send_at == time(18, 0)


# The settings page ---------------------------------------------------------------------------

SETTINGS = reverse("notifications:settings")


def form_data(**changes) -> dict[str, str]:
    data = {str(kind): "immediate" for kind in EventKind}
    data[str(EventKind.RESPONSE_SUBMITTED)] = "digest"
    data["send_at"] = "08:00"
    data.update(changes)
    return data


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(SETTINGS)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert client.post(SETTINGS, form_data()).status_code == 302
    assert not NotificationPreference.objects.exists()


def test_the_page_shows_and_saves_the_persons_choices(personas, client_for):
    person = personas.kent_commissioner
    choose(person, EmailChoice.DIGEST, kind=EventKind.OUTCOME_PUBLISHED, send_at=time(17, 0))
    client = client_for(person)
    page = client.get(SETTINGS).content.decode()
    assert "<title>Email choices" in page
    assert 'value="17:00" selected' in page
    assert 'name="outcome_published" type="radio" value="digest" checked' in page
    # Deadline reminders offer no "no email"; responses submitted no "straight away".
    assert 'id="id_deadline_2_days_2"' not in page
    assert 'name="response_submitted" type="radio" value="immediate"' not in page

    response = client.post(SETTINGS, form_data(outcome_published="none", send_at="07:00"))
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=person).email == "none"
    assert DigestSetting.objects.get(user=person).send_at == time(7, 0)
    assert "Your email choices are saved" in client.get(SETTINGS).content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"deadline_2_days": "none"}, "Choose one of the options for: A response deadline in 2"),
        ({"response_submitted": "immediate"}, "Choose one of the options for: A response sub"),
        ({"send_at": "03:00"}, "Choose a time from the list"),
        ({"send_at": "not a time"}, "Choose a time from the list"),
        ({"outcome_published": ""}, "Choose how you are emailed about: An outcome published"),
    ],
)
def test_bad_input_says_what_to_fix_and_changes_nothing(personas, client_for, changes, message):
    person = personas.gwent_staff
    choose(person, EmailChoice.DIGEST, send_at=time(9, 0))
    response = client_for(person).post(SETTINGS, form_data(**changes))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert "<title>Error: Email choices" in page
    assert list(person.notification_preferences.values_list("kind", "email")) == [
        (TEST_KIND, "digest")
    ]
    assert DigestSetting.objects.get(user=person).send_at == time(9, 0)


def test_each_person_changes_only_their_own(personas, client_for):
    client_for(personas.gwent_staff).post(SETTINGS, form_data(outcome_published="none"))
    assert not NotificationPreference.objects.exclude(user=personas.gwent_staff).exists()
    assert not DigestSetting.objects.exclude(user=personas.gwent_staff).exists()


def test_the_settings_page_is_linked_from_the_list(personas, client_for):
    page = client_for(personas.outsider).get(reverse("notifications:list")).content.decode()
    assert SETTINGS in page


def test_the_clock_controls_the_day(gwent_told):
    """A summary's day is the UK day: 11.30pm on the 9th and 7am on the 10th are two days."""
    choose(gwent_told, EmailChoice.DIGEST, send_at=time(6, 0))
    record()
    digests_send(at(9, 23, 30))
    record()
    digests_send(at(9, 23, 30) + timedelta(hours=7, minutes=30))
    assert sorted(Digest.objects.values_list("on", flat=True)) == [
        at(9, 0).date(),
        at(10, 0).date(),
    ]


def test_a_summary_has_an_html_alternative_with_each_link(gwent_told, settings):
    settings.SITE_URL = "https://engage.example.org"
    choose(gwent_told, EmailChoice.DIGEST)
    record(link="/one/")
    record(link="/two/")
    mail.outbox.clear()
    digests_send(at(11, 9))
    (message,) = mail.outbox
    html, mimetype = str(message.alternatives[0][0]), message.alternatives[0][1]
    assert mimetype == "text/html"
    for path in ("/one/", "/two/"):
        assert f'<a href="{absolute(path)}"' in html
    assert str(message.subject) in html


def test_what_comes_after_the_chosen_time_waits_for_the_next_days_summary(gwent_told):
    """Nothing was waiting at 9am; something came at 3pm: it goes in tomorrow's 9am summary,
    not as soon as it arrived."""
    choose(gwent_told, EmailChoice.DIGEST, send_at=time(9, 0))
    record()
    Notification.objects.update(created_at=at(12, 15))
    mail.outbox.clear()
    assert digests_send(at(12, 15, 5)) == 0
    assert digests_send(at(12, 23, 55)) == 0
    assert not Digest.objects.exists()
    assert digests_send(at(13, 8, 55)) == 0
    assert digests_send(at(13, 9, 0)) == 1
    assert len(mail.outbox) == 1


def test_two_runs_at_once_send_a_summary_once(gwent_told):
    """A slow run still sending when the next slot's run starts: the second finds the summary
    claimed and leaves it; only once the claim is older than the lease (its worker lost) is
    it taken again, and then sent once."""
    choose(gwent_told, EmailChoice.DIGEST)
    record()
    mail.outbox.clear()
    assert digests_make_due(at(14, 8)) == 1
    claimed = digests_claim(at(14, 8))  # the first run, which then stalls
    assert len(claimed) == 1
    assert digests_send(at(14, 8, 5)) == 0  # the next slot's run
    assert mail.outbox == []
    assert digests_send(at(14, 8) + CLAIM_LEASE + timedelta(minutes=1)) == 1
    assert len(mail.outbox) == 1
    assert digests_send(at(14, 9)) == 0
    assert len(mail.outbox) == 1


def test_an_engagements_responses_are_one_line_linking_to_its_responses(gwent_told):
    import uuid

    from django.db import transaction

    from engage.notifications.services import event_record

    choose(gwent_told, EmailChoice.DIGEST)
    for number in range(4):
        with transaction.atomic():
            event_record(
                TEST_KIND,
                subject_id=uuid.uuid4(),
                link=f"/responses/{number}/",
                context={"owner": "Ministry of Justice", "group_link": "/responses/all/"},
            )
    mail.outbox.clear()
    digests_send(at(15, 9))
    body = mail.outbox[0].body
    assert body.count(absolute("/responses/all/")) == 1
    assert "(4 times)" in body
    assert absolute("/responses/0/") not in body
