"""What became of a background job: the latest database row of a task called with some keyword
arguments, told as a page shows it (queued, running, retrying after a failed attempt, failed, done)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

QUEUED, RUNNING, RETRYING, FAILED, DONE = "queued", "running", "retrying", "failed", "done"
LABELS = {
    QUEUED: _("Waiting for the worker"),
    RUNNING: _("Running"),
    RETRYING: _("Failed; retrying"),
    FAILED: _("Failed"),
    DONE: _("Done"),
}


def max_attempts() -> int:
    """A job runs once and again after each retry delay."""
    return 1 + len(settings.KPO_JOB_RETRY_DELAYS)


@dataclass(frozen=True)
class JobState:
    id: str
    state: str
    attempts: int
    max_attempts: int
    next_attempt_at: dt.datetime | None
    error: str

    @property
    def label(self) -> str:
        return str(LABELS[self.state])

    @property
    def active(self) -> bool:
        return self.state in {QUEUED, RUNNING, RETRYING}


def _state(row: DBTaskResult[Any, Any]) -> str:
    attempts = len(row.worker_ids)
    if row.status == TaskResultStatus.READY:
        return RETRYING if attempts else QUEUED
    if row.status == TaskResultStatus.RUNNING:
        return RUNNING
    if row.status == TaskResultStatus.FAILED:
        return FAILED
    return DONE


def job_state_of(row: DBTaskResult[Any, Any]) -> JobState:
    state = _state(row)
    waits = state in {QUEUED, RETRYING} and row.run_after != get_date_max()
    return JobState(
        id=str(row.id),
        state=state,
        attempts=len(row.worker_ids),
        max_attempts=max_attempts(),
        next_attempt_at=row.run_after if waits else None,
        error=row.exception_class_path.rsplit(".", 1)[-1] if state in {RETRYING, FAILED} else "",
    )


def latest_job(task: Task[Any, Any], **kwargs: Any) -> JobState | None:
    """The latest job of `task` enqueued with (at least) `kwargs`, or None (none, or jobs run inline)."""
    rows = DBTaskResult.objects.filter(task_path=task.module_path)
    for name, value in kwargs.items():
        rows = rows.filter(**{f"args_kwargs__kwargs__{name}": value})
    row = rows.order_by("-enqueued_at").first()
    return job_state_of(row) if row is not None else None
