"""Background jobs of service levels: keyword arguments in, one service call."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from kpo.sla.services import sla_check


@task()
def run_sla_check(now: str = "") -> dict[str, int]:
    """Escalate tasks newly at risk or breached and overdue dispute steps; `now` is ISO 8601 or empty."""
    report = sla_check(now=dt.datetime.fromisoformat(now) if now else None)
    return {
        "checked_tasks": report.checked_tasks,
        "task_escalations": report.task_escalations,
        "dispute_escalations": report.dispute_escalations,
        "notices": report.notices,
    }
