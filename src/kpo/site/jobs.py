"""The site's own background jobs: keeping the worker's tables small."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from kpo.site.worker.pruning import prune_job_rows


@task()
def prune_finished_jobs(now: str = "") -> dict[str, int]:
    """Delete old finished jobs' rows and periodic slots; `now` is ISO 8601 or empty for the present."""
    pruned = prune_job_rows(dt.datetime.fromisoformat(now) if now else timezone.now())
    return {"successful": pruned.successful, "failed": pruned.failed, "slots": pruned.slots}
