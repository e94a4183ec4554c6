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
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from engage.core.deliveries import DELIVERY_HEADER, DeliveryFailed
from engage.core.models import DeliveryStatus, EmailDelivery, WorkerHeartbeat
from engage.core.tasks import EMAIL_RETRY_DELAYS, send_email
from engage.core.workers import Heartbeat, tasks_recover_stale

pytestmark = pytest.mark.django_db

LEASE = timedelta(seconds=60)
INVITATION = {
    "key": "invitation:41",
    "subject": "You are invited to join the Ministry of Justice on Engage",
    "body": "Accept the invitation within 14 days: https://engage.example.org/i/x/",
}


class RefusingMailServer(BaseEmailBackend):
    """The outside world: a mail server that turns every recipient away, for now (a 4xx: a
    5xx refusal is for good, test_bounces.py)."""

    def send_messages(self, email_messages):
        raise SMTPRecipientsRefused({"x@example.org": (450, b"mailbox unavailable")})


class SamsMailboxIsFull(locmem.EmailBackend):
    """The outside world: a mail server that takes every message but Sam's."""

    def send_messages(self, messages):
        if any("sam@example.org" in message.to for message in messages):
            raise SMTPRecipientsRefused({"sam@example.org": (452, b"mailbox full")})
        return super().send_messages(messages)


REFUSING = {"default": {"BACKEND": f"{__name__}.RefusingMailServer"}}
SAMS_MAILBOX_IS_FULL = {"default": {"BACKEND": f"{__name__}.SamsMailboxIsFull"}}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker(monkeypatch) -> None:
    """Run every task that is due, as `run_worker --batch` does, in this test's transaction
    (db_worker closes connections between tasks, which would end it on PostgreSQL)."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def email_tasks():
    """The email tasks queued (the worker also enqueues the periodic tasks as it starts)."""
    return DBTaskResult.objects.filter(task_path=send_email.module_path)


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


def test_each_email_carries_its_deliverys_public_id_never_the_sequential_id():
    """The reference a bounce report comes back with: a sequential id would tell every
    recipient how many emails the service has sent."""
    send_email.call(**INVITATION, to=["a@example.org", "b@example.org"])

    for message in mail.outbox:
        sent = delivery(message.to[0])
        assert message.extra_headers[DELIVERY_HEADER] == str(sent.public_id)
        assert message.message()[DELIVERY_HEADER] == str(sent.public_id)  # as it goes out
    assert delivery("a@example.org").public_id != delivery("b@example.org").public_id


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
    with override_settings(MAILERS=REFUSING), pytest.raises(DeliveryFailed) as refusal:
        send_email.call(**INVITATION, to=["jo@example.org", "sam@example.org"])

    assert refusal.value.recipients == ["jo@example.org", "sam@example.org"]
    assert isinstance(refusal.value.__cause__, SMTPRecipientsRefused)

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
    with override_settings(MAILERS=REFUSING):
        result = send_email.enqueue(**INVITATION, to=["jo@example.org"])

    assert result.status == TaskResultStatus.FAILED
    assert delivery("jo@example.org").status == DeliveryStatus.FAILED


@override_settings(TASKS=DATABASE_TASKS)
def test_a_refused_email_is_tried_again_later_for_the_refused_recipients_only(monkeypatch):
    first = send_email.enqueue(**INVITATION, to=["jo@example.org", "sam@example.org"])
    with override_settings(MAILERS=SAMS_MAILBOX_IS_FULL):
        run_worker(monkeypatch)

    assert DBTaskResult.objects.get(pk=first.id).status == TaskResultStatus.FAILED
    retry = email_tasks().exclude(pk=first.id).get()
    assert retry.status == TaskResultStatus.READY
    assert retry.args_kwargs["kwargs"]["to"] == ["sam@example.org"]
    assert retry.run_after > timezone.now() + timedelta(seconds=50)  # not at once
    assert [m.to for m in mail.outbox] == [["jo@example.org"]]

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # a minute on
    run_worker(monkeypatch)

    assert DBTaskResult.objects.get(pk=retry.pk).status == TaskResultStatus.SUCCESSFUL
    assert [m.to for m in mail.outbox] == [["jo@example.org"], ["sam@example.org"]]
    assert delivery("sam@example.org").attempts == 2
    assert delivery("sam@example.org").status == DeliveryStatus.SENT


@override_settings(TASKS=DATABASE_TASKS)
def test_after_the_last_retry_the_failure_stays_for_an_operator(monkeypatch):
    EmailDelivery.objects.create(
        key=INVITATION["key"],
        recipient="sam@example.org",
        subject=INVITATION["subject"],
        status=DeliveryStatus.FAILED,
        attempts=len(EMAIL_RETRY_DELAYS),
    )
    send_email.enqueue(**INVITATION, to=["sam@example.org"])
    with override_settings(MAILERS=SAMS_MAILBOX_IS_FULL):
        run_worker(monkeypatch)

    assert not DBTaskResult.objects.ready().exists()
    assert email_tasks().get().status == TaskResultStatus.FAILED
    assert delivery("sam@example.org").status == DeliveryStatus.FAILED
    assert "mailbox full" in delivery("sam@example.org").last_error


# Workers -----------------------------------------------------------------------------------


def running_task(*, started_ago: timedelta, claims: int = 1) -> DBTaskResult:
    """A task as db_worker leaves it once claimed: RUNNING, started, the claimers' ids."""
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {**INVITATION, "to": ["jo@example.org"]}},
        task_path=send_email.module_path,
        backend_name="default",
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - started_ago,
        worker_ids=[f"worker-{n}" for n in range(1, claims + 1)],
    )


