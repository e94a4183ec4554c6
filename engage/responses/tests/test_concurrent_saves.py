"""Two writers on one SQLite file, as under `make run` (the web server and the task worker)
or with two people saving at once: nobody gets "database is locked" or a server error. The
later of two saves from the same revision gets the conflict page with its text kept.

The test database is in memory, so each test copies it (schema, reference data, fixtures and
sessions) into a file, and the threads connect to that file with the production settings of
config.settings.base (WAL, IMMEDIATE transactions, busy timeout). Each thread has its own
connection, as separate processes would."""

import html
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest
from django.db import close_old_connections, connection, connections, transaction
from django.urls import reverse

from config.settings.base import database_settings
from engage.accounts.models import User
from engage.engagements.models import Engagement
from engage.responses import services
from engage.responses.models import Response

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="about SQLite's locking: PostgreSQL has row locks and no database-wide writer",
    ),
]


@contextmanager
def on_a_sqlite_file(directory: Path) -> Iterator[Path]:
    """Copy the test database into a file and point connections opened in new threads at it,
    configured as production configures SQLite; the test's own connection is untouched."""
    path = directory / "engage.sqlite3"
    connection.ensure_connection()
    # The pages as this connection sees them, its open test transaction included.
    path.write_bytes(connection.connection.serialize())
    settings = connections.configure_settings({"default": database_settings(f"sqlite:///{path}")})
    original = connections.settings["default"]
    connections.settings["default"] = settings["default"]
    try:
        yield path
    finally:
        connections.settings["default"] = original


def in_threads(*work: Callable[[], object]) -> list[object]:
    """Run each callable in its own thread (its own connection), all released at once; the
    results, or the exception each raised."""
    start = threading.Barrier(len(work))
    results: list[object] = [None] * len(work)

    def run(index: int, function: Callable[[], object]) -> None:
        try:
            start.wait()
            results[index] = function()
        except Exception as exc:  # noqa: BLE001 - reported to the test, which asserts on it
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _form(revision: int, words: str) -> dict[str, str]:
    return {
        "revision": str(revision),
        "answer_1": words,
        "answer_2": "",
        "challenges": "Staff turnover.",
        "opportunities": "",
        "local_variations": "",
    }


def _saved(path: Path, response_id: int) -> tuple[int, str]:
    """The revision and first answer on the file, read with a connection of its own."""
    with sqlite3.connect(path) as db:
        revision = db.execute(
            "SELECT revision FROM responses_response WHERE id = ?", [response_id]
        ).fetchone()[0]
        answer = db.execute(
            "SELECT a.text FROM responses_answer a JOIN engagements_question q"
            " ON q.id = a.question_id WHERE a.response_id = ? AND q.number = 1",
            [response_id],
        ).fetchone()[0]
    db.close()
    return revision, answer


def test_two_people_save_the_same_draft_at_once(personas, client_for, gwent_draft, tmp_path):
    people = {"staff": personas.gwent_staff, "commissioner": personas.gwent_commissioner}
    clients = {who: client_for(person) for who, person in people.items()}
    url = reverse("responses:respond", args=[gwent_draft.engagement.public_id])
    revision = gwent_draft.revision
    with on_a_sqlite_file(tmp_path) as path:
        # A few rounds, each from the revision both opened, so the saves overlap at least once.
        for round_ in range(4):
            words = {who: f"Round {round_}: the {who}'s words" for who in clients}
            results = in_threads(
                *(partial(clients[who].post, url, _form(revision, words[who])) for who in clients)
            )
            outcome = dict(zip(clients, results, strict=True))
            for who, result in outcome.items():
                assert not isinstance(result, Exception), f"{who}: {result!r}"
            statuses = sorted(result.status_code for result in outcome.values())  # type: ignore[attr-defined]
            assert statuses == [200, 302], statuses
            winner = next(w for w, r in outcome.items() if r.status_code == 302)  # type: ignore[attr-defined]
            loser = next(w for w in outcome if w != winner)
            page = html.unescape(outcome[loser].content.decode())  # type: ignore[attr-defined]
            assert str(services.CONFLICT) in page
            unsaved = page.split('id="unsaved"', 1)[1].split("</div>", 1)[0]
            assert words[loser] in unsaved  # the loser's text is kept, not lost
            saved_revision, saved_answer = _saved(path, gwent_draft.pk)
            assert saved_revision == revision + 1
            assert saved_answer == words[winner]
            revision = saved_revision


def test_a_write_waits_for_another_connections_write_transaction(personas, gwent_draft, tmp_path):
    """While one connection (the task worker, say) holds a write transaction, a person's save
    on another connection waits for it instead of failing with "database is locked"."""
    held_for = 1.0
    holding = threading.Event()

    def worker() -> None:
        with transaction.atomic():
            Engagement.objects.filter(pk=gwent_draft.engagement_id).update(title="Renamed")
            holding.set()
            time.sleep(held_for)

    def person() -> float:
        holding.wait(timeout=10)
        started = time.monotonic()
        response = Response.objects.get(pk=gwent_draft.pk)
        services.response_save_draft(
            response=response,
            by=User.objects.get(pk=personas.gwent_staff.pk),
            revision=response.revision,
            answers={1: services.AnswerInput(text="Saved while the worker wrote")},
            challenges="Staff turnover.",
        )
        return time.monotonic() - started

    with on_a_sqlite_file(tmp_path) as path:
        wrote, waited = in_threads(worker, person)
        close_old_connections()
    assert wrote is None, repr(wrote)
    assert isinstance(waited, float), repr(waited)
    assert waited >= held_for / 2  # it waited for the worker's transaction...
    revision, answer = _saved(path, gwent_draft.pk)
    assert (revision, answer) == (gwent_draft.revision + 1, "Saved while the worker wrote")
    with sqlite3.connect(path) as db:  # ...and both writes are there
        title = db.execute(
            "SELECT title FROM engagements_engagement WHERE id = ?", [gwent_draft.engagement_id]
        ).fetchone()[0]
        journal = db.execute("PRAGMA journal_mode").fetchone()[0]
    db.close()
    assert title == "Renamed"
    assert journal == "wal"
