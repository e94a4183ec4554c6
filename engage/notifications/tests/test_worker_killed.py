"""A worker killed mid-batch of notifications, restarted, tells each person of each event exactly
once: one email, one notification, one more unread (issue 11's proof; decisions 6 and 17).

SUBPROCESS TEST, on the machinery of engage/core/tests/test_tasks_worker_killed.py: real
`manage.py run_worker` processes on a database of the test's own. Ten engagements are opened
to the Victims group (three people each), which records twenty events and their delivery tasks.
The first worker sends through a mail server (a stub in this process) that accepts the first
four messages and then never answers: the worker is blocked mid-send in the second event, its
fifth message claimed ("sending") but not accepted, when it is killed with SIGKILL. A second
worker, with Django's file-based backend, recovers the task after the short lease and finishes
the batch. The messages the stub accepted and those on disk are then exactly one per (event,
recipient).

What it proves: a kill mid-batch, while a message is being sent but before the mail server
has accepted it (a slow or hung send), loses nothing and duplicates nothing, and a rerun of a
half-done delivery creates no second notification and counts nobody twice. It cannot prove,
and decision 6 does not claim, that a kill in the instant between the server accepting a
message and the "sent" commit sends it once: that message is sent again (at least once, by
design).
"""

import email
import email.policy
import signal
import socket
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from engage.core.testing.databases import postgres_scratch_database
from engage.core.tests.test_tasks_worker_killed import WAIT_SECONDS, django, start_worker

# Committing (no transaction around the test), so that its database can be copied.
pytestmark = [pytest.mark.subprocess, pytest.mark.django_db(transaction=True)]

ENGAGEMENTS = 10
ACCEPTED = 4  # the stub hangs on the fifth message: the second of the second event's three


@pytest.fixture
def database_url(personas, tmp_path: Path) -> Iterator[str]:
    """A database of the test's own holding the reference data and the personas.

    On SQLite, a copy of the test database (migrated, the baseline loaded): a second or so,
    where migrating a new one takes minutes. On PostgreSQL, a new database migrated and
    loaded by a subprocess (a template copy would need the test database without sessions)."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        path = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        copy.close()
        yield f"sqlite:///{path}"
        return
    with postgres_scratch_database() as url:
        django(
            url,
            """
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("load_reference_data", verbosity=0)
from engage.conftest import seed_all_personas
seed_all_personas()
print(json.dumps({}))
""",
        )
        yield url


OPEN_ENGAGEMENTS = f"""
from types import SimpleNamespace
from engage.accounts.models import User
from engage.conftest import PERSONA_EMAILS
from engage.directory.models import StandingGroup
from engage.engagements.tests.conftest import open_engagement
from engage.engagements.tests.factories import PolicyFactory
from engage.policies.models import Stage
users = {{u.email: u for u in User.objects.filter(email__in=PERSONA_EMAILS.values())}}
personas = SimpleNamespace(**{{key: users[mail] for key, mail in PERSONA_EMAILS.items()}})
policy = PolicyFactory(
    created_by=personas.moj_lead, policy_leads=[personas.moj_lead], stage=Stage.DEVELOPMENT
)
victims = StandingGroup.objects.get(slug="victims")
for number in range({ENGAGEMENTS}):
    open_engagement(personas, policy, groups=[victims], title=f"Victims code, part {{number + 1}}")
print(json.dumps({{}}))
"""

# Who each event tells, as its provider says now (the audience does not change in this test),
# and the email each gets; the deliver_event tasks; the notifications, deliveries and counts.
STATE = """
from django_tasks_db.models import DBTaskResult
from engage.accounts.models import User
from engage.core.links import absolute
from engage.core.models import EmailDelivery
from engage.notifications.models import Event, Notification
from engage.notifications.registry import recipients_for
from engage.notifications.tasks import deliver_event, email_of
expected = []
for event in Event.objects.order_by("pk"):
    people = recipients_for(event).filter(is_active=True).exclude(pk=event.actor_id)
    subject, _ = email_of(event)
    for address in people.values_list("email", flat=True):
        expected.append([str(event.public_id), event.kind, address, subject, absolute(event.link)])
