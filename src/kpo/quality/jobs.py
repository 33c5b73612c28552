"""Background jobs of quality: recompute the cached scores (evidence decays with age)."""

from __future__ import annotations

from django_tasks import task

from kpo.quality.scores import quality_refresh_all


@task()
def refresh_quality_scores() -> int:
    """Recompute every expert's quality score; returns how many were written."""
    return quality_refresh_all()
