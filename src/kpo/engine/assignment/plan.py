"""What a solver returns: a staffing plan, its quality certificate and the tasks it leaves short."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from kpo.engine.assignment.infeasibility import Uncovered, coverable_demand, explain_uncovered
from kpo.engine.assignment.problem import BoolArray, Problem

Status = Literal["optimal", "feasible", "infeasible"]
Objective = Literal["sum", "maxmin_then_sum"]


@dataclass(frozen=True, slots=True)
class Progress:
    """One progress report: which phase runs, roughly how far along (0..1), and the best
    objective and bound known so far (``None`` before there is one)."""

    phase: str
    fraction: float
    message: str
    objective: float | None = None
    bound: float | None = None


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class Plan:
    """A staffing plan.

    ``assignments`` are (task, expert) pairs sorted by task then expert, all candidate pairs.
    ``objective`` is the total score of the plan; ``lp_bound`` is a proven upper bound on the
    total score of any plan that fills at least as many seats (from the LP relaxation, tightened
    by valid inequalities and, where a MILP ran, by its dual bound); ``gap`` is
    ``(lp_bound - objective) / |lp_bound|`` (0 when proven optimal).
    ``status``: "optimal" (proven within ``gap``), "feasible" (a plan, optimality not proven:
    time limit or a heuristic stage), "infeasible" (no plan meets the hard constraints; see
    ``message``). ``task_scores[t]`` is the summed score of the experts on task ``t``.
    ``min_task_score`` / ``mean_task_score`` are taken over the tasks that can get at least one
    expert (demand > 0 and a usable candidate); ``None`` if there are none.
    ``uncovered`` lists the tasks given fewer experts than they need, each with a reason.
    """

    assignments: list[tuple[int, int]]
    objective: float
    lp_bound: float
    gap: float
    status: Status
    task_scores: list[float]
    uncovered: list[Uncovered]
    solver: str
    seconds: float
    objective_kind: Objective = "sum"
    seats_filled: int = 0
    seats_demanded: int = 0
    min_task_score: float | None = None
    mean_task_score: float | None = None
    min_task_score_bound: float | None = None
    message: str = ""
    notes: list[str] = field(default_factory=list)


def relative_gap(bound: float, objective: float) -> float:
    if not (np.isfinite(bound) and np.isfinite(objective)):
        return float("inf")
    diff = max(0.0, bound - objective)
    if diff <= 1e-9 * max(1.0, abs(bound)):
        return 0.0
    return diff / max(abs(bound), 1e-12)


def plan_from_selection(
    problem: Problem,
    selected: BoolArray,
    *,
    lp_bound: float,
    status: Status,
    solver: str,
    seconds: float,
    objective_kind: Objective = "sum",
    min_task_score_bound: float | None = None,
    message: str = "",
    notes: list[str] | None = None,
) -> Plan:
    """Turn a boolean mask over ``problem``'s candidate pairs into a :class:`Plan`."""
    sel = np.asarray(selected, dtype=np.bool_)
    ti = problem.task_idx[sel]
    ei = problem.expert_idx[sel]
    sc = problem.score[sel]
    task_scores = np.bincount(ti, weights=sc, minlength=problem.n_tasks).astype(np.float64)
    objective = float(sc.sum())
    wanted = coverable_demand(problem) > 0
    min_score = float(task_scores[wanted].min()) if wanted.any() else None
    mean_score = float(task_scores[wanted].mean()) if wanted.any() else None
    bound = max(lp_bound, objective) if np.isfinite(lp_bound) else lp_bound
    gap = relative_gap(bound, objective)
    plan = Plan(
        assignments=[(int(t), int(e)) for t, e in zip(ti.tolist(), ei.tolist(), strict=True)],
        objective=objective,
        lp_bound=float(bound),
        gap=gap,
        status=status,
        task_scores=task_scores.tolist(),
        uncovered=explain_uncovered(problem, sel),
        solver=solver,
        seconds=seconds,
        objective_kind=objective_kind,
        seats_filled=int(sel.sum()),
        seats_demanded=problem.total_demand,
        min_task_score=min_score,
        mean_task_score=mean_score,
        min_task_score_bound=min_task_score_bound,
        message=message,
        notes=list(notes or []),
    )
    return plan


def infeasible_plan(problem: Problem, *, solver: str, seconds: float, message: str) -> Plan:
    """No plan meets the hard constraints (e.g. minimum loads)."""
    return Plan(
        assignments=[],
        objective=0.0,
        lp_bound=float("nan"),
        gap=float("nan"),
        status="infeasible",
        task_scores=[0.0] * problem.n_tasks,
        uncovered=explain_uncovered(problem, np.zeros(problem.n_candidates, dtype=np.bool_)),
        solver=solver,
        seconds=seconds,
        seats_filled=0,
        seats_demanded=problem.total_demand,
        message=message,
    )
