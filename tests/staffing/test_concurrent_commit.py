"""Two managers commit overlapping runs at the same moment: the row locks let only one through."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections
from django.db.models import Sum

from kpo.core.errors import DomainError
from kpo.experts.models import ExpertProfile
from kpo.staffing import services
from kpo.staffing.models import StaffingRun
from kpo.work.models import Assignment, Task
from tests.cast import Cast
from tests.staffing.conftest import submitted_task

WEEKS = 2.0


def _run(cast: Cast, task: Task, expert: ExpertProfile) -> StaffingRun:
    line = {
        "task_id": task.pk,
        "expert_id": expert.pk,
        "score": 0.9,
        "planned_hours": float(task.effort_hours),
    }
    return StaffingRun.objects.create(
        provider=cast.provider_p,
        created_by=cast.pete,
        task_ids=[task.pk],
        status="done",
        progress=100,
        result={
            "lines": [line],
            "uncovered": [],
            "candidates": {str(task.pk): [{"expert_id": expert.pk, "score": 0.9}]},
            "window_weeks": WEEKS,
        },
    )


@pytest.mark.django_db(transaction=True)
def test_overlapping_commits_never_overbook(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks; .ci/run runs the suite on PostgreSQL")
    erin = ExpertProfile.objects.get(user=cast.erin)
    capacity = Decimal(str(float(erin.weekly_capacity_hours) * WEEKS))
    hours = int(capacity * 2 / 3)  # one fits, two do not
    runs = [_run(cast, submitted_task(cast, f"Study {i}", hours), erin) for i in range(2)]

    real_booked = services.booked_hours

    def slow_booked(expert_ids: Any) -> dict[int, Decimal]:
        booked = real_booked(expert_ids)
        time.sleep(0.3)  # widen the race: without the locks both commits would read 0 booked hours
        return booked

    monkeypatch.setattr(services, "booked_hours", slow_booked)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def commit(run: StaffingRun) -> None:
        try:
            barrier.wait(timeout=10)
            line = run.result["lines"][0]
            services.staffing_run_commit(
                user=cast.pete, run=run, lines=[{"task_id": line["task_id"], "expert_id": line["expert_id"]}]
            )
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(f"refused: {error.field}")
        except Exception as error:  # surface anything else in the assertion below
            outcomes.append(f"error: {error!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=commit, args=(run,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["ok", "refused: lines"], outcomes
    booked = Assignment.objects.filter(expert=erin).aggregate(total=Sum("planned_hours"))["total"]
    assert booked is not None and booked <= capacity
    assert sorted(StaffingRun.objects.values_list("status", flat=True)) == ["committed", "done"]
