"""The assignment model as sparse LP rows, shared by the flow and MILP solvers.

Columns are the usable candidate pairs (see :meth:`Problem.usable`); ``x[j] = 1`` assigns pair
``j``. Rows, all built with numpy from index arrays:

* one per task: ``lo_t <= sum_e x[t, e] <= hi_t``;
* one per expert whose task count is limited: ``min_e <= sum_t x[t, e] <= max_e``;
* one per expert whose hours can run out: ``sum_t h_t x[t, e] <= cap_e``;
* optionally, valid *cardinality cuts* for those experts (see :func:`cardinality_cuts`);
* optionally, a coverage row ``sum x >= C``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from kpo.engine.assignment._highs import INF, Rows
from kpo.engine.assignment.infeasibility import coverable_demand
from kpo.engine.assignment.plan import Progress, ProgressCallback
from kpo.engine.assignment.problem import HOURS_TOL, BoolArray, FloatArray, IntArray, Problem

CUT_TOL = 1e-7


class Budget:
    """Elapsed time against the caller's time limit (a monotonic timer, never the calendar)."""

    def __init__(self, limit_s: float) -> None:
        self.limit = float(limit_s)
        self._start = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self._start

    def left(self) -> float:
        return max(0.0, self.limit - self.elapsed())


class Reporter:
    """Calls the caller's progress callback, if any."""

    def __init__(self, callback: ProgressCallback | None) -> None:
        self._cb = callback

    def __call__(
        self,
        phase: str,
        fraction: float,
        message: str,
        objective: float | None = None,
        bound: float | None = None,
    ) -> None:
        if self._cb is not None:
            self._cb(
                Progress(
                    phase=phase,
                    fraction=min(1.0, max(0.0, fraction)),
                    message=message,
                    objective=objective,
                    bound=bound,
                )
            )


@dataclass(frozen=True)
class Structure:
    """The usable columns of a problem and the per-expert limits, precomputed once."""

    problem: Problem
    cols: IntArray  # candidate numbers of the columns
    t: IntArray
    e: IntArray
    s: FloatArray
    h: FloatArray
    k_eff: IntArray  # per task: what it can get at most
    count_hi: FloatArray  # per expert: most tasks (inf = no limit)
    count_lo: IntArray  # per expert: fewest tasks
    hours_cap: FloatArray  # per expert: hours (inf = no hours row)

    @property
    def n(self) -> int:
        return int(self.cols.shape[0])

    def selection(self, chosen: BoolArray) -> BoolArray:
        """Column mask -> mask over all of the problem's candidates."""
        sel = np.zeros(self.problem.n_candidates, dtype=np.bool_)
        sel[self.cols[chosen]] = True
        return sel


def structure(problem: Problem, *, hours_as_counts: bool) -> Structure:
    usable = problem.usable()
    cols = np.flatnonzero(usable).astype(np.int64)
    t = problem.task_idx[cols]
    e = problem.expert_idx[cols]
    h = problem.task_hours[t]
    if hours_as_counts:
        count_hi = problem.task_count_capacity()
        hours_cap = np.full(problem.n_experts, INF)
    else:
        count_hi = problem.max_tasks_or_inf()
        hours_cap = problem.capacity_hours.copy()
    return Structure(
        problem=problem,
        cols=cols,
        t=t,
        e=e,
        s=problem.score[cols],
        h=h,
        k_eff=coverable_demand(problem),
        count_hi=np.asarray(count_hi, dtype=np.float64),
        count_lo=problem.min_tasks_or_zero(),
        hours_cap=hours_cap,
    )


