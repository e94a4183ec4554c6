"""Periodic tasks: work that runs every so often from the data, not from a request (opening
engagements on their opening date today; reminders and digests later).

An app registers a task in its `AppConfig.ready` (`periodic_register`). Every worker
(`manage.py run_worker`) asks `periodic_enqueue_due` as it starts and at each heartbeat; a
task is due once per slot of its period (`PERIODIC_TASK_MINUTES` unless it says otherwise,
slots counted from the Unix epoch, so every worker agrees where one starts). The worker that
inserts the task's `PeriodicRun` row for the slot enqueues it, in the same transaction; any
other worker finds the row and does nothing. So a task runs at most once per slot whatever
the number of workers, and a slot missed while no worker ran is not made up: the task itself
works from the data ("every scheduled engagement whose date has come"), never from "what
changed since the last run", so the next run does what a missed one would have. A periodic
task must be idempotent like every task (docs/decisions/0006, 0014).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import PeriodicRun

logger = logging.getLogger(__name__)

# How long the slot rows are kept: long enough to read what ran lately.
KEEP_RUNS = timedelta(days=7)


@dataclass(frozen=True)
class Periodic:
    name: str
    task: Any  # a django.tasks Task, enqueued with no arguments
    minutes: int | None = None  # None: PERIODIC_TASK_MINUTES

    @property
    def period(self) -> timedelta:
        return timedelta(minutes=self.minutes or settings.PERIODIC_TASK_MINUTES)


_registry: dict[str, Periodic] = {}


def periodic_register(task: Any, *, minutes: int | None = None) -> Any:
    """Run `task` (a `@task` taking no arguments) every `minutes` (default
    PERIODIC_TASK_MINUTES). Registering the same task again replaces it."""
    name = task.module_path
    _registry[name] = Periodic(name=name, task=task, minutes=minutes)
    return task


def periodic_tasks() -> list[Periodic]:
    return list(_registry.values())


def periodic_slot(now: datetime, period: timedelta) -> datetime:
    """The start of the slot `now` falls in: whole periods since the Unix epoch."""
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    slots = (now - epoch) // period
    return epoch + slots * period


def periodic_enqueue_due(
    now: datetime | None = None, *, tasks: Callable[[], list[Periodic]] = periodic_tasks
) -> list[str]:
    """Enqueue each registered task not yet enqueued for the slot `now` falls in; return
    their names. Safe to call from any number of workers at once."""
    now = now or timezone.now()
    enqueued = []
    for periodic in tasks():
        slot = periodic_slot(now, periodic.period)
        if PeriodicRun.objects.filter(task=periodic.name, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(task=periodic.name, slot=slot, enqueued_at=now)
                periodic.task.enqueue()
        except IntegrityError:
            continue  # another worker took this slot a moment ago
        enqueued.append(periodic.name)
    if enqueued:
        PeriodicRun.objects.filter(enqueued_at__lt=now - KEEP_RUNS).delete()
    return enqueued
