"""Enqueue each registered periodic job (kpo.core.schedule) once per slot, across all workers: the slot's
row and the job are written in one transaction, and the unique (job, slot) pair turns a second enqueue
of the same slot into an integrity error that is skipped."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction

from kpo.core.schedule import periodic_jobs
from kpo.site.models import PeriodicSlot

logger = logging.getLogger("kpo.worker")


def enqueue_due(now: dt.datetime) -> list[str]:
    """Enqueue the periodic jobs whose slot holding `now` has not been enqueued yet; returns their names."""
    enqueued: list[str] = []
    for job in periodic_jobs():
        slot_start = job.slot_start(now)
        if PeriodicSlot.objects.filter(job_name=job.name, slot_start=slot_start).exists():
            continue
        try:
            with transaction.atomic():
                slot = PeriodicSlot.objects.create(job_name=job.name, slot_start=slot_start)
                result = job.task.enqueue(**job.kwargs)
                slot.task_result_id = str(result.id)
                slot.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue  # another worker enqueued this slot first
        logger.info("Enqueued periodic job %s for the slot starting %s.", job.name, slot_start.isoformat())
        enqueued.append(job.name)
    return enqueued
