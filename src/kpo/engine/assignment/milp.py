"""Staffing when task hours differ: a MILP (a generalised assignment problem) with HiGHS.

Model: the rows of :mod:`kpo.engine.assignment._model` with each expert's hours as a knapsack
row ``sum_t h_t x[t, e] <= cap_e``, plus valid *cardinality cuts* (the ``j`` largest candidate
tasks of an expert hold at most ``m(j)`` of them), which tighten the LP bound considerably when
tasks are large compared with capacities (an expert with 30 h cannot take 1.5 tasks of 20 h).

Steps:

1. *Elastic LP*: maximise ``sum (s + P) x`` with at-most-``k`` task rows, ``P`` = 1 + the score
   range, so seats come first and the LP is always feasible (no slow infeasibility proofs).
   For a plan filling ``C`` seats, ``value - P * C`` bounds its score; when the LP fills every
   seat this is exactly the full-coverage LP optimum. Then a *cutting-plane loop* adds only the
   cuts the LP solution violates and re-solves warm, while a quarter of the time allows (on
   heavily contended instances the cut LPs get slow; the last proven bound is kept).
2. *LP diving*: fix the variables at 1, re-solve the LP over what is left (residual demand and
   capacity), fix again; when nothing is at 1, fix the largest fraction of each task; finally
   fill greedily.
3. Small models (up to ``MIP_MAX_COLS`` candidate pairs): HiGHS' branch and bound, started from
   the dived plan, for the exact lexicographic optimum -- most seats, then best score.
   Larger ones: *neighbourhood search* (:mod:`.lns`), sub-MILPs over a few thousand pairs
   around the tasks left short and where the LP disagrees with the plan, until the gap is
   below ``LNS_STOP_GAP``, the gains flatten out, or the time is up. (HiGHS' MILP on the whole
   200k-binary model found no first solution within 60 s here.)

Measured on the synthetic 10,000 x 50,000 instance with 20 candidates per task (bench/assignment.py):
0.08 % below the strengthened LP bound in about 15 s, where greedy is 1.1 % below.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from kpo.engine.assignment._highs import INF, Result, Session, maximise
from kpo.engine.assignment._model import (
    Budget,
    Reporter,
    Structure,
    assignment_rows,
    hours_cut_rows,
    rows_for,
    structure,
)
from kpo.engine.assignment.greedy import greedy_fill
from kpo.engine.assignment.infeasibility import explain_lower_loads
from kpo.engine.assignment.lns import improve
from kpo.engine.assignment.plan import Plan, ProgressCallback, infeasible_plan, plan_from_selection
from kpo.engine.assignment.problem import HOURS_TOL, BoolArray, FloatArray, Problem

SOLVER = "milp (HiGHS)"
MIP_MAX_COLS = 20_000
DIVE_MAX_ROUNDS = 60
CUT_MAX_ROUNDS = 20
LNS_STOP_GAP = 1e-4
ONE = 1.0 - 1e-6


def premium(st: Structure) -> float:
    """Value of one filled seat in the elastic LP: more than any score difference."""
    return 1.0 + (float(st.s.max() - st.s.min()) if st.n else 0.0)


@dataclass(frozen=True)
class Relaxation:
    """The elastic LP ``max sum (s + P) x`` over at-most-``k`` task rows, with cuts added.

    For any plan filling ``C`` seats, ``sum s x <= value - P * C``: a valid bound that equals
    the full-coverage LP optimum whenever the LP fills every seat."""

    result: Result
    value: float
    premium: float
    cuts_added: int
    cut_rounds: int

    def bound(self, seats: float) -> float:
        return self.value - self.premium * seats if self.result.status == "optimal" else INF


def relax(
    st: Structure,
    *,
    budget: Budget,
    strengthen: bool = True,
    cut_share: float = 0.25,
    report: Reporter | None = None,
) -> Relaxation:
    """Solve the elastic LP; then, while ``cut_share`` of the time left allows, add the
    cardinality cuts its solution violates and re-solve warm (a cutting-plane loop)."""
    pr = premium(st)
    sess = Session(st.s + pr, rows_for(st, exact_cover=False, cuts=False))
    res = sess.solve(time_limit=budget.left())
    if res.x is None or not strengthen:
        return Relaxation(res, res.objective, pr, 0, 0)
    r, c, rhs = hours_cut_rows(st)
    added = rounds = 0
    if rhs.size:
        cuts = sp.csr_matrix((np.ones(c.shape[0]), (r, c)), shape=(rhs.shape[0], st.n))
        used = np.zeros(rhs.shape[0], dtype=np.bool_)
        deadline = budget.elapsed() + cut_share * budget.left()
        x = res.x
        for _ in range(CUT_MAX_ROUNDS):
            viol = np.flatnonzero(~used & (cuts @ x - rhs > 1e-6))
            left = deadline - budget.elapsed()
            if viol.size == 0 or left <= 0.05:
                break
            sub = cuts[viol].tocoo()
            sess.add_rows(sub.row, sub.col, sub.data, np.full(viol.size, -INF), rhs[viol])
            used[viol] = True
            nxt = sess.solve(time_limit=left)
            if nxt.status != "optimal" or nxt.x is None:
                break  # keep the last proven bound
            added += int(viol.size)
            rounds += 1
            improved = res.objective - nxt.objective
            res, x = nxt, nxt.x
            if report is not None:
                seats = float(x.sum())
                report(
                    "lp",
                    0.3,
                    f"cutting planes, round {rounds}: {added} cuts",
                    bound=res.objective - pr * seats,
                )
            if improved <= 1e-7 * max(1.0, abs(res.objective)):
                break
    return Relaxation(res, res.objective, pr, added, rounds)


def lp_relaxation(
    problem: Problem, *, seats: int | None = None, strengthen: bool = True, time_limit_s: float = 60.0
) -> float:
    """An upper bound on the total score of any plan filling at least ``seats`` seats (default:
    every task gets ``min(k, usable candidates)``), from the LP relaxation with hours rows --
    and, if ``strengthen``, cardinality cuts. ``inf`` if the LP did not finish in time."""
    st = structure(problem, hours_as_counts=False)
    rel = relax(st, budget=Budget(time_limit_s), strengthen=strengthen, cut_share=1.0)
    return rel.bound(float(st.k_eff.sum()) if seats is None else float(seats))


def _residual(st: Structure, chosen: BoolArray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per task what is still needed; per expert hours, slots and minimum still open."""
    p = st.problem
    need = st.k_eff - np.bincount(st.t[chosen], minlength=p.n_tasks)
    used_h = np.bincount(st.e[chosen], weights=st.h[chosen], minlength=p.n_experts)
    used_n = np.bincount(st.e[chosen], minlength=p.n_experts)
    return need, st.hours_cap - used_h, st.count_hi - used_n, np.maximum(st.count_lo - used_n, 0)


