"""The worker: django-tasks-db's `Worker` (claims one job at a time; on SQLite in an exclusive
transaction) with retries on failure, and a housekeeping thread that writes the heartbeat, enqueues
periodic jobs and recovers the jobs of dead workers."""

from __future__ import annotations

import logging
import os
import signal
import threading
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskContext
from django_tasks.signals import task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from kpo.site.worker.heartbeat import beat
from kpo.site.worker.orphans import recover_orphans
from kpo.site.worker.periodic import enqueue_due
from kpo.site.worker.retries import error_fields, record_failed_attempt

logger = logging.getLogger("kpo.worker")


class RetryingWorker(Worker):
    """Runs a claimed job; a job that raises is retried with back-off (see retries.py)."""

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = type(task.get_backend())
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                value = task.call(
                    TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs
                )
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except BaseException as error:  # a job may raise anything; none may take the worker down
            if record_failed_attempt(db_task_result, *error_fields(error)):
                return
            try:
                finished = db_task_result.task_result
            except ImportError:
                return  # the job's function is gone: the row keeps the error
            task_finished.send(sender=type(finished.task.get_backend()), task_result=finished)
        finally:
            self.running_task = False
            self._run_tasks += 1


class Housekeeping(threading.Thread):
    """Every few seconds: the heartbeat, the periodic jobs due, and the jobs of dead workers."""

    def __init__(self, worker_id: str, *, periodic: bool, parent_pid: int | None = None) -> None:
        super().__init__(name=f"kpo-worker-housekeeping-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.periodic = periodic
        self.parent_pid = parent_pid
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def tick(self) -> None:
        if self.parent_pid is not None and os.getppid() != self.parent_pid:
            logger.warning("The process that started this worker is gone; stopping.")
            os.kill(os.getpid(), signal.SIGTERM)  # the worker's own graceful stop, in the main thread
        beat(self.worker_id, self.started_at)
        recover_orphans()
        if self.periodic:
            enqueue_due(timezone.now())

    def run(self) -> None:
        try:
            while not self.stopping.wait(settings.KPO_WORKER_HEARTBEAT_SECONDS):
                try:
                    self.tick()
                except Exception:  # a locked or briefly unreachable database must not end the heartbeat
                    logger.exception("Worker housekeeping failed; trying again shortly.")
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=30)
