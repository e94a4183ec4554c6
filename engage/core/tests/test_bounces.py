"""Addresses mail cannot reach (issue 11, item 4 and "Bad input"): a refusal for good is
recorded once against the person, not retried, and shown to site administrators until one of
them clears it; any other refusal is tried again later. Notify's later reports of a bounce:
test_notify_callback.py."""

from datetime import timedelta
from smtplib import SMTPRecipientsRefused

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.tasks import TaskResultStatus
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from engage.core.addresses import address_problem_record
from engage.core.models import AddressProblem, AddressSource, DeliveryStatus, EmailDelivery
from engage.core.tasks import send_email

from .test_tasks import DATABASE_TASKS, email_tasks, run_worker

pytestmark = pytest.mark.django_db

MESSAGE = {
    "key": "event:6f1d",
    "subject": "A clarification was answered on Engage",
    "body": "Read it on Engage: https://engage.example.org/clarifications/6f1d/",
}
NO_SUCH_MAILBOX = "550 5.1.1 No such user here"


class NoSuchMailbox(locmem.EmailBackend):
    """The outside world: a mail server with no mailbox for anyone at gone.example.org, and
    one whose mailbox for busy@example.org is full for now."""

    def send_messages(self, messages):
        for message in messages:
            for address in message.to:
                if address.lower().endswith("@gone.example.org"):
                    raise SMTPRecipientsRefused({address: (550, b"5.1.1 No such user here")})
                if address == "busy@example.org":
                    raise SMTPRecipientsRefused({address: (452, b"4.2.2 Mailbox full")})
        return super().send_messages(messages)


SMTP = {"default": {"BACKEND": f"{__name__}.NoSuchMailbox"}}


def delivery(recipient: str) -> EmailDelivery:
    return EmailDelivery.objects.get(key=MESSAGE["key"], recipient=recipient)


@pytest.fixture
def gone(personas):
    """A person whose mailbox has gone."""
    person = personas.moj_lead
    person.email = "Jo.Lead@Gone.example.org"
    person.save(update_fields=["email"])
    return person


# Refused for good ---------------------------------------------------------------------------


@override_settings(MAILERS=SMTP)
def test_a_5xx_refusal_is_recorded_once_against_the_person_and_not_retried(gone):
    address = "jo.lead@gone.example.org"  # as the sender had it, in another case

    assert send_email.call(**MESSAGE, to=[address, "sam@example.org"]) == 1

    assert [m.to for m in mail.outbox] == [["sam@example.org"]]  # the others still go
    refused = delivery(address)
    assert refused.status == DeliveryStatus.UNDELIVERABLE
    assert refused.attempts == 1
    assert NO_SUCH_MAILBOX in refused.last_error
    problem = AddressProblem.objects.get()
    assert (problem.user, problem.address, problem.source) == (gone, address, AddressSource.SMTP)
    assert problem.reason == NO_SUCH_MAILBOX
    assert problem.count == 1
    assert problem.cleared_at is None

    send_email.call(**MESSAGE, to=[address, "sam@example.org"])  # the task run again

    assert len(mail.outbox) == 1
    assert delivery(address).attempts == 1
    assert AddressProblem.objects.get().count == 1


@override_settings(TASKS=DATABASE_TASKS)
def test_a_refusal_for_good_queues_no_retry(monkeypatch, gone):
    first = send_email.enqueue(**MESSAGE, to=[gone.email])
    with override_settings(MAILERS=SMTP):
        run_worker(monkeypatch)

    assert DBTaskResult.objects.get(pk=first.id).status == TaskResultStatus.SUCCESSFUL
    assert [str(pk) for pk in email_tasks().values_list("pk", flat=True)] == [first.id]  # no retry
    assert delivery(gone.email).status == DeliveryStatus.UNDELIVERABLE


@override_settings(TASKS=DATABASE_TASKS)
def test_a_temporary_refusal_is_retried_with_back_off_and_records_no_problem(monkeypatch):
    first = send_email.enqueue(**MESSAGE, to=["busy@example.org"])
    with override_settings(MAILERS=SMTP):
        run_worker(monkeypatch)

    assert DBTaskResult.objects.get(pk=first.id).status == TaskResultStatus.FAILED
    retry = email_tasks().exclude(pk=first.id).get()
    assert retry.status == TaskResultStatus.READY
    assert retry.run_after > timezone.now() + timedelta(seconds=50)
    assert delivery("busy@example.org").status == DeliveryStatus.FAILED
    assert "Mailbox full" in delivery("busy@example.org").last_error
    assert not AddressProblem.objects.exists()


@pytest.mark.parametrize(
    "address",
    [
        "not-an-address",
        "jo@",
        "jo@example.org\nBcc: x@example.org",
        "a b@example.org",
        "j" * 250 + "@example.org",
    ],
)
def test_an_invalid_address_is_never_sent_and_is_recorded(address):
    assert send_email.call(**MESSAGE, to=[address, "sam@example.org"]) == 1

    assert [m.to for m in mail.outbox] == [["sam@example.org"]]
    assert delivery(address[:254]).status == DeliveryStatus.UNDELIVERABLE
    problem = AddressProblem.objects.get()
    assert (problem.address, problem.source, problem.user) == (
        address,
        AddressSource.INVALID,
        None,
    )