def _open_columns(st: Structure, chosen: BoolArray) -> np.ndarray:
    need, left_h, left_n, _ = _residual(st, chosen)
    ok = ~chosen & (need[st.t] > 0) & (left_h[st.e] + HOURS_TOL >= st.h) & (left_n[st.e] >= 1)
    return np.flatnonzero(ok)


def dive(
    st: Structure,
    x0: FloatArray,
    *,
    budget: Budget,
    report: Reporter,
    floors: FloatArray | None = None,
) -> BoolArray:
    """Round an LP solution ``x0`` (over ``st``'s columns) by LP diving, then fill greedily.

    ``floors`` (per task, optional) asks the residual LPs to keep each task's score at least
    that high (used by the max-min objective); dropped when the residual LP cannot.
    """
    p = st.problem
    chosen = np.zeros(st.n, dtype=np.bool_)
    active = np.arange(st.n)
    x = np.asarray(x0, dtype=np.float64)
    span = float(st.s.max() - st.s.min()) if st.n else 0.0
    premium = 1.0 + span
    for rnd in range(DIVE_MAX_ROUNDS):
        ones = active[x >= ONE]
        if ones.size:
            chosen[ones] = True
        else:
            frac = np.flatnonzero(x > 1e-6)
            if frac.size == 0:
                break
            order = frac[np.lexsort((active[frac], -st.s[active[frac]], -x[frac]))]
            need, left_h, left_n, _ = _residual(st, chosen)
            seen: set[int] = set()
            for j in active[order].tolist():
                t = int(st.t[j])
                e = int(st.e[j])
                if t in seen or need[t] <= 0 or left_n[e] < 1 or left_h[e] + HOURS_TOL < st.h[j]:
                    continue
                chosen[j] = True
                seen.add(t)
                need[t] -= 1
                left_n[e] -= 1
                left_h[e] -= st.h[j]
            if not seen:
                break
        active = _open_columns(st, chosen)
        if active.size == 0 or budget.left() < 1.0:
            break
        need, left_h, left_n, open_min = _residual(st, chosen)
        t, e, h = st.t[active], st.e[active], st.h[active]
        rows_with = functools.partial(
            assignment_rows,
            n_tasks=p.n_tasks,
            n_experts=p.n_experts,
            t=t,
            e=e,
            h=h,
            task_lo=np.zeros(p.n_tasks),
            task_hi=np.maximum(need, 0).astype(np.float64),
            count_hi=left_n,
            hours_cap=left_h,
            cuts=True,
        )
        rows = rows_with(count_lo=open_min.astype(np.float64))
        if floors is not None:
            have = np.bincount(st.t[chosen], weights=st.s[chosen], minlength=p.n_tasks)
            gap_t = floors - have
            want = np.flatnonzero((gap_t > 1e-9) & (need > 0))
            if want.size:
                local = np.full(p.n_tasks, -1, dtype=np.int64)
                local[want] = np.arange(want.size)
                m = local[t] >= 0
                rows.add(
                    local[t[m]], np.flatnonzero(m), st.s[active][m], gap_t[want], np.full(want.size, INF)
                )
        res = maximise(st.s[active] + premium, rows, time_limit=budget.left())
        if res.x is None and (floors is not None or open_min.any()):
            floors = None
            rows = rows_with(count_lo=np.zeros(p.n_experts))
            res = maximise(st.s[active] + premium, rows, time_limit=budget.left())
        if res.x is None:
            break
        x = res.x
        report(
            "round",
            0.5 + 0.4 * min(1.0, (rnd + 1) / 8),
            f"LP diving, round {rnd + 1}: {int(chosen.sum())} seats fixed, {int(need.sum())} open",
            objective=float(st.s[chosen].sum()),
        )
    # fill what is left: experts below their minimum first, then by score
    need, left_h, left_n, open_min = _residual(st, chosen)
    sel = st.selection(chosen)
    if open_min.any():
        mins = np.flatnonzero(open_min[st.e] > 0)
        order = st.cols[mins[np.lexsort((st.cols[mins], -st.s[mins]))]]
        sel = _fill_minimums(p, sel, order)
    order = st.cols[np.lexsort((st.cols, -st.s))]
    return greedy_fill(p, sel, order)


