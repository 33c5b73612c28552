"""Reads for staffing runs: the tasks a manager may staff, recent runs, experts' remaining hours."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from kpo.core.formatting import number
from kpo.core.types import AnyUser
from kpo.experts.models import ExpertProfile
from kpo.matching.selectors import expert_cards
from kpo.staffing.access import managed_provider_ids, runs_visible_to
from kpo.staffing.models import StaffingRun
from kpo.work.access import tasks_visible_to
from kpo.work.models import OPEN_STATUS_VALUES, Assignment, Task, TaskStatus

RUN_STATES = (TaskStatus.SUBMITTED.value, TaskStatus.STAFFING.value)
"""Tasks a run may staff: submitted to the provider and not yet under way."""
RECENT_RUNS = 20


def staffable_tasks(user: AnyUser, provider_ids: Iterable[int] | None = None) -> QuerySet[Task]:
    """Tasks of the providers the user manages that a run may staff, by due date."""
    ids = managed_provider_ids(user) if provider_ids is None else set(provider_ids)
    return (
        tasks_visible_to(user)
        .filter(engagement__provider_id__in=ids, status__in=RUN_STATES)
        .select_related("engagement", "engagement__provider")
        .order_by("due_at", "id")
    )


def recent_runs(user: AnyUser) -> QuerySet[StaffingRun]:
    return runs_visible_to(user).select_related("provider", "created_by")[:RECENT_RUNS]


def booked_hours(expert_ids: Iterable[int]) -> dict[int, Decimal]:
    """Planned hours of each expert's assignments on tasks in an open state."""
    rows = (
        Assignment.objects.filter(expert_id__in=list(expert_ids), task__status__in=OPEN_STATUS_VALUES)
        .values("expert_id")
        .annotate(hours=Sum("planned_hours"))
        .values_list("expert_id", "hours")
    )
    return {expert_id: Decimal(hours or 0) for expert_id, hours in rows}


def capacity_hours(expert_ids: Iterable[int], window_weeks: float) -> dict[int, float]:
    """Each expert's hours left in a window of `window_weeks`: weekly x weeks - booked, >= 0."""
    ids = list(expert_ids)
    booked = booked_hours(ids)
    weekly = dict(ExpertProfile.objects.filter(id__in=ids).values_list("id", "weekly_capacity_hours"))
    return {
        pk: max(0.0, float(hours) * max(window_weeks, 0.0) - float(booked.get(pk, 0)))
        for pk, hours in weekly.items()
    }


@dataclass(frozen=True)
class PlanLine:
    task_id: int
    task_title: str
    expert_id: int
    expert_name: str
    score: float
    planned_hours: float
    choices: list[tuple[int, str, float]]
    """(expert id, name, score) of every candidate of the task."""

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass(frozen=True)
class UncoveredLine:
    task_id: int
    task_title: str
    reason: str


PROVEN_GAP = 1e-6
"""A plan this close to the solver's proven bound is called the best possible (the MILP's own tolerance)."""


def plan_verdict(result: dict[str, Any]) -> str:
    """How good the proposed plan is, in plain words: proven best, within some per cent of the best
    possible, or the best found without a proof of how close it is."""
    gap = result.get("gap")
    if result.get("status") == "optimal" or (gap is not None and gap <= PROVEN_GAP):
        return _("This is the best possible plan: the solver proved that no plan scores higher.")
    if gap is not None and gap < 1:
        return _("The best plan found: within %(percent)s %% of the best possible.") % {
            "percent": number(max(gap * 100, 0.1), 1)
        }
    return _("The best plan found in the time allowed; how close it is to the best possible is not known.")


@dataclass(frozen=True)
class RunView:
    run: StaffingRun
    lines: list[PlanLine]
    uncovered: list[UncoveredLine]

    @property
    def verdict(self) -> str:
        return plan_verdict(self.run.result or {})


def _reason(uncovered: dict[str, Any]) -> str:
    """Why a task was left unstaffed, in the reader's language when the run kept it in that language."""
    reasons = uncovered.get("reasons") or {}
    return str(reasons.get(translation.get_language()) or uncovered.get("reason", ""))


def run_view(run: StaffingRun, viewer: AnyUser) -> RunView:
    """The run's proposal with task titles and expert names (as the viewer may see them), in two queries."""
    result = run.result or {}
    candidates: dict[str, list[dict[str, float]]] = result.get("candidates", {})
    expert_ids = sorted({int(c["expert_id"]) for cands in candidates.values() for c in cands})
    cards = expert_cards(expert_ids, viewer)
    titles = dict(Task.objects.filter(id__in=run.task_ids).values_list("id", "title"))

    def name(expert_id: int) -> str:
        card = cards.get(expert_id)
        return card.name if card else f"#{expert_id}"

    lines = [
        PlanLine(
            task_id=int(line["task_id"]),
            task_title=titles.get(int(line["task_id"]), ""),
            expert_id=int(line["expert_id"]),
            expert_name=name(int(line["expert_id"])),
            score=float(line["score"]),
            planned_hours=float(line["planned_hours"]),
            choices=[
                (int(c["expert_id"]), name(int(c["expert_id"])), float(c["score"]))
                for c in candidates.get(str(line["task_id"]), [])
            ],
        )
        for line in result.get("lines", [])
    ]
    uncovered = [
        UncoveredLine(int(u["task_id"]), titles.get(int(u["task_id"]), ""), _reason(u))
        for u in result.get("uncovered", [])
    ]
    return RunView(run=run, lines=lines, uncovered=uncovered)
