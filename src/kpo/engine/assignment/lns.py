"""Large-neighbourhood search: re-optimise small parts of a plan exactly with HiGHS.

A round frees a group of tasks -- seeded by the tasks left short and the tasks whose LP solution
disagrees most with the plan, widened by the tasks that hold those tasks' candidate experts --
and solves the sub-MILP over all their candidate pairs against the capacity the rest of the
plan leaves. The current plan is a feasible start, so a round never makes things worse; it is
kept only if it fills more seats, or as many with a higher score (coverage first).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from kpo.engine.assignment._highs import maximise
from kpo.engine.assignment._model import Budget, Reporter, Structure, assignment_rows
from kpo.engine.assignment.problem import BoolArray, FloatArray, IntArray

MAX_SUB_COLS = 6_000
ROUND_TIME_S = 5.0
MAX_STALLS = 12
MIN_GAIN = 2e-6


def _better(st: Structure, a: BoolArray, b: BoolArray) -> bool:
    na, nb = int(a.sum()), int(b.sum())
    if na != nb:
        return na > nb
    return float(st.s @ a) > float(st.s @ b) + 1e-9


def _task_columns(st: Structure) -> tuple[IntArray, IntArray]:
    """Columns are sorted by task: the start and end column of every task."""
    n_tasks = st.problem.n_tasks
    start = np.searchsorted(st.t, np.arange(n_tasks), side="left")
    end = np.searchsorted(st.t, np.arange(n_tasks), side="right")
    return start.astype(np.int64), end.astype(np.int64)


def improve(
    st: Structure,
    chosen: BoolArray,
    *,
    x_lp: FloatArray | None,
    premium: float,
    budget: Budget,
    report: Reporter,
    stop_gap: float,
    bound_at: Callable[[float], float],
) -> tuple[BoolArray, int]:
    """Improve ``chosen`` (a column mask) until time, stalls, or the gap is below ``stop_gap``.

    ``bound_at(seats) -> float`` gives the upper bound for plans with that many seats.
    Returns the plan and the number of improving rounds."""
    p = st.problem
    if st.n == 0:
        return chosen, 0
    chosen = np.array(chosen, dtype=np.bool_, copy=True)
    t_start, t_end = _task_columns(st)
    by_expert = np.argsort(st.e, kind="stable")
    e_start = np.searchsorted(st.e[by_expert], np.arange(p.n_experts), side="left")
    e_end = np.searchsorted(st.e[by_expert], np.arange(p.n_experts), side="right")
    cost = st.s + premium
    improvements = 0
    stalls = 0
    tried = np.zeros(p.n_tasks, dtype=np.int64)
    rnd = 0
    while budget.left() > 1.0 and stalls < MAX_STALLS:
        seats = int(chosen.sum())
        bound = float(bound_at(seats))
        score = float(st.s @ chosen)
        if np.isfinite(bound) and bound - score <= stop_gap * max(abs(bound), 1e-12):
            break
        rnd += 1
        # --- seeds: short tasks first, then where the LP disagrees with the plan
        have = np.bincount(st.t[chosen], minlength=p.n_tasks)
        short = (st.k_eff - have).astype(np.float64)
        dis: FloatArray
        if x_lp is not None:
            dis = np.bincount(st.t, weights=np.abs(x_lp - chosen), minlength=p.n_tasks).astype(np.float64)
        else:
            dis = np.zeros(p.n_tasks)
        badness = 10.0 * short + dis
        badness[st.k_eff == 0] = 0.0
        cand = np.flatnonzero(badness > 1e-6)
        if cand.size == 0:
            break
        # least tried first, then worst first, then by index
        order = cand[np.lexsort((cand, -badness[cand], tried[cand]))]
        # --- grow the neighbourhood: seed tasks, plus the tasks holding their candidates
        free = np.zeros(p.n_tasks, dtype=np.bool_)
        n_cols = 0
        for t in order.tolist():
            if n_cols >= MAX_SUB_COLS:
                break
            if free[t]:
                continue
            free[t] = True
            tried[t] += 1
            n_cols += int(t_end[t] - t_start[t])
            experts = st.e[t_start[t] : t_end[t]]
            for e in experts.tolist():
                held = by_expert[e_start[e] : e_end[e]]
                for t2 in st.t[held[chosen[held]]].tolist():
                    if not free[t2]:
                        free[t2] = True
                        n_cols += int(t_end[t2] - t_start[t2])
        sub = np.flatnonzero(free[st.t])
        outside = chosen & ~free[st.t]
        used_h = np.bincount(st.e[outside], weights=st.h[outside], minlength=p.n_experts)
        used_n = np.bincount(st.e[outside], minlength=p.n_experts)
        left_h = st.hours_cap - used_h
        left_n = st.count_hi - used_n
        fits = (left_h[st.e[sub]] + 1e-9 >= st.h[sub]) & (left_n[st.e[sub]] >= 1)
        sub = sub[fits | chosen[sub]]
        k_sub = np.where(free, st.k_eff, 0).astype(np.float64)
        rows = assignment_rows(
            n_tasks=p.n_tasks,
            n_experts=p.n_experts,
            t=st.t[sub],
            e=st.e[sub],
            h=st.h[sub],
            task_lo=np.zeros(p.n_tasks),
            task_hi=k_sub,
            count_lo=np.maximum(st.count_lo - used_n, 0).astype(np.float64),
            count_hi=left_n,
            hours_cap=left_h,
            cuts=True,
        )
        res = maximise(
            cost[sub],
            rows,
            integer=np.ones(sub.size, dtype=np.bool_),
            start=chosen[sub].astype(np.float64),
            time_limit=min(ROUND_TIME_S, budget.left() - 0.5),
            mip_rel_gap=1e-6,
        )
        if res.x is None:
            stalls += 1
            continue
        cand_plan = chosen.copy()
        cand_plan[sub] = res.x > 0.5
        if _better(st, cand_plan, chosen):
            gain = float(st.s @ cand_plan) - float(st.s @ chosen)
            more_seats = int(cand_plan.sum()) > int(chosen.sum())
            chosen = cand_plan
            improvements += 1
            # tiny gains count towards stopping, so the search ends when it flattens out
            stalls = 0 if more_seats or gain > MIN_GAIN * max(1.0, abs(score)) else stalls + 1
            report(
                "improve",
                0.9,
                f"neighbourhood search, round {rnd}: {int(chosen.sum())} seats",
                objective=float(st.s @ chosen),
                bound=float(bound_at(int(chosen.sum()))),
            )
        else:
            stalls += 1
    return chosen, improvements
