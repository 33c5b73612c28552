"""Writes for staffing runs: start one, execute it (the background task), commit its plan.

The commit is the only step that writes assignments. It locks the experts' profile rows and then the
tasks (kpo.work.booking, the order manual assignments take too, so no two bookings deadlock), then
re-checks every expert's hours against what is booked NOW: two managers committing overlapping runs
at once, or a commit raced by a manual assignment, cannot overbook an expert or give a task two makers.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from functools import partial
from typing import Any

import numpy as np
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kpo.core.errors import DomainError
from kpo.engine.assignment import Problem, Progress, solve
from kpo.engine.assignment.plan import Objective
from kpo.engine.matching import window_weeks
from kpo.matching.selectors import shortlist_for_task
from kpo.orgs.models import Organisation
from kpo.staffing.access import managed_provider_ids
from kpo.staffing.models import RunObjective, RunStatus, StaffingRun
from kpo.staffing.selectors import RUN_STATES, booked_hours, capacity_hours
from kpo.work.access import tasks_visible_to
from kpo.work.booking import lock_booking_rows
from kpo.work.models import Assignment, AssignmentRole, Task
from kpo.work.services import assignment_create

logger = logging.getLogger(__name__)

TOP_K = 20
MAX_TASKS = 500
DEFAULT_TIME_LIMIT_S = 30.0
PROGRESS_EVERY_S = 0.5
HOURS_TOL = 1e-6


def time_limit_s() -> float:
    value: object = getattr(settings, "KPO_STAFFING_TIME_LIMIT", DEFAULT_TIME_LIMIT_S)
    try:
        limit = float(str(value))
    except (TypeError, ValueError):
        return DEFAULT_TIME_LIMIT_S
    return limit if math.isfinite(limit) and limit > 0 else DEFAULT_TIME_LIMIT_S


def _require_manager(user: User, provider_id: int) -> None:
    if provider_id not in managed_provider_ids(user):
        raise PermissionDenied(_("Only the provider's managers staff its tasks."))


def _task_ids(task_ids: Iterable[object]) -> list[int]:
    ids: list[int] = []
    for value in task_ids:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise DomainError(_("Task ids must be whole numbers."), field="task_ids")
        try:
            number = int(value)
        except ValueError as error:
            raise DomainError(_("Task ids must be whole numbers."), field="task_ids") from error
        if number not in ids:
            ids.append(number)
    return ids


@transaction.atomic
def staffing_run_create(
    *, user: User, provider: Organisation, task_ids: Iterable[object], objective: str = RunObjective.SUM
) -> StaffingRun:
    """Start a run over `task_ids` (tasks of `provider`, submitted or in staffing); it solves in the
    background (a django-tasks task enqueued on commit)."""
    _require_manager(user, provider.pk)
    ids = _task_ids(task_ids)
    if not ids:
        raise DomainError(_("Pick at least one task to staff."), field="task_ids")
    if len(ids) > MAX_TASKS:
        raise DomainError(_("A run staffs at most %(n)s tasks.") % {"n": MAX_TASKS}, field="task_ids")
    if objective not in RunObjective.values:
        raise DomainError(_("Unknown objective."), field="objective")
    tasks = {task.pk: task for task in tasks_visible_to(user).filter(id__in=ids).select_related("engagement")}
    missing = [pk for pk in ids if pk not in tasks]
    if missing:
        raise DomainError(
            _("There is no task %(ids)s, or you may not see it.") % {"ids": ", ".join(map(str, missing))},
            field="task_ids",
        )
    foreign = [pk for pk in ids if tasks[pk].engagement.provider_id != provider.pk]
    if foreign:
        raise DomainError(
            _("Task %(ids)s is not delivered by %(provider)s.")
            % {"ids": ", ".join(map(str, foreign)), "provider": provider.name},
            field="task_ids",
        )
    closed = [pk for pk in ids if tasks[pk].status not in RUN_STATES]
    if closed:
        raise DomainError(
            _("Task %(ids)s is not waiting to be staffed (only submitted tasks and tasks in staffing are).")
            % {"ids": ", ".join(map(str, closed))},
            field="task_ids",
        )
    run = StaffingRun(provider=provider, created_by=user, task_ids=ids, objective=objective)
    run.full_clean()
    run.save()
    run_id = run.pk

    def enqueue() -> None:
        from kpo.staffing.jobs import execute_staffing_run

        execute_staffing_run.enqueue(run_id=run_id)

    transaction.on_commit(enqueue)
    return run


class _Throttled:
    """Writes the solver's progress to the run row at most every PROGRESS_EVERY_S seconds."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.last = 0.0
        self.percent = 0

    def __call__(self, progress: Progress) -> None:
        percent = max(5, min(99, round(5 + 94 * float(progress.fraction))))
        clock = time.monotonic()
        if percent == self.percent or clock - self.last < PROGRESS_EVERY_S:
            return
        self.last, self.percent = clock, percent
        StaffingRun.objects.filter(pk=self.run_id).update(
            progress=percent, message=str(progress.message)[:500], updated_at=timezone.now()
        )


