"""`manage.py run_worker`: django-tasks-db's `db_worker`, with recovery of lost tasks.

On start it puts back in the queue every task a dead worker left running (older than the
lease, TASK_LEASE_SECONDS) and enqueues the periodic tasks that are due, then, while
`db_worker`'s loop runs the tasks, a thread keeps this worker's heartbeat, enqueues periodic
tasks as their slots come (engage/core/periodic.py) and repeats the recovery every lease. It
takes `db_worker`'s options."""

import os
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from engage.core.periodic import periodic_enqueue_due
from engage.core.workers import Heartbeat, heartbeat_beat, heartbeat_end, tasks_recover_stale


class Command(DbWorkerCommand):
    help = "Run the background-task worker, first recovering tasks that dead workers left running."

    def handle(self, *args: Any, **options: Any) -> None:
        # With --reload, db_worker's process only watches files and restarts a child that runs
        # this command again: only the process that runs tasks keeps a heartbeat.
        if options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            super().handle(*args, **options)
            return
        worker_id = options["worker_id"]
        heartbeat_beat(worker_id)
        recovered = tasks_recover_stale()
        if options["verbosity"] and (recovered.requeued or recovered.failed):
            self.stdout.write(
                f"Recovered tasks left running: {recovered.requeued} queued again, "
                f"{recovered.failed} failed."
            )
        periodic_enqueue_due()
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
            heartbeat_end(worker_id)
