"""Running the worker inside a test: one batch of what is ready now, in the test's own transaction."""

from __future__ import annotations

from unittest import mock

from kpo.site.worker.runner import RetryingWorker


def run_ready_jobs(worker_id: str = "test-worker") -> None:
    """One worker in batch mode: runs what is ready now, then returns.

    The worker closes stale database connections between jobs, as it must in production; inside a test
    that would close the test's own transaction (on PostgreSQL for real), so it is left out here.
    """
    worker = RetryingWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None):
        worker.run()