def _number(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _reasons(text: Callable[[], str]) -> dict[str, Any]:
    """A reason in the active language and in every language kpo speaks: the run is solved in the worker,
    read later by managers in their own."""
    reasons = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reasons[code] = text()
    active = translation.get_language() or settings.LANGUAGE_CODE
    return {"reason": reasons.get(active) or reasons[settings.LANGUAGE_CODE], "reasons": reasons}


def _nobody_message(task: Task, now: dt.datetime) -> str:
    """Why nobody can take the task, in the active language (the shortlist words its rules as it is built)."""
    return shortlist_for_task(task, TOP_K, now=now, sees_client_staff=False).message


def _solve_run(run: StaffingRun) -> dict[str, Any]:
    now = timezone.now()
    tasks = list(
        Task.objects.filter(id__in=run.task_ids)
        .select_related("engagement", "engagement__client", "engagement__provider")
        .order_by("id")
    )
    on_task: dict[int, set[int]] = defaultdict(set)
    has_maker: set[int] = set()
    for task_id, expert_id, role in Assignment.objects.filter(task__in=tasks).values_list(
        "task_id", "expert_id", "role"
    ):
        on_task[task_id].add(expert_id)
        if role == AssignmentRole.MAKER:
            has_maker.add(task_id)
    uncovered: list[dict[str, Any]] = []
    candidates: dict[int, list[tuple[int, float]]] = {}
    demand: list[int] = []
    weeks = 0.0
    for task in tasks:
        if task.status not in RUN_STATES:
            uncovered.append(
                {"task_id": task.pk, **_reasons(lambda: _("The task is no longer waiting to be staffed."))}
            )
            demand.append(0)
            candidates[task.pk] = []
            continue
        if task.pk in has_maker:
            demand.append(0)
            candidates[task.pk] = []
            continue
        listing = shortlist_for_task(task, TOP_K, now=now, sees_client_staff=False)
        candidates[task.pk] = [
            (entry.expert_id, float(entry.total))
            for entry in listing.result.entries
            if entry.expert_id not in on_task[task.pk]
        ]
        if not candidates[task.pk]:
            uncovered.append({"task_id": task.pk, **_reasons(partial(_nobody_message, task, now))})
            demand.append(0)
            continue
        demand.append(1)
        weeks = max(weeks, window_weeks(now, task.due_at))
    expert_ids = sorted({expert_id for pairs in candidates.values() for expert_id, _s in pairs})
    column = {expert_id: i for i, expert_id in enumerate(expert_ids)}
    capacity = capacity_hours(expert_ids, weeks)
    task_idx, expert_idx, scores = [], [], []
    for row, task in enumerate(tasks):
        for expert_id, score in candidates[task.pk]:
            task_idx.append(row)
            expert_idx.append(column[expert_id])
            scores.append(score)
    problem = Problem(
        n_tasks=len(tasks),
        n_experts=len(expert_ids),
        task_idx=np.array(task_idx, dtype=np.int64),
        expert_idx=np.array(expert_idx, dtype=np.int64),
        score=np.array(scores, dtype=np.float64),
        demand=np.array(demand, dtype=np.int64),
        task_hours=np.array([float(task.effort_hours) for task in tasks], dtype=np.float64),
        capacity_hours=np.array([capacity.get(pk, 0.0) for pk in expert_ids], dtype=np.float64),
    )
    objective: Objective = "maxmin_then_sum" if run.objective == RunObjective.MAXMIN_THEN_SUM else "sum"
    plan = solve(problem, objective=objective, time_limit_s=time_limit_s(), on_progress=_Throttled(run.pk))
    score_of = {(t, e): s for t, e, s in zip(task_idx, expert_idx, scores, strict=True)}
    lines = [
        {
            "task_id": tasks[t].pk,
            "expert_id": expert_ids[e],
            "score": score_of[(t, e)],
            "planned_hours": float(tasks[t].effort_hours),
        }
        for t, e in plan.assignments
    ]
    reported = {u["task_id"] for u in uncovered}
    for short in plan.uncovered:
        task_id = tasks[short.task].pk
        if task_id not in reported:
            uncovered.append({"task_id": task_id, "reason": short.reason})
    return {
        "lines": lines,
        "uncovered": uncovered,
        "candidates": {
            str(task_id): [{"expert_id": e, "score": s} for e, s in pairs]
            for task_id, pairs in candidates.items()
        },
        "objective": plan.objective,
        "lp_bound": _number(plan.lp_bound),
        "gap": _number(plan.gap),
        "solver": plan.solver,
        "seconds": plan.seconds,
        "status": plan.status,
        "window_weeks": weeks,
    }


def staffing_run_execute(*, run_id: int) -> StaffingRun | None:
    """Solve a queued run and store its proposal; any failure marks the run failed with the message."""
    updated = StaffingRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, progress=1, message="", updated_at=timezone.now()
    )
    if not updated:
        return None
    run = StaffingRun.objects.get(pk=run_id)
    try:
        result = _solve_run(run)
    except Exception as error:  # a failed run must say why, whatever broke
        logger.exception("staffing run %s failed", run_id)
        StaffingRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED,
            message=str(error)[:2000] or type(error).__name__,
            updated_at=timezone.now(),
        )
    else:
        StaffingRun.objects.filter(pk=run_id).update(
            status=RunStatus.DONE, progress=100, message="", result=result, updated_at=timezone.now()
        )
    return StaffingRun.objects.get(pk=run_id)