def cardinality_cuts(
    e: IntArray, h: FloatArray, cap: FloatArray, count_hi: FloatArray, *, max_nnz: int, max_m: int = 1_000_000
) -> tuple[IntArray, IntArray, FloatArray]:
    """Valid inequalities ``sum_{t in S} x[t, e] <= m`` for an expert's largest tasks.

    For expert ``e`` with hours ``cap`` take its candidate tasks by hours, largest first. For the
    ``j`` largest, at most ``m(j)`` fit together, where ``m(j)`` is the most of the *smallest* of
    them whose hours add up to at most ``cap``. Any plan satisfies these; the LP relaxation often
    does not (it takes 1.5 tasks of 20 h into 30 h), so they tighten the LP bound and make its
    solution far more integral. Only the strongest cut per (expert, m) is kept.

    Returns (row, column, rhs) with row numbers local to the block.
    """
    n = int(e.shape[0])
    finite = np.isfinite(cap[e])
    if n == 0 or not finite.any():
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    idx = np.flatnonzero(finite)
    order = idx[np.lexsort((-h[idx], e[idx]))]
    es = e[order]
    hs = h[order]
    m_all = order.shape[0]
    first = np.r_[True, es[1:] != es[:-1]]
    group_start = np.maximum.accumulate(np.where(first, np.arange(m_all), 0))
    pos = np.arange(m_all) - group_start  # 0-based position within the expert
    cb = np.concatenate(([0.0], np.cumsum(hs)))
    # smallest q >= group_start with cb[p+1] - cb[q] <= cap
    target = cb[1:] - cap[es] - CUT_TOL
    q = np.maximum(np.searchsorted(cb, target, side="left"), group_start)
    m = np.arange(m_all) + 1 - q
    m = np.minimum(m, count_hi[es])
    j = pos + 1
    useful = (m < j) & (m <= max_m)
    last_of_m = np.r_[(es[1:] != es[:-1]) | (m[1:] != m[:-1]), True]
    keep = np.flatnonzero(useful & last_of_m)
    if keep.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    lens = j[keep]
    total = int(lens.sum())
    if total > max_nnz:
        # keep the shortest (cheapest, usually the most violated) cuts within the budget
        by_len = np.argsort(lens, kind="stable")
        fits = np.cumsum(lens[by_len]) <= max_nnz
        keep = np.sort(keep[by_len[fits]])
        lens = j[keep]
        total = int(lens.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    row = np.repeat(np.arange(keep.shape[0]), lens)
    offs = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens)
    col = order[np.repeat(group_start[keep], lens) + offs]
    return row.astype(np.int64), col.astype(np.int64), m[keep].astype(np.float64)


def assignment_rows(
    *,
    n_tasks: int,
    n_experts: int,
    t: IntArray,
    e: IntArray,
    h: FloatArray,
    task_lo: FloatArray,
    task_hi: FloatArray,
    count_lo: FloatArray,
    count_hi: FloatArray,
    hours_cap: FloatArray,
    cuts: bool,
    min_total: float | None = None,
) -> Rows:
    """The rows of the assignment model over columns (t, e) -- see the module docstring."""
    n = int(t.shape[0])
    rows = Rows(n)
    ones = np.ones(n)
    cols = np.arange(n, dtype=np.int64)
    rows.add(t, cols, ones, task_lo, task_hi)

    per_expert = np.bincount(e, minlength=n_experts)
    need_count = (count_hi < per_expert) | (count_lo > 0)
    ce = np.flatnonzero(need_count)
    if ce.size:
        local = np.full(n_experts, -1, dtype=np.int64)
        local[ce] = np.arange(ce.size)
        m = local[e] >= 0
        rows.add(local[e[m]], cols[m], ones[m], count_lo[ce].astype(np.float64), count_hi[ce])

    hours_per_expert = np.bincount(e, weights=h, minlength=n_experts)
    need_hours = np.isfinite(hours_cap) & (hours_per_expert > hours_cap + HOURS_TOL)
    he = np.flatnonzero(need_hours)
    if he.size:
        local = np.full(n_experts, -1, dtype=np.int64)
        local[he] = np.arange(he.size)
        m = local[e] >= 0
        rows.add(local[e[m]], cols[m], h[m], np.full(he.size, -INF), hours_cap[he])
        if cuts:
            cap_masked = np.where(need_hours, hours_cap, INF)
            r, c, rhs = cardinality_cuts(e, h, cap_masked, count_hi, max_nnz=4 * n + 1_000_000)
            if rhs.size:
                rows.add(r, c, np.ones(c.shape[0]), np.full(rhs.size, -INF), rhs)
    if min_total is not None:
        rows.add(np.zeros(n, dtype=np.int64), cols, ones, np.array([float(min_total)]), np.array([INF]))
    return rows


def hours_cut_rows(st: Structure) -> tuple[IntArray, IntArray, FloatArray]:
    """All cardinality cuts of the full model (see :func:`cardinality_cuts`)."""
    hours_per_expert = np.bincount(st.e, weights=st.h, minlength=st.problem.n_experts)
    need_hours = np.isfinite(st.hours_cap) & (hours_per_expert > st.hours_cap + HOURS_TOL)
    cap_masked = np.where(need_hours, st.hours_cap, INF)
    return cardinality_cuts(st.e, st.h, cap_masked, st.count_hi, max_nnz=8 * st.n + 2_000_000)


def rows_for(st: Structure, *, exact_cover: bool, cuts: bool, min_total: float | None = None) -> Rows:
    """Rows of the full model: tasks get exactly ``k_eff`` (``exact_cover``) or at most that."""
    k = st.k_eff.astype(np.float64)
    return assignment_rows(
        n_tasks=st.problem.n_tasks,
        n_experts=st.problem.n_experts,
        t=st.t,
        e=st.e,
        h=st.h,
        task_lo=k if exact_cover else np.zeros_like(k),
        task_hi=k,
        count_lo=st.count_lo.astype(np.float64),
        count_hi=st.count_hi,
        hours_cap=st.hours_cap,
        cuts=cuts,
        min_total=min_total,
    )
