"""The worker runs jobs kept in the database; a job that raises is retried with back-off, then kept as
failed; a job whose worker died is recovered."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kpo.core.job_state import DONE, FAILED, QUEUED, RETRYING, job_state_of, latest_job
from kpo.site.models import WorkerHeartbeat
from kpo.site.worker.heartbeat import beat
from kpo.site.worker.orphans import WORKER_LOST, recover_orphans
from tests.ops.sample_jobs import add, always_fails
from tests.worker_runs import run_ready_jobs

pytestmark = pytest.mark.django_db


def test_the_worker_runs_a_job_enqueued_through_the_database(database_backend: None) -> None:
    result = add.enqueue(2, 3)
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.READY
    assert job_state_of(row).state == QUEUED

    run_ready_jobs()

    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL and row.return_value == 5
    assert row.worker_ids == ["test-worker"]
    assert latest_job(add) == job_state_of(row)
    assert job_state_of(row).state == DONE


def test_a_failing_job_is_retried_after_each_delay_then_kept_as_failed(
    database_backend: None,
    settings,
    caplog: pytest.LogCaptureFixture,  # type: ignore[no-untyped-def]
) -> None:
    settings.KPO_JOB_RETRY_DELAYS = [10, 60]
    result = always_fails.enqueue()
    row = DBTaskResult.objects.get(pk=result.id)

    for attempt, delay in enumerate([10, 60], start=1):
        before = timezone.now()
        run_ready_jobs()
        after = timezone.now()
        row.refresh_from_db()
        assert row.status == TaskResultStatus.READY, attempt
        assert before + dt.timedelta(seconds=delay) <= row.run_after <= after + dt.timedelta(seconds=delay)
        assert row.exception_class_path == "builtins.RuntimeError"
        state = job_state_of(row)
        assert (state.state, state.attempts, state.max_attempts, state.error) == (
            RETRYING,
            attempt,
            3,
            "RuntimeError",
        )
        run_ready_jobs()  # not yet due: nothing runs
        row.refresh_from_db()
        assert len(row.worker_ids) == attempt
        DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now() - dt.timedelta(seconds=1))

    with caplog.at_level(logging.ERROR, logger="kpo.worker"):
        run_ready_jobs()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED and len(row.worker_ids) == 3
    assert "this job always fails" in row.traceback
    assert job_state_of(row).state == FAILED
    assert any("failed for good after 3 attempts" in r.getMessage() for r in caplog.records)
    run_ready_jobs()
    row.refresh_from_db()
    assert len(row.worker_ids) == 3  # a failed job is kept, not run again


def test_without_retry_delays_a_failing_job_fails_at_once(database_backend: None, settings) -> None:  # type: ignore[no-untyped-def]
    settings.KPO_JOB_RETRY_DELAYS = []
    result = always_fails.enqueue()
    run_ready_jobs()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED and row.worker_ids == ["test-worker"]


def test_a_job_whose_worker_died_is_retried_and_a_live_workers_job_is_left_alone(
    database_backend: None,
) -> None:
    lost = DBTaskResult.objects.get(pk=add.enqueue(1, 1).id)
    lost.claim("dead-worker")
    kept = DBTaskResult.objects.get(pk=add.enqueue(2, 2).id)
    kept.claim("live-worker")
    beat("live-worker", timezone.now())
    beat("dead-worker", timezone.now())
    WorkerHeartbeat.objects.filter(worker_id="dead-worker").update(
        last_seen=timezone.now() - dt.timedelta(minutes=5)
    )

    assert recover_orphans() == 1

    lost.refresh_from_db()
    kept.refresh_from_db()
    assert lost.status == TaskResultStatus.READY and lost.exception_class_path == WORKER_LOST
    assert kept.status == TaskResultStatus.RUNNING
    DBTaskResult.objects.filter(pk=lost.pk).update(run_after=timezone.now())
    run_ready_jobs()
    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.SUCCESSFUL and lost.return_value == 2
    assert lost.worker_ids == ["dead-worker", "test-worker"]
