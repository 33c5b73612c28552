"""Old finished jobs' rows and periodic slots are deleted by a daily job; queued, running and recent
ones stay, and failed ones are kept longer than successful ones."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kpo.core.schedule import periodic_jobs
from kpo.site.jobs import prune_finished_jobs
from kpo.site.models import PeriodicSlot
from kpo.site.worker.pruning import prune_job_rows
from kpo.sla.jobs import run_sla_check

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def _job(status: TaskResultStatus, days_ago: int | None) -> str:
    result = run_sla_check.enqueue()
    finished = None if days_ago is None else NOW - dt.timedelta(days=days_ago)
    DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=finished)
    return str(result.id)


def test_old_finished_rows_go_and_everything_else_stays(database_backend: None, settings: object) -> None:
    old_success = _job(TaskResultStatus.SUCCESSFUL, 15)
    recent_success = _job(TaskResultStatus.SUCCESSFUL, 13)
    failed_month_ago = _job(TaskResultStatus.FAILED, 30)
    old_failure = _job(TaskResultStatus.FAILED, 91)
    queued = _job(TaskResultStatus.READY, None)
    running = _job(TaskResultStatus.RUNNING, None)
    for days_ago, result_id in ((100, "x"), (1, "y")):
        slot_start = NOW - dt.timedelta(days=days_ago)
        PeriodicSlot.objects.create(job_name="sla-check", slot_start=slot_start, task_result_id=result_id)

    pruned = prune_job_rows(NOW)

    assert (pruned.successful, pruned.failed, pruned.slots) == (1, 1, 1)
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert {str(pk) for pk in left} == {recent_success, failed_month_ago, queued, running}
    assert old_success not in left and old_failure not in left
    assert list(PeriodicSlot.objects.values_list("task_result_id", flat=True)) == ["y"]


def test_the_keeping_periods_come_from_the_settings(database_backend: None, settings: object) -> None:
    settings.KPO_JOB_KEEP_DAYS = 1  # type: ignore[attr-defined]
    recent_success = _job(TaskResultStatus.SUCCESSFUL, 2)
    assert prune_job_rows(NOW).successful == 1
    assert not DBTaskResult.objects.filter(pk=recent_success).exists()


def test_the_pruning_runs_daily_through_the_worker(database_backend: None) -> None:
    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["job-pruning"].every == dt.timedelta(days=1)
    assert jobs["job-pruning"].task == prune_finished_jobs
    _job(TaskResultStatus.SUCCESSFUL, 20)
    assert prune_finished_jobs.call(now=NOW.isoformat()) == {"successful": 1, "failed": 0, "slots": 0}
