"""A worker killed mid-task loses nothing and sends nothing twice (issue 6, item 2).

SUBPROCESS TEST: it runs real `manage.py run_worker` processes against a database of its own
that it shares with them (a temporary SQLite file, or a temporary PostgreSQL database on the
server DATABASE_URL names), migrated once here. The first worker is killed with SIGKILL while
it is connected to a mail server that never answers (the task has claimed its delivery and is
mid-send); a second worker, with Django's file-based email backend, finishes the task, and the
test counts the messages on disk. It takes a few seconds; `-m "not subprocess"` leaves it out.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from django.conf import settings

from engage.core.testing.databases import postgres_scratch_database

pytestmark = pytest.mark.subprocess

ROOT = Path(__file__).resolve().parents[3]
LEASE_SECONDS = 1  # short, so the dead worker's task is found stale within a second or two
WAIT_SECONDS = 60  # an upper bound for a slow, shared machine; normally done in seconds
RECIPIENT = "new.lead@moj.example.org"


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A database of this test's own, on the engine the suite runs on."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    with postgres_scratch_database() as url:
        yield url


def environment(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "TASK"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",  # the real task backend, not the tests'
        DATABASE_URL=database_url,
        TASK_LEASE_SECONDS=str(LEASE_SECONDS),
        **extra,
    )
    return env


def django(database_url: str, code: str) -> dict:
    """Run `code` in a fresh Django process on the shared database; it prints one JSON object."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", f"import django, json\ndjango.setup()\n{code}"],
        cwd=ROOT,
        env=environment(database_url),
        capture_output=True,
        text=True,
        timeout=WAIT_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


STATE = f"""
from django_tasks_db.models import DBTaskResult
from engage.core.models import EmailDelivery, WorkerHeartbeat
from engage.core.tasks import send_email
# The email task (workers also enqueue the periodic tasks as they start).
task = DBTaskResult.objects.get(task_path=send_email.module_path)
delivery = EmailDelivery.objects.filter(recipient={RECIPIENT!r}).first()
print(json.dumps({{
    "task": task.status, "claims": len(task.worker_ids),
    "workers_beating": WorkerHeartbeat.objects.count(),
    "delivery": delivery and delivery.status, "attempts": delivery and delivery.attempts,
}}))
"""


def start_worker(database_url: str, log: IO[str], **email: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and command
        [sys.executable, "manage.py", "run_worker", "--no-startup-delay", "--interval", "0.1"],
        cwd=ROOT,
        env=environment(database_url, **email),
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def messages_in(folder: Path) -> list[str]:
    """The messages the file-based backend wrote: one header block per message."""
    if not folder.exists():
        return []
    text = "".join(path.read_text() for path in sorted(folder.iterdir()))
    return [line for line in text.splitlines() if line.startswith("To: ")]


def test_a_task_killed_mid_send_is_finished_by_a_new_worker_and_sent_once(
    tmp_path: Path, database_url: str
) -> None:
    django(
        database_url,
        f"""
from django.core.management import call_command
call_command("migrate", "django_tasks_database", verbosity=0)
call_command("migrate", "core", verbosity=0)
from engage.core.tasks import send_email
send_email.enqueue(
    key="invitation:worker-killed-test",
    subject="You are invited to join the Ministry of Justice on Engage",
    body="Accept the invitation within 14 days: https://engage.example.org/accounts/invitation/x/",
    to=[{RECIPIENT!r}],
)
print(json.dumps({{}}))
""",
    )

    # A mail server that accepts the connection and never answers: the worker hangs mid-send.
    with (
        socket.create_server(("127.0.0.1", 0)) as mail_server,
        (tmp_path / "first-worker.log").open("w") as first_log,
    ):
        mail_server.settimeout(WAIT_SECONDS)
        first = start_worker(
            database_url,
            first_log,
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(mail_server.getsockname()[1]),
            EMAIL_TIMEOUT=str(WAIT_SECONDS),
        )
        try:
            try:
                connection, _ = mail_server.accept()
            except TimeoutError:
                pytest.fail("The worker never reached the mail server.")
            with connection:
                # Mid-task: the task claimed, its delivery claimed, the email not yet sent.
                assert django(database_url, STATE) == {
                    "task": "RUNNING",
                    "claims": 1,
                    "workers_beating": 1,
                    "delivery": "sending",
                    "attempts": 1,
                }
                first.send_signal(signal.SIGKILL)
                first.wait(timeout=WAIT_SECONDS)
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
    assert first.returncode == -signal.SIGKILL

    mail = tmp_path / "mail"
    with (tmp_path / "second-worker.log").open("w") as second_log:
        second = start_worker(
            database_url,
            second_log,
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(mail),
        )
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while not messages_in(mail) and time.monotonic() < deadline:
            time.sleep(0.2)
        state = django(database_url, STATE)
        while state["task"] == "RUNNING" and time.monotonic() < deadline:  # sent, not yet marked
            state = django(database_url, STATE)
    finally:
        second.send_signal(signal.SIGTERM)  # a graceful stop: it ends between tasks
        second.wait(timeout=WAIT_SECONDS)

    log = (tmp_path / "second-worker.log").read_text()
    assert messages_in(mail) == [f"To: {RECIPIENT}"], log
    assert state == {
        "task": "SUCCESSFUL",
        "claims": 2,
        "workers_beating": 2,  # the killed worker's last heartbeat stays (pruned after a day)
        "delivery": "sent",
        "attempts": 2,
    }, log
