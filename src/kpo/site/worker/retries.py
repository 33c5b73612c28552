"""Retries with back-off: a failed attempt puts the job back in the queue after the next delay of
KPO_JOB_RETRY_DELAYS; after the last one the job is marked failed, kept and logged. Never lost."""

from __future__ import annotations

import datetime as dt
import logging
from traceback import format_exception
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import retry

from kpo.core.job_state import max_attempts

logger = logging.getLogger("kpo.worker")


def retry_delay(attempts: int) -> int | None:
    """Seconds to wait after `attempts` failed attempts, or None when the job has had its last."""
    delays: list[int] = settings.KPO_JOB_RETRY_DELAYS
    return delays[attempts - 1] if 1 <= attempts <= len(delays) else None


def error_fields(error: BaseException) -> tuple[str, str]:
    """The exception's class path and its formatted traceback, as the job row keeps them."""
    return f"{type(error).__module__}.{type(error).__qualname__}", "".join(format_exception(error))


@retry()
def _requeue(row: DBTaskResult[Any, Any], class_path: str, traceback: str, delay: int) -> None:
    row.status = TaskResultStatus.READY
    row.run_after = timezone.now() + dt.timedelta(seconds=delay)
    row.finished_at = None
    row.exception_class_path = class_path
    row.traceback = traceback
    row.save(update_fields=["status", "run_after", "finished_at", "exception_class_path", "traceback"])


@retry()
def _fail(row: DBTaskResult[Any, Any], class_path: str, traceback: str) -> None:
    row.status = TaskResultStatus.FAILED
    row.finished_at = timezone.now()
    row.return_value = None
    row.exception_class_path = class_path
    row.traceback = traceback
    row.save(update_fields=["status", "finished_at", "return_value", "exception_class_path", "traceback"])


def record_failed_attempt(row: DBTaskResult[Any, Any], class_path: str, traceback: str) -> bool:
    """Retry the job later or mark it failed for good; True when it will run again."""
    attempts = len(row.worker_ids)
    delay = retry_delay(attempts)
    if delay is not None:
        _requeue(row, class_path, traceback, delay)
        logger.warning(
            "Job %s (%s) failed on attempt %d of %d with %s; it runs again in %d s.",
            row.id, row.task_path, attempts, max_attempts(), class_path, delay,
        )  # fmt: skip
        return True
    _fail(row, class_path, traceback)
    logger.error(
        "Job %s (%s) failed for good after %d attempts with %s:\n%s",
        row.id, row.task_path, attempts, class_path, traceback,
    )  # fmt: skip
    return False