@override_settings(MAILERS=SMTP)
def test_each_refusal_counts_on_the_one_open_problem(gone):
    send_email.call(**MESSAGE, to=[gone.email])
    send_email.call(**{**MESSAGE, "key": "event:7a2e"}, to=[gone.email.lower()])

    problem = AddressProblem.objects.get()
    assert problem.count == 2
    assert problem.last_seen_at >= problem.first_seen_at


def test_a_later_successful_send_does_not_clear_the_problem(gone):
    with override_settings(MAILERS=SMTP):
        send_email.call(**MESSAGE, to=[gone.email])

    # The mailbox is back (the mail server takes it now): the email to it goes.
    send_email.call(**{**MESSAGE, "key": "event:7a2e"}, to=[gone.email])

    assert [m.to for m in mail.outbox] == [[gone.email]]
    assert AddressProblem.objects.open().get().user == gone


def test_a_cleared_problem_stays_as_history_and_a_new_failure_opens_another(gone):
    first = address_problem_record(address=gone.email, reason="550", source=AddressSource.SMTP)
    AddressProblem.objects.filter(pk=first.pk).update(cleared_at=timezone.now())

    second = address_problem_record(address=gone.email, reason="550", source=AddressSource.SMTP)

    assert second.pk != first.pk
    assert AddressProblem.objects.count() == 2
    assert AddressProblem.objects.open().get() == second


# Site administrators ------------------------------------------------------------------------


def test_the_person_page_in_the_admin_shows_their_open_address_problem(gone, personas, client_for):
    with override_settings(MAILERS=SMTP):
        send_email.call(**MESSAGE, to=[gone.email])
    client = client_for(personas.admin)

    page = client.get(f"/django-admin/accounts/user/{gone.pk}/change/")

    assert page.status_code == 200
    assert "Open address problems" in page.text
    assert gone.email in page.text
    assert NO_SUCH_MAILBOX in page.text
    assert 'name="_save"' not in page.text  # read-only

    other = client.get(f"/django-admin/accounts/user/{personas.secretariat.pk}/change/")
    assert other.status_code == 200
    assert NO_SUCH_MAILBOX not in other.text


def test_administrators_list_search_filter_and_clear_address_problems(gone, personas, client_for):
    with override_settings(MAILERS=SMTP):
        send_email.call(**MESSAGE, to=[gone.email])
    send_email.call(**MESSAGE, to=["not-an-address"])
    problem = AddressProblem.objects.get(user=gone)
    client = client_for(personas.admin)

    listing = client.get("/django-admin/core/addressproblem/")
    assert listing.status_code == 200
    assert gone.email in listing.text
    assert "not-an-address" in listing.text
    searched = client.get("/django-admin/core/addressproblem/", {"q": "gone.example"})
    assert gone.email in searched.text
    assert "not-an-address" not in searched.text
    by_source = client.get("/django-admin/core/addressproblem/", {"source": "invalid"})
    assert gone.email not in by_source.text
    assert "not-an-address" in by_source.text

    cleared = client.post(
        "/django-admin/core/addressproblem/",
        {"action": "clear", "_selected_action": [problem.pk]},
        follow=True,
    )

    assert cleared.status_code == 200
    assert "1 address problem cleared." in cleared.text
    problem.refresh_from_db()
    assert problem.cleared_at is not None
    open_only = client.get("/django-admin/core/addressproblem/", {"open": "yes"})
    assert gone.email not in open_only.text
    person = client.get(f"/django-admin/accounts/user/{gone.pk}/change/")
    assert NO_SUCH_MAILBOX not in person.text  # no longer open


def test_the_delivery_list_shows_status_attempts_and_error_and_filters_by_status(
    gone, personas, client_for
):
    with override_settings(MAILERS=SMTP):
        send_email.call(**MESSAGE, to=[gone.email, "sam@example.org"])
    client = client_for(personas.admin)

    listing = client.get("/django-admin/core/emaildelivery/", {"status": "undeliverable"})

    assert listing.status_code == 200
    assert gone.email in listing.text
    assert "sam@example.org" not in listing.text
    assert "Undeliverable" in listing.text
    assert NO_SUCH_MAILBOX in listing.text


@pytest.mark.parametrize(
    "path",
    [
        "/django-admin/core/addressproblem/",
        "/django-admin/accounts/user/",
    ],
)
def test_people_who_are_not_site_administrators_see_no_address_problems(personas, client_for, path):
    address_problem_record(address="x@gone.example.org", reason="550", source="smtp")
    for persona in (personas.outsider, personas.moj_lead):
        response = client_for(persona).get(path)
        assert response.status_code in (302, 403)
        assert "x@gone.example.org" not in response.text


def test_the_clear_action_is_refused_to_people_who_are_not_site_administrators(
    personas, client_for
):
    problem = address_problem_record(address="x@gone.example.org", reason="550", source="smtp")

    client_for(personas.outsider).post(
        "/django-admin/core/addressproblem/",
        {"action": "clear", "_selected_action": [problem.pk]},
    )

    problem.refresh_from_db()
    assert problem.cleared_at is None
