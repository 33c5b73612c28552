from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from kpo.staffing.models import StaffingRun
from kpo.staffing.services import staffing_run_create
from kpo.work.models import Task
from tests.cast import Cast


def submitted_task(cast: Cast, title: str, hours: int) -> Task:
    return Task.objects.create(
        engagement=cast.engagement_a,
        title=title,
        description="Open work.",
        effort_hours=Decimal(hours),
        due_at=cast.draft_a.due_at,
        status="submitted",
        created_by=cast.bob,
    )


@pytest.fixture
def staffable(cast: Cast) -> list[Task]:
    """Two submitted tasks of client A's engagement (provider P): 10 h and 20 h."""
    cast.draft_a.status = "submitted"
    cast.draft_a.save()
    return [cast.draft_a, submitted_task(cast, "Line survey", 20)]


@pytest.fixture
def start_run(cast: Cast, django_capture_on_commit_callbacks: Any) -> Callable[..., StaffingRun]:
    """Start a run as pete (or `user`) and let its task run (on commit, immediately)."""

    def start(tasks: list[Task], *, user: User | None = None, objective: str = "sum") -> StaffingRun:
        with django_capture_on_commit_callbacks(execute=True):
            run = staffing_run_create(
                user=user or cast.pete,
                provider=cast.provider_p,
                task_ids=[task.pk for task in tasks],
                objective=objective,
            )
        run.refresh_from_db()
        return run

    return start