def beat(worker_id: str, *, ago: timedelta) -> None:
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, hostname="host", pid=1, seen_at=timezone.now() - ago
    )


@override_settings(TASK_LEASE_SECONDS=60)
def test_a_task_whose_worker_stopped_beating_is_requeued():
    task = running_task(started_ago=5 * LEASE)
    beat("worker-1", ago=2 * LEASE)

    assert tasks_recover_stale().requeued == 1

    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert task.worker_ids == ["worker-1"]  # the history of claims is kept
    assert DBTaskResult.objects.ready().get() == task


@override_settings(TASK_LEASE_SECONDS=60)
def test_a_task_with_no_heartbeat_at_all_is_requeued_once_its_lease_is_over():
    # A worker without heartbeats (a plain `db_worker`) still has the lease from its start.
    task = running_task(started_ago=LEASE + timedelta(seconds=1))

    tasks_recover_stale()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


@override_settings(TASK_LEASE_SECONDS=60)
def test_a_fresh_task_within_its_lease_is_left_alone():
    task = running_task(started_ago=LEASE - timedelta(seconds=5))

    assert tasks_recover_stale().requeued == 0

    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


@override_settings(TASK_LEASE_SECONDS=60)
def test_a_long_task_of_a_worker_still_beating_is_left_alone():
    task = running_task(started_ago=10 * LEASE)
    beat("worker-1", ago=timedelta(seconds=5))

    tasks_recover_stale()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


@override_settings(TASK_LEASE_SECONDS=60)
def test_only_the_last_claimer_counts():
    # Claimed first by worker-1 (alive, now on other work), then by worker-2, which died.
    task = running_task(started_ago=2 * LEASE, claims=2)
    beat("worker-1", ago=timedelta(seconds=1))
    beat("worker-2", ago=2 * LEASE)

    tasks_recover_stale()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


@override_settings(TASK_LEASE_SECONDS=60, TASK_MAX_ATTEMPTS=3)
def test_a_task_that_keeps_losing_its_worker_fails_visibly_instead_of_looping():
    task = running_task(started_ago=2 * LEASE, claims=3)

    recovered = tasks_recover_stale()

    assert (recovered.requeued, recovered.failed) == (0, 1)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "engage.core.workers.WorkerLost"
    assert "3 times" in task.traceback
    assert task.finished_at is not None


@override_settings(TASK_LEASE_SECONDS=60)
def test_finished_and_waiting_tasks_are_never_touched():
    old = timezone.now() - 10 * LEASE
    for status in (TaskResultStatus.READY, TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED):
        task = running_task(started_ago=10 * LEASE)
        DBTaskResult.objects.filter(pk=task.pk).update(status=status, started_at=old)

    assert tasks_recover_stale().requeued == 0
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


@override_settings(TASK_LEASE_SECONDS=60)
def test_a_running_worker_beats_and_looks_for_lost_tasks_every_lease():
    seconds = [1000.0]
    heartbeat = Heartbeat("worker-2", clock=lambda: seconds[0])
    task = running_task(started_ago=2 * LEASE)  # its worker, worker-1, has never beaten

    heartbeat.tick()  # a quarter of a lease after the worker started (and recovered)
    assert WorkerHeartbeat.objects.get(worker_id="worker-2").seen_at > timezone.now() - LEASE
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING

    seconds[0] += LEASE.total_seconds()
    heartbeat.tick()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


@override_settings(TASKS=DATABASE_TASKS, TASK_LEASE_SECONDS=60)
def test_the_worker_recovers_on_start_then_finishes_the_task_once(monkeypatch):
    result = send_email.enqueue(**INVITATION, to=["jo@example.org"])
    # A worker claimed it and died before sending: RUNNING for longer than the lease.
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - 2 * LEASE,
        worker_ids=["dead-worker"],
    )

    run_worker(monkeypatch)
    run_worker(monkeypatch)

    task = DBTaskResult.objects.get(pk=result.id)
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert len(task.worker_ids) == 2
    assert [m.to for m in mail.outbox] == [["jo@example.org"]]
    assert not WorkerHeartbeat.objects.exists()  # a worker that stops cleanly says so


# The operator's view -----------------------------------------------------------------------


def test_site_administrators_see_deliveries_read_only_in_the_django_admin(personas, client_for):
    with override_settings(MAILERS=REFUSING):
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
