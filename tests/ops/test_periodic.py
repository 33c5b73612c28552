"""Periodic jobs: registered by apps, enqueued by the worker once per slot however many workers ask."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from kpo.core.schedule import periodic_jobs, register_periodic
from kpo.matching.jobs import refresh_embeddings
from kpo.orgs.jobs import record_break_glass_expiries
from kpo.quality.jobs import refresh_quality_scores
from kpo.site.models import PeriodicSlot
from kpo.site.worker.periodic import enqueue_due
from kpo.sla.jobs import run_sla_check

pytestmark = pytest.mark.django_db
MOMENT = dt.datetime(2026, 3, 29, 0, 59, 30, tzinfo=dt.UTC)  # the night Copenhagen moves its clocks


def test_apps_register_the_sla_check_and_the_quality_refresh() -> None:
    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["break-glass-expiries"].every == dt.timedelta(minutes=5)
    assert jobs["break-glass-expiries"].task == record_break_glass_expiries
    assert jobs["sla-check"].every == dt.timedelta(minutes=5) and jobs["sla-check"].task == run_sla_check
    assert jobs["quality-refresh"].every == dt.timedelta(days=1)
    assert jobs["quality-refresh"].task == refresh_quality_scores
    assert jobs["embedding-refresh"].every == dt.timedelta(days=1)
    assert jobs["embedding-refresh"].task == refresh_embeddings


def test_a_slot_starts_at_a_whole_multiple_of_the_interval_in_utc() -> None:
    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["sla-check"].slot_start(MOMENT) == dt.datetime(2026, 3, 29, 0, 55, tzinfo=dt.UTC)
    assert jobs["quality-refresh"].slot_start(MOMENT) == dt.datetime(2026, 3, 29, tzinfo=dt.UTC)


def test_an_interval_under_a_minute_is_refused() -> None:
    with pytest.raises(ValueError, match="at least a minute"):
        register_periodic("too-often", dt.timedelta(seconds=5), run_sla_check)


def test_each_slot_is_enqueued_once_across_schedulers(database_backend: None) -> None:
    assert enqueue_due(MOMENT) == [
        "audit-checkpoint",
        "audit-verify",
        "break-glass-expiries",
        "embedding-refresh",
        "job-pruning",
        "quality-refresh",
        "sla-check",
    ]
    assert enqueue_due(MOMENT) == []  # a second scheduler (another worker) in the same slot
    # 01:00: the next five-minute slots, the next quarter-hour checkpoint and the hourly check
    assert enqueue_due(MOMENT + dt.timedelta(seconds=30)) == [
        "audit-checkpoint",
        "audit-verify",
        "break-glass-expiries",
        "sla-check",
    ]
    assert enqueue_due(MOMENT + dt.timedelta(minutes=4)) == []

    slots = list(
        PeriodicSlot.objects.order_by("slot_start", "job_name").values_list("job_name", "task_result_id")
    )
    assert [name for name, _ in slots] == [
        "audit-verify",
        "embedding-refresh",
        "job-pruning",
        "quality-refresh",
        "audit-checkpoint",
        "break-glass-expiries",
        "sla-check",
        "audit-checkpoint",
        "audit-verify",
        "break-glass-expiries",
        "sla-check",
    ]
    queued = DBTaskResult.objects.filter(pk__in=[task_id for _, task_id in slots])
    assert sorted(row.task_path for row in queued) == [
        "kpo.audit.jobs.verify_audit_chain",
        "kpo.audit.jobs.verify_audit_chain",
        "kpo.audit.jobs.write_audit_checkpoint",
        "kpo.audit.jobs.write_audit_checkpoint",
        "kpo.matching.jobs.refresh_embeddings",
        "kpo.orgs.jobs.record_break_glass_expiries",
        "kpo.orgs.jobs.record_break_glass_expiries",
        "kpo.quality.jobs.refresh_quality_scores",
        "kpo.site.jobs.prune_finished_jobs",
        "kpo.sla.jobs.run_sla_check",
        "kpo.sla.jobs.run_sla_check",
    ]
    assert DBTaskResult.objects.count() == 11