def _fill_minimums(p: Problem, sel: BoolArray, order: np.ndarray) -> BoolArray:
    """Give experts below their minimum load more tasks, best score first."""
    if p.min_tasks is None:
        return sel
    out = np.array(sel, copy=True)
    taken = np.bincount(p.expert_idx[out], minlength=p.n_experts)
    need = p.demand - np.bincount(p.task_idx[out], minlength=p.n_tasks)
    used_h = np.bincount(p.expert_idx[out], weights=p.task_hours[p.task_idx[out]], minlength=p.n_experts)
    left_h = p.capacity_hours - used_h
    max_n = p.max_tasks_or_inf()
    for i in np.asarray(order).tolist():
        t = int(p.task_idx[i])
        e = int(p.expert_idx[i])
        h = float(p.task_hours[t])
        if out[i] or taken[e] >= p.min_tasks[e] or need[t] <= 0:
            continue
        if taken[e] + 1 > max_n[e] or left_h[e] + HOURS_TOL < h:
            continue
        out[i] = True
        taken[e] += 1
        need[t] -= 1
        left_h[e] -= h
    return out


def _meets_minimums(p: Problem, sel: BoolArray) -> bool:
    if p.min_tasks is None:
        return True
    return bool(np.all(np.bincount(p.expert_idx[sel], minlength=p.n_experts) >= p.min_tasks))


