"""Two people save the same draft of a collective view at once, from the same revision, on
PostgreSQL (each thread its own connection, as two web processes): exactly one save wins, the
other is refused as a conflict, and no update is lost. Row locks are PostgreSQL's; SQLite has
one writer for the whole database and its own test (engage/responses/tests/
test_concurrent_saves.py), so this one runs on PostgreSQL only (`make test-postgres`)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from engage.accounts.models import User
from engage.collective import services
from engage.collective.models import CollectiveView

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="about PostgreSQL's row locks: SQLite has one writer for the whole database",
    ),
]


def in_threads(*work):
    start = threading.Barrier(len(work))
    results: list[object] = [None] * len(work)

    def run(index, function) -> None:
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


def test_two_saves_from_the_same_revision_one_wins_none_lost(personas, view):
    secretariat_id = personas.secretariat.pk
    for round_ in range(5):
        revision = CollectiveView.objects.get(pk=view.pk).revision
        words = [f"Round {round_}: writer {n}" for n in (1, 2)]

        def save(text: str, revision: int = revision):
            person = User.objects.get(pk=secretariat_id)
            fresh = CollectiveView.objects.get(pk=view.pk)
            return services.collective_view_save(
                view=fresh,
                by=person,
                revision=revision,
                summary=text,
                position=fresh.position,
                position_text=fresh.position_text,
                points={p["number"]: p["text"] for p in fresh.points},
                variations={v["body_id"]: v["text"] for v in fresh.variations},
            )

        results = in_threads(*(lambda text=text: save(text) for text in words))
        won = [n for n, r in enumerate(results) if isinstance(r, CollectiveView)]
        refused = [
            n
            for n, r in enumerate(results)
            if isinstance(r, ValidationError) and r.error_list[0].code == "conflict"
        ]
        assert len(won) == 1, results
        assert len(refused) == 1, results
        stored = CollectiveView.objects.get(pk=view.pk)
        assert stored.revision == revision + 1
        assert stored.summary == words[won[0]]  # the winner's text, whole
