"""Background work loses nothing and sends nothing twice (issue 6, item 2).

Emails: every delivery is recorded per (key, recipient), claimed before it is sent and marked
sent after, so a rerun of a task sends only what has not gone. Workers: a task left running by
a worker that stopped beating is put back in the queue; one whose worker is alive, or that
started within its lease, is left alone. The worker process itself is proved in
test_tasks_worker_killed.py.
"""

from datetime import timedelta
from smtplib import SMTPRecipientsRefused

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.tasks import TaskResultStatus
from django.test import override_settings
from django.utils import timezone

from engage.core.models import DeliveryStatus, EmailDelivery
from engage.core.tasks import send_email

pytestmark = pytest.mark.django_db

INVITATION = {
    "key": "invitation:41",
    "subject": "You are invited to join the Ministry of Justice on Engage",
    "body": "Accept the invitation within 14 days: https://engage.example.org/i/x/",
}


class RefusingMailServer(BaseEmailBackend):
    """The outside world: a mail server that turns every recipient away."""

    def send_messages(self, email_messages):
        raise SMTPRecipientsRefused({"x@example.org": (550, b"mailbox unavailable")})


def delivery(recipient: str, key: str = INVITATION["key"]) -> EmailDelivery:
    return EmailDelivery.objects.get(key=key, recipient=recipient)


# Emails ------------------------------------------------------------------------------------


def test_a_rerun_sends_nothing_twice():
    send_email.enqueue(**INVITATION, to=["jo@example.org"])
    send_email.enqueue(**INVITATION, to=["jo@example.org"])

    assert [m.to for m in mail.outbox] == [["jo@example.org"]]
    sent = delivery("jo@example.org")
    assert sent.status == DeliveryStatus.SENT
    assert sent.attempts == 1
    assert sent.sent_at is not None
    assert sent.subject == INVITATION["subject"]


def test_each_recipient_gets_a_message_of_their_own_once():
    recipients = ["a@example.org", "b@example.org", "a@example.org"]
    assert send_email.call(**INVITATION, to=recipients) == 2
    assert send_email.call(**INVITATION, to=recipients) == 0

    assert sorted(m.to for m in mail.outbox) == [["a@example.org"], ["b@example.org"]]


def test_a_rerun_after_some_recipients_sends_only_to_the_others():
    send_email.call(**INVITATION, to=["a@example.org"])
    mail.outbox.clear()

    send_email.call(**INVITATION, to=["a@example.org", "b@example.org"])

    assert [m.to for m in mail.outbox] == [["b@example.org"]]


def test_different_messages_to_one_person_all_go():
    send_email.call(**INVITATION, to=["jo@example.org"])
    send_email.call(**{**INVITATION, "key": "invitation:42"}, to=["jo@example.org"])

    assert len(mail.outbox) == 2


def test_a_send_cut_off_by_a_dead_worker_is_sent_on_the_rerun():
    # What a worker killed mid-send leaves behind: claimed, never marked sent.
    EmailDelivery.objects.create(
        key=INVITATION["key"],
        recipient="jo@example.org",
        subject=INVITATION["subject"],
        status=DeliveryStatus.SENDING,
        attempts=1,
        claimed_at=timezone.now() - timedelta(minutes=5),
    )

    send_email.call(**INVITATION, to=["jo@example.org"])

    assert [m.to for m in mail.outbox] == [["jo@example.org"]]
    assert delivery("jo@example.org").status == DeliveryStatus.SENT
    assert delivery("jo@example.org").attempts == 2


def test_a_refused_send_is_recorded_for_the_operator_and_a_rerun_sends_it():
    with (
        override_settings(MAILERS={"default": {"BACKEND": f"{__name__}.RefusingMailServer"}}),
        pytest.raises(SMTPRecipientsRefused),
    ):
        send_email.call(**INVITATION, to=["jo@example.org", "sam@example.org"])

    for recipient in ("jo@example.org", "sam@example.org"):  # one refusal stops no one else
        failed = delivery(recipient)
        assert failed.status == DeliveryStatus.FAILED
        assert failed.attempts == 1
        assert "mailbox unavailable" in failed.last_error
        assert failed.sent_at is None

    send_email.call(**INVITATION, to=["jo@example.org", "sam@example.org"])

    assert len(mail.outbox) == 2
    assert delivery("jo@example.org").status == DeliveryStatus.SENT
    assert delivery("jo@example.org").attempts == 2


def test_a_refusal_through_the_task_backend_leaves_a_failed_task_and_record():
    with override_settings(MAILERS={"default": {"BACKEND": f"{__name__}.RefusingMailServer"}}):
        result = send_email.enqueue(**INVITATION, to=["jo@example.org"])

    assert result.status == TaskResultStatus.FAILED
    assert delivery("jo@example.org").status == DeliveryStatus.FAILED


# The operator's view -----------------------------------------------------------------------


def test_site_administrators_see_deliveries_read_only_in_the_django_admin(personas, client_for):
    with override_settings(MAILERS={"default": {"BACKEND": f"{__name__}.RefusingMailServer"}}):
        send_email.enqueue(**INVITATION, to=["jo@example.org"])
    failed = delivery("jo@example.org")
    client = client_for(personas.admin)

    listing = client.get("/django-admin/core/emaildelivery/")
    assert listing.status_code == 200
    assert INVITATION["key"] in listing.text
    assert "jo@example.org" in listing.text
    assert "Failed" in listing.text

    page = client.get(f"/django-admin/core/emaildelivery/{failed.pk}/change/")
    assert page.status_code == 200
    assert "mailbox unavailable" in page.text
    assert 'name="_save"' not in page.text  # nothing to change

    assert client.get("/django-admin/core/emaildelivery/add/").status_code == 403
    assert client.post(f"/django-admin/core/emaildelivery/{failed.pk}/delete/").status_code == 403
    assert EmailDelivery.objects.filter(pk=failed.pk).exists()


def test_people_who_are_not_site_administrators_do_not_see_deliveries(personas, client_for):
    client = client_for(personas.moj_lead)
    response = client.get("/django-admin/core/emaildelivery/")
    assert response.status_code in (302, 403)