def _mip(
    st: Structure,
    *,
    cost: FloatArray,
    exact_cover: bool,
    min_total: float | None,
    start: BoolArray | None,
    budget: Budget,
    report: Reporter,
    phase: str,
) -> Result:
    rows = rows_for(st, exact_cover=exact_cover, cuts=True, min_total=min_total)

    def improved(objective: float, bound: float) -> None:
        report(phase, 0.9, "branch and bound: better plan found", objective=objective, bound=bound)

    return maximise(
        cost,
        rows,
        integer=np.ones(st.n, dtype=np.bool_),
        time_limit=budget.left(),
        start=None if start is None else start.astype(np.float64),
        on_improve=improved,
    )


def _better(st: Structure, a: BoolArray, b: BoolArray) -> bool:
    """Is plan ``a`` at least as good as ``b``: more seats, or as many and no lower score?"""
    na, nb = int(a.sum()), int(b.sum())
    if na != nb:
        return na > nb
    return float(st.s @ a) >= float(st.s @ b) - 1e-9


def _branch_and_bound(
    st: Structure,
    chosen: BoolArray,
    *,
    cover_all: bool,
    lp_bound: float,
    budget: Budget,
    report: Reporter,
) -> tuple[BoolArray, str, float, float]:
    """Exact lexicographic (seats, score) optimum by HiGHS' MILP, started from ``chosen``.

    Returns the plan (columns), "optimal" / "feasible" / "infeasible", the best bound and the
    number of seats from which on that bound holds (it bounds plans filling at least as many)."""
    p = st.problem
    full = int(st.k_eff.sum())
    seats = int(chosen.sum())
    start_ok = _meets_minimums(p, st.selection(chosen))
    exact = cover_all
    target = float(full)
    res: Result | None = None
    if cover_all:
        warm = chosen if seats == full and start_ok else None
        res = _mip(
            st,
            cost=st.s,
            exact_cover=True,
            min_total=None,
            start=warm,
            budget=budget,
            report=report,
            phase="mip",
        )
        if res.status == "infeasible":
            exact = False
    proven_cover = exact
    if not exact:
        report("coverage", 0.7, "maximising the seats filled (MILP)")
        cov = _mip(
            st,
            cost=np.ones(st.n),
            exact_cover=False,
            min_total=None,
            start=chosen if start_ok else None,
            budget=budget,
            report=report,
            phase="coverage",
        )
        if cov.status == "infeasible":
            return chosen, "infeasible", INF, 0.0
        if cov.x is not None and (not start_ok or cov.x.sum() >= seats):
            chosen, start_ok = cov.x > 0.5, True
        proven_cover = cov.status == "optimal"
        target = float(chosen.sum())
        res = _mip(
            st,
            cost=st.s,
            exact_cover=False,
            min_total=target,
            start=chosen if start_ok else None,
            budget=budget,
            report=report,
            phase="mip",
        )
    assert res is not None
    if res.x is not None:
        cand = res.x > 0.5
        if not start_ok or _better(st, cand, chosen):
            chosen, start_ok = cand, True
    if not start_ok:
        return chosen, "infeasible" if res.status == "infeasible" else "feasible", INF, 0.0
    status = "optimal" if res.status == "optimal" and proven_cover else "feasible"
    bound = res.bound if np.isfinite(res.bound) else INF
    if exact:
        return chosen, status, min(bound, lp_bound), float(full)
    return chosen, status, bound, target


