"""Jobs left running by a worker that died (no fresh heartbeat) count as a failed attempt: they are
retried or marked failed like any other failure, so a crash loses no job."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kpo.site.worker.heartbeat import live_worker_ids
from kpo.site.worker.retries import record_failed_attempt

logger = logging.getLogger("kpo.worker")
WORKER_LOST = "kpo.site.worker.WorkerLost"


def _orphaned(row: DBTaskResult[Any, Any], live: set[str]) -> bool:
    return not row.worker_ids or row.worker_ids[-1] not in live


def recover_orphans() -> int:
    """Put back (or fail) the running jobs whose worker has no fresh heartbeat; returns how many."""
    live = live_worker_ids()
    recovered = 0
    for row in DBTaskResult.objects.running():
        if not _orphaned(row, live):
            continue
        with transaction.atomic():
            locked = DBTaskResult.objects.select_for_update().filter(pk=row.pk).first()
            if locked is None or locked.status != TaskResultStatus.RUNNING or not _orphaned(locked, live):
                continue
            logger.warning("Job %s (%s) lost its worker %s.", locked.id, locked.task_path, locked.worker_ids)
            record_failed_attempt(
                locked, WORKER_LOST, "The worker running this job stopped without finishing it."
            )
            recovered += 1
    return recovered
