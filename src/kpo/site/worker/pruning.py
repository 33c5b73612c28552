"""Finished jobs' rows and old periodic slots are deleted after a while, so the queue table stays small:
successful jobs after `KPO_JOB_KEEP_DAYS`, failed ones after `KPO_FAILED_JOB_KEEP_DAYS` (kept longer, for
the operator to read their tracebacks). Queued and running jobs are never touched."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kpo.site.models import PeriodicSlot


@dataclass(frozen=True)
class Pruned:
    successful: int
    failed: int
    slots: int


def prune_job_rows(now: dt.datetime) -> Pruned:
    """Delete the rows of jobs that finished before their keeping period, and the slots as old as them."""
    keep_successful = now - dt.timedelta(days=settings.KPO_JOB_KEEP_DAYS)
    keep_failed = now - dt.timedelta(days=settings.KPO_FAILED_JOB_KEEP_DAYS)
    with transaction.atomic():
        successful, _ = DBTaskResult.objects.filter(
            status=TaskResultStatus.SUCCESSFUL, finished_at__lt=keep_successful
        ).delete()
        failed, _ = DBTaskResult.objects.filter(
            status=TaskResultStatus.FAILED, finished_at__lt=keep_failed
        ).delete()
        slots, _ = PeriodicSlot.objects.filter(slot_start__lt=min(keep_successful, keep_failed)).delete()
    return Pruned(successful=successful, failed=failed, slots=slots)