def _chosen_lines(run: StaffingRun, lines: Iterable[Mapping[str, object]]) -> list[tuple[int, int]]:
    """(task id, expert id) of each line to commit, checked against the run's proposal and candidates."""
    proposed = {int(line["task_id"]) for line in run.result.get("lines", [])}
    candidates = {
        int(task_id): {int(c["expert_id"]) for c in cands}
        for task_id, cands in run.result.get("candidates", {}).items()
    }
    chosen: list[tuple[int, int]] = []
    seen: set[int] = set()
    for line in lines:
        try:
            task_id, expert_id = int(str(line["task_id"])), int(str(line["expert_id"]))
        except (KeyError, TypeError, ValueError) as error:
            raise DomainError(_("Each line needs a task id and an expert id."), field="lines") from error
        if task_id not in proposed or task_id in seen:
            raise DomainError(
                _("Task %(task)s is not a line of this run's plan (or is listed twice).") % {"task": task_id},
                field="lines",
            )
        if expert_id not in candidates.get(task_id, set()):
            raise DomainError(
                _("Expert %(expert)s is not a candidate for task %(task)s.")
                % {"expert": expert_id, "task": task_id},
                field="lines",
            )
        seen.add(task_id)
        chosen.append((task_id, expert_id))
    if not chosen:
        raise DomainError(_("There is nothing to commit: keep at least one line."), field="lines")
    return chosen


@transaction.atomic
def staffing_run_commit(
    *, user: User, run: StaffingRun, lines: Iterable[Mapping[str, object]]
) -> list[Assignment]:
    """Create the maker assignments of `lines` (the run's plan, possibly edited: lines dropped or
    another candidate chosen), all or nothing; refuses when an expert would be overbooked now."""
    run = StaffingRun.objects.select_for_update().get(pk=run.pk)
    _require_manager(user, run.provider_id)
    if run.status != RunStatus.DONE:
        raise DomainError(
            _("Only a finished run that is not yet committed can be committed."), field="status"
        )
    chosen = _chosen_lines(run, lines)
    expert_ids = sorted({expert_id for _t, expert_id in chosen})
    task_ids = sorted({task_id for task_id, _e in chosen})
    experts, tasks = lock_booking_rows(expert_ids=expert_ids, task_ids=task_ids)
    weeks = float(run.result.get("window_weeks", 0.0))
    booked = booked_hours(expert_ids)
    with_maker = set(
        Assignment.objects.filter(task_id__in=task_ids, role=AssignmentRole.MAKER).values_list(
            "task_id", flat=True
        )
    )
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    for task_id, expert_id in chosen:
        task = tasks.get(task_id)
        if task is None or task.status not in RUN_STATES or task_id in with_maker:
            raise DomainError(
                _("Task %(task)s is no longer waiting for a maker.") % {"task": task_id}, field="lines"
            )
        if expert_id not in experts:
            raise DomainError(_("Expert %(expert)s no longer exists.") % {"expert": expert_id}, field="lines")
        wanted[expert_id] += task.effort_hours
    for expert_id, hours in wanted.items():
        expert = experts[expert_id]
        capacity = Decimal(str(float(expert.weekly_capacity_hours) * max(weeks, 0.0)))
        total = booked.get(expert_id, Decimal(0)) + hours
        if total > capacity + Decimal(str(HOURS_TOL)):
            raise DomainError(
                _(
                    "%(expert)s would be overbooked: %(total)s hours planned against %(capacity)s available."
                    " Start a new run."
                )
                % {"expert": expert.display_name, "total": total, "capacity": round(capacity, 1)},
                field="lines",
            )
    created = [
        assignment_create(
            user=user,
            task=tasks[task_id],
            expert=experts[expert_id],
            role=AssignmentRole.MAKER,
            planned_hours=tasks[task_id].effort_hours,
        )
        for task_id, expert_id in chosen
    ]
    run.status = RunStatus.COMMITTED
    run.committed_by = user
    run.committed_at = timezone.now()
    run.full_clean()
    run.save()
    return created