tasks = DBTaskResult.objects.filter(task_path=deliver_event.module_path)
print(json.dumps({
    "expected": expected,
    "tasks": sorted(tasks.values_list("status", flat=True)),
    "claims": sorted(len(t.worker_ids) for t in tasks),
    "notifications": [
        [str(event), address]
        for event, address in Notification.objects.values_list("event__public_id", "user__email")
    ],
    "unread": dict(User.objects.filter(unread_notifications__gt=0).values_list(
        "email", "unread_notifications"
    )),
    "deliveries": [
        [key, address, status, attempts]
        for key, address, status, attempts in EmailDelivery.objects.filter(
            key__startswith="event:"
        ).values_list("key", "recipient", "status", "attempts")
    ],
}))
"""


class MailServer(threading.Thread):
    """An SMTP server, just enough for Django's SMTP backend, that accepts `accepts` messages
    (one connection each) and then holds the next connection without a word: the client
    waits for a greeting until it is killed."""

    def __init__(self, accepts: int) -> None:
        super().__init__(daemon=True)
        self.accepts = accepts
        self.messages: list[bytes] = []
        self.hanging = threading.Event()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(WAIT_SECONDS)
        self.held: socket.socket | None = None

    @property
    def port(self) -> int:
        return self.server.getsockname()[1]

    def run(self) -> None:
        try:
            while len(self.messages) < self.accepts:
                client, _ = self.server.accept()
                with client, client.makefile("rwb") as stream:
                    self._converse(stream)
            self.held, _ = self.server.accept()
            self.hanging.set()
        except OSError:
            return  # closed by the test, or it timed out: the test fails on its own wait

    def _converse(self, stream) -> None:
        def reply(line: str) -> None:
            stream.write(line.encode() + b"\r\n")
            stream.flush()

        reply("220 stub")
        while line := stream.readline():
            verb = line[:4].upper()
            if verb == b"EHLO" or verb == b"HELO":
                reply("250 stub")
            elif verb == b"DATA":
                reply("354 go on")
                lines = []
                while (data := stream.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                self.messages.append(b"".join(lines))
                reply("250 accepted")
            elif verb == b"QUIT":
                reply("221 bye")
                return
            else:  # MAIL, RCPT, RSET, NOOP
                reply("250 ok")

    def close(self) -> None:
        self.server.close()
        if self.held is not None:
            self.held.close()


def on_disk(folder: Path) -> list[bytes]:
    """The messages the file-based backend wrote, each ended by a line of 79 dashes."""
    if not folder.exists():
        return []
    text = b"".join(path.read_bytes() for path in sorted(folder.iterdir()))
    return [part for part in text.split(b"\n" + b"-" * 79 + b"\n") if part.strip()]


def sent(raw: bytes, links: set[str]) -> tuple[str, str, str]:
    """(recipient, subject, link) of a message as it went out: the one of `links` (each
    engagement's) that its body holds."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    found = [link for link in links if link in body.get_content().split()]
    assert len(found) == 1, found
    return str(message["To"]), str(message["Subject"]), found[0]


def until(check, what: str):
    """Poll `check` until it returns something true; fail after WAIT_SECONDS."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.2)
    pytest.fail(f"Timed out waiting for {what}.")


def test_a_worker_killed_mid_batch_is_finished_by_a_new_one_telling_each_person_once(
    tmp_path: Path, database_url: str
) -> None:
    django(database_url, OPEN_ENGAGEMENTS)
    before = django(database_url, STATE)
    expected = Counter(
        (address, subject, link) for _, kind, address, subject, link in before["expected"]
    )
    told = Counter((event, address) for event, _, address, _, _ in before["expected"])
    assert before["tasks"] == ["READY"] * 2 * ENGAGEMENTS  # opened, and awaiting the APCC
    assert before["notifications"] == []
    assert before["unread"] == {}
    # Each opening tells the group's three people; the secretariat is told nothing of a
    # routing no longer awaiting it.
    assert sum(expected.values()) == 3 * ENGAGEMENTS
    assert set(expected.values()) == {1}

    stub = MailServer(accepts=ACCEPTED)
    stub.start()
    with (tmp_path / "first-worker.log").open("w") as first_log:
        first = start_worker(
            database_url,
            first_log,
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(stub.port),
            EMAIL_TIMEOUT=str(WAIT_SECONDS),
        )
    try:
        if not stub.hanging.wait(WAIT_SECONDS):
            pytest.fail("The worker never reached the fifth message.")
        # Mid-batch and mid-event: four sent, the fifth claimed and not accepted.
        during = django(database_url, STATE)
        statuses = Counter(status for _, _, status, _ in during["deliveries"])
        assert statuses == {"sent": ACCEPTED, "sending": 1}
        assert {"RUNNING", "READY"} <= set(during["tasks"])
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=WAIT_SECONDS)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
        stub.close()
    assert first.returncode == -signal.SIGKILL
    assert len(stub.messages) == ACCEPTED

    mail = tmp_path / "mail"
    with (tmp_path / "second-worker.log").open("w") as second_log:
        second = start_worker(
            database_url,
            second_log,
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(mail),
        )
    try:
        until(
            lambda: len(on_disk(mail)) >= sum(expected.values()) - ACCEPTED,
            "the second worker's messages",
        )

        def finished() -> dict | None:
            state = django(database_url, STATE)
            return state if state["tasks"] == ["SUCCESSFUL"] * 2 * ENGAGEMENTS else None

        after = until(finished, "every delivery task to finish")
    finally:
        second.send_signal(signal.SIGTERM)  # a graceful stop: it ends between tasks
        second.wait(timeout=WAIT_SECONDS)
    log = (tmp_path / "second-worker.log").read_text()

    # Each (event, recipient): one email, whichever worker sent it ...
    links = {link for _, _, link in expected}
    messages = Counter(sent(raw, links) for raw in [*stub.messages, *on_disk(mail)])
    assert messages == expected, log
    # ... one notification, and one unread each.
    assert Counter(tuple(pair) for pair in after["notifications"]) == told
    assert after["unread"] == dict(Counter(address for _, address in told))
    assert all(status == "sent" for _, _, status, _ in after["deliveries"])
    # The killed delivery was tried twice (claimed, then sent), every other once; one task
    # had two claims, the killed worker's and the new one's.
    attempts = Counter(attempts for _, _, _, attempts in after["deliveries"])
    assert attempts == {1: sum(expected.values()) - 1, 2: 1}
    assert Counter(after["claims"]) == {1: 2 * ENGAGEMENTS - 1, 2: 1}
