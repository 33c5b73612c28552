"""`kpo worker`: run background jobs from the database until stopped (SIGTERM/SIGINT finish the job
that is running first). Failed jobs are retried with back-off, periodic jobs are enqueued once per slot
across all workers, and a heartbeat tells /readyz that a worker is alive."""

from __future__ import annotations

import logging
import os
import socket
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend

from kpo.site.worker.heartbeat import beat, stop_beating
from kpo.site.worker.periodic import enqueue_due
from kpo.site.worker.runner import Housekeeping, RetryingWorker


def default_worker_id() -> str:
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(8)}"


class Command(BaseCommand):
    help = "Run background jobs from the database (retries, periodic jobs, heartbeat) until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue-name", default="*", help="Queues to run, comma-separated; * is all.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls when idle.")
        parser.add_argument("--batch", action="store_true", help="Run the jobs that are ready, then exit.")
        parser.add_argument("--max-tasks", type=int, default=None, help="Exit after running this many jobs.")
        parser.add_argument(
            "--worker-id", default="", help="Unique id of this worker (default: host-pid-random)."
        )
        parser.add_argument(
            "--no-periodic", action="store_true", help="Do not enqueue periodic jobs (other workers may)."
        )
        parser.add_argument(
            "--stop-with-parent", action="store_true", help="Stop when the starting process ends (kpo demo)."
        )

    def _configure_logging(self, verbosity: int) -> None:
        level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 else logging.DEBUG
        for name in ("kpo.worker", "django_tasks_db", "django_tasks"):
            named = logging.getLogger(name)
            named.setLevel(level)
            if not named.handlers:
                handler = logging.StreamHandler(sys.stdout)
                handler.setFormatter(logging.Formatter("%(asctime)s [%(levelname)s] %(name)s: %(message)s"))
                named.addHandler(handler)
                named.propagate = False

    def handle(self, *args: Any, **options: Any) -> None:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                "The worker runs jobs kept in the database, but KPO_TASKS_BACKEND is "
                f"{type(backend).__module__}.{type(backend).__name__}: unset it (or set it to "
                "django_tasks_db.DatabaseBackend)."
            )
        interval, max_tasks = options["interval"], options["max_tasks"]
        if interval < 0:
            raise CommandError("--interval: give zero or more seconds.")
        if max_tasks is not None and max_tasks < 1:
            raise CommandError("--max-tasks: give a whole number above zero.")
        worker_id = options["worker_id"] or default_worker_id()
        if len(worker_id) > 64:
            raise CommandError("--worker-id: at most 64 characters.")
        self._configure_logging(options["verbosity"])
        queues = [name.strip() for name in options["queue_name"].split(",") if name.strip()] or ["*"]
        worker = RetryingWorker(
            queue_names=queues,
            interval=interval,
            batch=options["batch"],
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        housekeeping = Housekeeping(
            worker_id,
            periodic=not options["no_periodic"],
            parent_pid=os.getppid() if options["stop_with_parent"] else None,
        )
        beat(worker_id, housekeeping.started_at)  # before the first claim: a fresh worker is never "dead"
        if housekeeping.periodic:
            enqueue_due(timezone.now())
        housekeeping.start()
        worker.configure_signals()
        try:
            worker.run()
        finally:
            housekeeping.stop()
            stop_beating(worker_id)
            worker.reset_signals()
            self.stdout.write(f"Worker {worker_id} stopped.")
