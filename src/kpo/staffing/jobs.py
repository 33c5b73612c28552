"""Background jobs of staffing runs: ids in, one service call."""

from __future__ import annotations

from django_tasks import task

from kpo.staffing.services import staffing_run_execute


@task()
def execute_staffing_run(run_id: int) -> None:
    staffing_run_execute(run_id=run_id)
