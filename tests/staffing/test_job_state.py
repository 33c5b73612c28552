"""With jobs kept in the database, the run page tells what the worker does with the run's job:
waiting, retrying after a failed attempt, failed for good, or done."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from kpo.site.worker.retries import record_failed_attempt
from kpo.staffing.models import StaffingRun
from kpo.work.models import Task
from tests.worker_runs import run_ready_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _jobs_in_the_database(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.KPO_JOB_RETRY_DELAYS = [10]


def progress(client: Client, run: StaffingRun) -> str:
    url = reverse("staffing_run_detail", kwargs={"run_id": run.pk}) + "?part=progress"
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_a_queued_run_waits_for_the_worker_which_then_solves_it(
    staffable: list[Task], start_run: Callable[..., StaffingRun], client_for: Callable[[str], Client]
) -> None:
    run = start_run(staffable)
    pete = client_for("pete")
    assert run.status == "queued"
    body = progress(pete, run)
    assert 'data-job-state="queued"' in body and "Waiting for the worker" in body and "every 1s" in body

    run_ready_jobs("w-test")

    run.refresh_from_db()
    assert run.status == "done" and run.result["lines"]
    body = progress(pete, run)
    assert "data-job-state" not in body and "every 1s" not in body


def test_a_failed_attempt_shows_the_retry_and_a_final_failure_stops_polling(
    staffable: list[Task], start_run: Callable[..., StaffingRun], client_for: Callable[[str], Client]
) -> None:
    run = start_run(staffable)
    pete = client_for("pete")
    row = DBTaskResult.objects.get(task_path="kpo.staffing.jobs.execute_staffing_run")
    row.claim("w-crashed")
    record_failed_attempt(row, "django.db.utils.OperationalError", "database is locked")

    body = progress(pete, run)
    assert 'data-job-state="retrying"' in body
    assert "attempt 1 of 2 failed (OperationalError)" in body and "runs again at" in body
    assert "every 1s" in body

    row.claim("w-crashed-again")
    record_failed_attempt(row, "django.db.utils.OperationalError", "database is locked")

    response = pete.get(
        reverse("staffing_run_detail", kwargs={"run_id": run.pk}) + "?part=progress", HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert 'data-job-state="failed"' in body and "failed after 2 attempts (OperationalError)" in body
    assert "every 1s" not in body and response["HX-Refresh"] == "true"
