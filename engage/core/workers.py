"""Recovering tasks that a dead worker left "running". django-tasks-db marks a task RUNNING
when a worker claims it and never looks at it again, so a worker killed mid-task loses the
task for good. Here each worker (`manage.py run_worker`) keeps a heartbeat, and a RUNNING task
whose last claimer has not beaten for the lease, and that started more than the lease ago, is
put back in the queue. Tasks are idempotent (engage.core.deliveries), so running one again is
safe. See docs/decisions/0006-tasks-recovered-and-idempotent.md."""

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat
from .periodic import periodic_enqueue_due

logger = logging.getLogger(__name__)


class WorkerLost(Exception):  # noqa: N818 - the name an operator reads on the failed task
    """Recorded on a task whose worker died on every attempt: it is not tried again."""


def task_lease() -> timedelta:
    return timedelta(seconds=settings.TASK_LEASE_SECONDS)


@dataclass(frozen=True)
class Recovered:
    requeued: int = 0
    failed: int = 0


def tasks_recover_stale() -> Recovered:
    """Requeue every RUNNING task whose worker is gone; fail one that has lost its worker
    TASK_MAX_ATTEMPTS times (a task that kills its worker would otherwise loop forever).
    Each change is a compare-and-set on (status, started_at), so two workers recovering at
    once, or a worker claiming the task meanwhile, never clash."""
    now = timezone.now()
    cutoff = now - task_lease()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True)
    )
    suspects = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
    requeued = failed = 0
    for task in suspects.only("id", "started_at", "worker_ids", "task_path"):
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue  # a long task of a live worker
        same_claim = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        if len(task.worker_ids) >= settings.TASK_MAX_ATTEMPTS:
            message = (
                f"{WorkerLost.__module__}.{WorkerLost.__qualname__}: its worker stopped "
                f"{len(task.worker_ids)} times while running it; not tried again.\n"
            )
            if same_claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=message,
                return_value=None,
            ):
                failed += 1
                logger.error("Task %s (%s) failed: %s", task.pk, task.task_path, message.strip())
        elif same_claim.update(status=TaskResultStatus.READY):
            requeued += 1
            logger.warning(
                "Task %s (%s) was left running by worker %s; queued again.",
                task.pk,
                task.task_path,
                task.worker_ids[-1] if task.worker_ids else "unknown",
            )
    # Heartbeats of workers long gone tell nothing any more.
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return Recovered(requeued=requeued, failed=failed)


def heartbeat_beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": timezone.now(), "hostname": socket.gethostname(), "pid": os.getpid()},
    )


def heartbeat_end(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


class Heartbeat(threading.Thread):
    """Beats for a worker every quarter of the lease, enqueues the periodic tasks that are
    due (engage/core/periodic.py: once per slot across workers), and recovers stale tasks
    every lease, from a thread of its own, so a long task does not look like a dead worker. A
    beat that fails (the database busy for a moment) is logged and tried again at the next."""

    def __init__(self, worker_id: str, *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.clock = clock
        self.stopping = threading.Event()
        # The worker recovers once as it starts (run_worker), so the next is a lease away.
        self.next_recovery = clock() + task_lease().total_seconds()

    def tick(self) -> None:
        heartbeat_beat(self.worker_id)
        periodic_enqueue_due()
        if self.clock() >= self.next_recovery:
            self.next_recovery = self.clock() + task_lease().total_seconds()
            tasks_recover_stale()

    def run(self) -> None:
        try:
            while not self.stopping.wait(task_lease().total_seconds() / 4):
                close_old_connections()
                try:
                    self.tick()
                except DatabaseError:
                    logger.exception("Worker %s could not record its heartbeat.", self.worker_id)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)
