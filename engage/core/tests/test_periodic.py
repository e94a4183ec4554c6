"""Periodic tasks (engage/core/periodic.py): each worker's heartbeat enqueues every
registered task once per slot of its period, at most once across all workers."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.tasks import task
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from engage.core.models import PeriodicRun
from engage.core.periodic import (
    KEEP_RUNS,
    Periodic,
    periodic_enqueue_due,
    periodic_slot,
    periodic_tasks,
)
from engage.core.workers import Heartbeat

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
runs: list[str] = []


@task
def tick_task() -> None:
    runs.append("tick")


def only_tick(minutes: int | None = None):
    return lambda: [Periodic(name="test.tick", task=tick_task, minutes=minutes)]


@pytest.fixture(autouse=True)
def _clear_runs():
    runs.clear()


def test_a_slot_starts_at_whole_periods_since_the_epoch():
    five = timedelta(minutes=5)
    assert periodic_slot(NOON + timedelta(minutes=7, seconds=30), five) == NOON + timedelta(
        minutes=5
    )
    assert periodic_slot(NOON, five) == NOON
    assert periodic_slot(NOON + timedelta(hours=5), timedelta(days=1)) == NOON - timedelta(hours=12)


@override_settings(TASKS=DATABASE_TASKS)
def test_workers_enqueue_a_task_once_per_slot():
    # Two workers' heartbeats in the same five minutes: one task queued.
    assert periodic_enqueue_due(NOON + timedelta(minutes=1), tasks=only_tick()) == ["test.tick"]
    assert periodic_enqueue_due(NOON + timedelta(minutes=4), tasks=only_tick()) == []
    assert DBTaskResult.objects.filter(task_path=tick_task.module_path).count() == 1
    # The next slot: queued again.
    assert periodic_enqueue_due(NOON + timedelta(minutes=5), tasks=only_tick()) == ["test.tick"]
    assert DBTaskResult.objects.filter(task_path=tick_task.module_path).count() == 2
    assert list(PeriodicRun.objects.order_by("slot").values_list("slot", flat=True)) == [
        NOON,
        NOON + timedelta(minutes=5),
    ]


@override_settings(PERIODIC_TASK_MINUTES=15)
def test_the_period_comes_from_the_settings_unless_the_task_says():
    assert periodic_enqueue_due(NOON, tasks=only_tick()) == ["test.tick"]
    assert periodic_enqueue_due(NOON + timedelta(minutes=10), tasks=only_tick()) == []
    assert periodic_enqueue_due(NOON + timedelta(minutes=15), tasks=only_tick()) == ["test.tick"]
    assert periodic_enqueue_due(NOON + timedelta(minutes=16), tasks=only_tick(minutes=1)) == [
        "test.tick"
    ]
    assert runs == ["tick", "tick", "tick"]


def test_the_database_lets_one_worker_take_a_slot():
    PeriodicRun.objects.create(task="test.tick", slot=NOON)
    with pytest.raises(IntegrityError), transaction.atomic():
        PeriodicRun.objects.create(task="test.tick", slot=NOON)


def test_a_worker_that_loses_the_race_enqueues_nothing(monkeypatch):
    """Another worker inserts the slot's row between this worker's look and its insert."""
    from engage.core import periodic

    real = PeriodicRun._meta.default_manager

    class LateLook:
        def filter(self, **kwargs):
            return self

        def exists(self):
            real.create(task="test.tick", slot=NOON)  # the other worker
            return False

        def create(self, **kwargs):
            return real.create(**kwargs)

    monkeypatch.setattr(periodic.PeriodicRun, "objects", LateLook())
    assert periodic_enqueue_due(NOON, tasks=only_tick()) == []
    assert runs == []


def test_old_slot_rows_are_pruned():
    PeriodicRun.objects.create(
        task="test.tick", slot=NOON - KEEP_RUNS * 2, enqueued_at=NOON - KEEP_RUNS * 2
    )
    periodic_enqueue_due(NOON, tasks=only_tick())
    assert list(PeriodicRun.objects.values_list("slot", flat=True)) == [NOON]


def test_opening_scheduled_engagements_is_registered():
    assert "engage.engagements.services.scheduling.engagements_open_due" in {
        periodic.name for periodic in periodic_tasks()
    }


@override_settings(TASKS=DATABASE_TASKS)
def test_the_heartbeat_enqueues_the_periodic_tasks():
    Heartbeat("worker-1").tick()
    queued = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert "engage.engagements.services.scheduling.engagements_open_due" in queued
    Heartbeat("worker-2").tick()  # a second worker in the same slot
    assert DBTaskResult.objects.count() == len(queued)
