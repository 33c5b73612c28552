"""Background work for organisations: recording break-glass grants that ran out."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from kpo.orgs.break_glass import record_expiries


@task()
def record_break_glass_expiries(now: str = "") -> dict[str, int]:
    """Record in the audit trail each break-glass grant that expired; `now` is ISO 8601 or empty."""
    moment = dt.datetime.fromisoformat(now) if now else None
    return {"expired": record_expiries(moment)}