def solve_milp(
    problem: Problem,
    *,
    time_limit_s: float = 60.0,
    on_progress: ProgressCallback | None = None,
    budget: Budget | None = None,
    mip_max_cols: int = MIP_MAX_COLS,
) -> Plan:
    """Best plan found within the time limit when task hours differ (see the module docstring)."""
    budget = budget or Budget(time_limit_s)
    report = Reporter(on_progress)
    st = structure(problem, hours_as_counts=False)
    full = int(st.k_eff.sum())
    notes: list[str] = []
    report("lp", 0.05, f"LP relaxation over {st.n} candidate pairs, {full} seats")
    rel = relax(st, budget=budget, report=report)
    lp = rel.result
    if lp.status == "infeasible":
        # with at-most-k task rows only the minimum loads can make the model infeasible
        reasons = explain_lower_loads(problem) or [
            "the experts' minimum loads cannot be met together with the tasks' demands and hours"
        ]
        return infeasible_plan(problem, solver=SOLVER, seconds=budget.elapsed(), message="; ".join(reasons))
    if lp.x is None:
        notes.append(f"the LP relaxation stopped ({lp.status}) without a solution")
        x0 = np.zeros(st.n)
        cover_all = True
    else:
        x0 = lp.x
        cover_all = bool(x0.sum() >= full - 1e-6)
        report("lp", 0.4, "LP relaxation solved", bound=rel.bound(float(x0.sum())))
        if rel.cuts_added:
            notes.append(f"LP tightened by {rel.cuts_added} cardinality cuts in {rel.cut_rounds} rounds")
    chosen = dive(st, x0, budget=budget, report=report)[st.cols]
    solver = SOLVER + ": LP + diving"
    status: str = "feasible"
    seats = int(chosen.sum())
    best_bound = rel.bound(float(seats))
    lp_cover = float(seats)

    if st.n > mip_max_cols and budget.left() > 1.0:
        chosen, rounds = improve(
            st,
            chosen,
            x_lp=lp.x,
            premium=rel.premium,
            budget=budget,
            report=report,
            stop_gap=LNS_STOP_GAP,
            bound_at=rel.bound,
        )
        if rounds:
            solver = SOLVER + ": LP + diving + neighbourhood search"
            notes.append(f"neighbourhood search improved the plan in {rounds} rounds")
        best_bound = rel.bound(float(chosen.sum()))
        lp_cover = float(chosen.sum())
    elif budget.left() > 0.5:
        solver = SOLVER + ": branch and bound"
        chosen, status, best_bound, lp_cover = _branch_and_bound(
            st, chosen, cover_all=cover_all, lp_bound=rel.bound(float(full)), budget=budget, report=report
        )
        if status == "infeasible":
            reasons = explain_lower_loads(problem) or [
                "the experts' minimum loads cannot be met together with the tasks' demands and hours"
            ]
            return infeasible_plan(
                problem, solver=solver, seconds=budget.elapsed(), message="; ".join(reasons)
            )

    sel = st.selection(chosen)
    if not _meets_minimums(problem, sel):
        return infeasible_plan(
            problem,
            solver=solver,
            seconds=budget.elapsed(),
            message="no plan meeting every expert's minimum load was found within the time limit",
        )
    seats = int(chosen.sum())
    if seats < lp_cover:
        # the bound so far holds for plans filling more seats than this one
        best_bound = rel.bound(float(seats))
        notes.append(f"{lp_cover - seats:g} fewer seats filled than the bound assumed")
    report("done", 1.0, "plan ready", objective=float(st.s @ chosen), bound=best_bound)
    return plan_from_selection(
        problem,
        sel,
        lp_bound=best_bound,
        status="optimal" if status == "optimal" else "feasible",
        solver=solver,
        seconds=budget.elapsed(),
        notes=notes,
    )
