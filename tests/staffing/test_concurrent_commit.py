"""Bookings racing each other: two managers committing overlapping runs at the same moment, or a manual
assignment raced by a commit. The row locks (kpo.work.booking) let only one through."""

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
from kpo.work import services as work_services
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


@pytest.mark.usefixtures("committed_db")
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


def _race_manual_then_commit(
    cast: Cast,
    monkeypatch: pytest.MonkeyPatch,
    *,
    manual_task: Task,
    manual_expert: ExpertProfile,
    run: StaffingRun,
) -> dict[str, str]:
    """A manager assigns by hand and, while that transaction is open (past its reads and locks, before
    it writes), another commits `run`; return each side's outcome."""
    real_checks = work_services.run_assignment_checks
    manual_locked = threading.Event()

    def slow_checks(task: Task, expert: ExpertProfile, role: str, *, after_role_rules: bool) -> None:
        real_checks(task, expert, role, after_role_rules=after_role_rules)
        if threading.current_thread().name == "manual" and not after_role_rules:
            manual_locked.set()
            time.sleep(0.5)  # the commit runs now: without the manual path's locks it reads nothing booked

    monkeypatch.setattr(work_services, "run_assignment_checks", slow_checks)
    outcomes: dict[str, str] = {}

    def record(name: str, action: Any) -> None:
        try:
            action()
            outcomes[name] = "ok"
        except DomainError as error:
            outcomes[name] = f"refused: {error.field}"
        except Exception as error:  # surface anything else in the assertion
            outcomes[name] = f"error: {error!r}"
        finally:
            manual_locked.set()
            connections.close_all()

    def manual() -> None:
        work_services.assignment_create(
            user=cast.pete,
            task=manual_task,
            expert=manual_expert,
            role="maker",
            planned_hours=manual_task.effort_hours,
        )

    def commit() -> None:
        assert manual_locked.wait(timeout=30)
        line = run.result["lines"][0]
        services.staffing_run_commit(
            user=cast.pete, run=run, lines=[{"task_id": line["task_id"], "expert_id": line["expert_id"]}]
        )

    threads = [
        threading.Thread(target=record, args=("manual", manual), name="manual"),
        threading.Thread(target=record, args=("commit", commit), name="commit"),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.usefixtures("committed_db")
def test_a_manual_assignment_raced_by_a_commit_never_overbooks(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks; .ci/run runs the suite on PostgreSQL")
    erin = ExpertProfile.objects.get(user=cast.erin)
    capacity = Decimal(str(float(erin.weekly_capacity_hours) * WEEKS))
    hours = int(capacity * 2 / 3)  # one fits, two do not
    by_hand = submitted_task(cast, "Study by hand", hours)
    run = _run(cast, submitted_task(cast, "Study by plan", hours), erin)

    outcomes = _race_manual_then_commit(cast, monkeypatch, manual_task=by_hand, manual_expert=erin, run=run)

    assert outcomes == {"manual": "ok", "commit": "refused: lines"}, outcomes
    booked = Assignment.objects.filter(expert=erin).aggregate(total=Sum("planned_hours"))["total"]
    assert booked == by_hand.effort_hours <= capacity
    assert StaffingRun.objects.get(pk=run.pk).status == "done"


@pytest.mark.usefixtures("committed_db")
def test_a_manual_maker_raced_by_a_commit_leaves_the_task_one_maker(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks; .ci/run runs the suite on PostgreSQL")
    erin = ExpertProfile.objects.get(user=cast.erin)
    carol = ExpertProfile.objects.get(user=cast.carol)
    task = submitted_task(cast, "Study", 10)
    run = _run(cast, task, erin)

    outcomes = _race_manual_then_commit(cast, monkeypatch, manual_task=task, manual_expert=carol, run=run)

    assert outcomes == {"manual": "ok", "commit": "refused: lines"}, outcomes
    assert list(Assignment.objects.filter(task=task).values_list("expert_id", "role")) == [
        (carol.pk, "maker")
    ]
