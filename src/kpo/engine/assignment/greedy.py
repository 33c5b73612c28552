"""The baseline: take candidate pairs by descending score while capacity allows.

It respects demand, hours and ``max_tasks``; it ignores ``min_tasks`` (lower loads) and proves
nothing, so its plan has status "feasible" and no bound. Ties in score go to the lower task, then
the lower expert index.
"""

from __future__ import annotations

import numpy as np

from kpo.engine.assignment._model import Budget
from kpo.engine.assignment.infeasibility import remaining_capacity
from kpo.engine.assignment.plan import Plan, plan_from_selection
from kpo.engine.assignment.problem import HOURS_TOL, BoolArray, Problem

SOLVER = "greedy"


def greedy_fill(problem: Problem, selected: BoolArray, order: np.ndarray) -> BoolArray:
    """Add pairs in ``order`` (candidate numbers) to ``selected`` while demand and capacity allow."""
    sel = np.array(selected, dtype=np.bool_, copy=True)
    left_h, left_n = remaining_capacity(problem, sel)
    need = (problem.demand - np.bincount(problem.task_idx[sel], minlength=problem.n_tasks)).tolist()
    hours = problem.task_hours.tolist()
    lh = left_h.tolist()
    ln = left_n.tolist()
    ti = problem.task_idx.tolist()
    ei = problem.expert_idx.tolist()
    already = sel.tolist()
    for i in np.asarray(order, dtype=np.int64).tolist():
        if already[i]:
            continue
        t = ti[i]
        if need[t] <= 0:
            continue
        e = ei[i]
        h = hours[t]
        if ln[e] >= 1 and lh[e] + HOURS_TOL >= h:
            already[i] = True
            need[t] -= 1
            ln[e] -= 1
            lh[e] -= h
    return np.asarray(already, dtype=np.bool_)


def greedy_selection(problem: Problem) -> BoolArray:
    order = np.lexsort((problem.expert_idx, problem.task_idx, -problem.score))
    return greedy_fill(problem, np.zeros(problem.n_candidates, dtype=np.bool_), order)


def greedy(problem: Problem) -> Plan:
    """The greedy plan (see the module docstring)."""
    budget = Budget(float("inf"))
    sel = greedy_selection(problem)
    notes: list[str] = []
    if problem.min_tasks is not None:
        taken = np.bincount(problem.expert_idx[sel], minlength=problem.n_experts)
        below = int(np.sum(taken < problem.min_tasks))
        if below:
            notes.append(f"greedy ignores minimum loads: {below} experts are below theirs")
    return plan_from_selection(
        problem,
        sel,
        lp_bound=float("inf"),
        status="feasible",
        solver=SOLVER,
        seconds=budget.elapsed(),
        notes=notes,
    )
