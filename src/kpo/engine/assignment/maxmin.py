"""``maxmin_then_sum``: first the worst-off task, then the total (as OpenReview's MinMax does).

Order of goals: (1) fill as many seats as the ``sum`` objective does (coverage first, as
everywhere in this package); (2) maximise the lowest task score ``z`` -- a task's score is the
sum of its experts' scores, taken over tasks that can get at least one expert; (3) maximise the
total score subject to every such task scoring at least ``z* - tol``, with
``tol = 1e-6 * max(1, |z*|)`` so that solver round-off cannot make step (3) infeasible.

Steps (2) and (3) are MILPs with one more variable ``z`` and one row per task
(``sum_e s[t, e] x[t, e] - z >= 0``); these rows break the unimodular structure, so even when
capacities are task counts the answer needs branch and bound. Each step is started from the
previous plan, so HiGHS always has a solution to return when the time runs out. Models with
more than ``MIP_MAX_COLS`` candidate pairs use the LP relaxation instead: ``z_LP`` bounds the
minimum, and the plan is rounded from the step-(3) LP by diving that tries to keep each task at
``z_LP`` (status "feasible").
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from kpo.engine.assignment._highs import INF, Rows, maximise
from kpo.engine.assignment._model import Budget, Reporter, Structure, rows_for, structure
from kpo.engine.assignment.flow import solve_flow
from kpo.engine.assignment.milp import MIP_MAX_COLS, dive, solve_milp
from kpo.engine.assignment.plan import Plan, ProgressCallback, Status, plan_from_selection
from kpo.engine.assignment.problem import BoolArray, FloatArray, Problem, as_pairs

SOLVER = "maxmin_then_sum (HiGHS)"


def selection_of(problem: Problem, plan: Plan) -> BoolArray:
    """The plan's assignments as a mask over the problem's candidate pairs."""
    ti, ei = as_pairs(plan.assignments)
    keys = problem.task_idx * max(problem.n_experts, 1) + problem.expert_idx
    return np.asarray(np.isin(keys, ti * max(problem.n_experts, 1) + ei), dtype=np.bool_)


def _task_rows(st: Structure, rows: Rows, wanted: np.ndarray, *, with_z: bool, floor: float) -> None:
    """Per wanted task: ``sum_e s x (- z) >= floor``."""
    n = st.n
    local = np.full(st.problem.n_tasks, -1, dtype=np.int64)
    local[wanted] = np.arange(wanted.size)
    m = local[st.t] >= 0
    r = local[st.t[m]]
    c = np.flatnonzero(m)
    v = st.s[m]
    if with_z:
        r = np.concatenate([r, np.arange(wanted.size)])
        c = np.concatenate([c, np.full(wanted.size, n)])
        v = np.concatenate([v, -np.ones(wanted.size)])
    rows.add(r, c, v, np.full(wanted.size, floor), np.full(wanted.size, INF))


def _min_score(st: Structure, chosen: BoolArray, wanted: np.ndarray) -> float:
    per_task = np.bincount(st.t[chosen], weights=st.s[chosen], minlength=st.problem.n_tasks)
    return float(per_task[wanted].min()) if wanted.size else 0.0


def solve_maxmin(
    problem: Problem,
    *,
    time_limit_s: float = 60.0,
    on_progress: ProgressCallback | None = None,
    budget: Budget | None = None,
    mip_max_cols: int = MIP_MAX_COLS,
) -> Plan:
    """Max-min then max-sum plan (see the module docstring)."""
    budget = budget or Budget(time_limit_s)
    report = Reporter(on_progress)
    uniform = problem.uniform_hours_per_expert()
    sub = Budget(budget.left() * 0.35)
    if uniform:
        base = solve_flow(problem, budget=sub, on_progress=on_progress)
    else:
        base = solve_milp(problem, budget=sub, on_progress=on_progress, mip_max_cols=mip_max_cols)
    if base.status == "infeasible":
        return replace(base, objective_kind="maxmin_then_sum", seconds=budget.elapsed())
    st = structure(problem, hours_as_counts=uniform)
    n = st.n
    wanted = np.flatnonzero(st.k_eff > 0)
    chosen = selection_of(problem, base)[st.cols]
    seats = int(chosen.sum())
    full = int(st.k_eff.sum())
    exact_cover = seats == full
    min_total = None if exact_cover else float(seats)
    use_mip = n <= mip_max_cols
    cuts = not uniform
    notes = list(base.notes)
    if wanted.size == 0:
        return replace(base, objective_kind="maxmin_then_sum", seconds=budget.elapsed())

    # step 2: maximise z
    rows_a = rows_for(st, exact_cover=exact_cover, cuts=cuts, min_total=min_total)
    rows_a.widen(n + 1)
    _task_rows(st, rows_a, wanted, with_z=True, floor=0.0)
    cost_a = np.zeros(n + 1)
    cost_a[n] = 1.0
    upper = np.ones(n + 1)
    upper[n] = INF
    lower = np.zeros(n + 1)
    lower[n] = -INF
    integer = np.ones(n + 1, dtype=np.bool_)
    integer[n] = False
    z0 = _min_score(st, chosen, wanted)
    report("maxmin", 0.4, "maximising the lowest task score")
    res_a = maximise(
        cost_a,
        rows_a,
        col_lower=lower,
        col_upper=upper,
        integer=integer if use_mip else None,
        start=np.concatenate([chosen.astype(np.float64), [z0]]) if use_mip else None,
        time_limit=budget.left() * 0.5,
        on_improve=lambda o, b: report("maxmin", 0.5, "better minimum found", objective=o, bound=b),
    )
    if res_a.x is None:
        notes.append(f"max-min step stopped ({res_a.status}); the sum plan is returned")
        return plan_from_selection(
            problem,
            st.selection(chosen),
            lp_bound=base.lp_bound,
            status="feasible",
            solver=SOLVER,
            seconds=budget.elapsed(),
            objective_kind="maxmin_then_sum",
            notes=notes,
        )
    z_bound = float(res_a.bound)
    if use_mip:
        cand = res_a.x[:n] > 0.5
        if _min_score(st, cand, wanted) >= z0:
            chosen = cand
        z_star = _min_score(st, chosen, wanted)
    else:
        z_star = float(res_a.x[n])
    tol = 1e-6 * max(1.0, abs(z_star))

    # step 3: maximise the sum with every task at least z* - tol
    report("maxmin", 0.7, f"maximising the total with every task scoring at least {z_star:.6g}")
    rows_b = rows_for(st, exact_cover=exact_cover, cuts=cuts, min_total=min_total)
    _task_rows(st, rows_b, wanted, with_z=False, floor=z_star - tol)
    res_b = maximise(
        st.s,
        rows_b,
        integer=np.ones(n, dtype=np.bool_) if use_mip else None,
        start=chosen.astype(np.float64) if use_mip else None,
        time_limit=budget.left(),
        on_improve=lambda o, b: report("maxmin", 0.9, "better total found", objective=o, bound=b),
    )
    bound = float(res_b.bound) if res_b.x is not None else INF
    status: Status = "feasible"
    if use_mip:
        if res_b.x is not None:
            cand = res_b.x > 0.5
            if _min_score(st, cand, wanted) >= z_star - tol and float(st.s @ cand) >= float(st.s @ chosen):
                chosen = cand
        if res_a.status == "optimal" and res_b.status == "optimal" and base.status == "optimal":
            status = "optimal"
    else:
        x0: FloatArray = res_b.x if res_b.x is not None else res_a.x[:n]
        floors = np.full(problem.n_tasks, z_star - tol)
        sel = dive(st, x0, budget=budget, report=report, floors=floors)
        rounded = sel[st.cols]
        if int(rounded.sum()) >= seats:
            chosen = rounded
        else:
            notes.append("rounding the max-min LP lost seats; the sum plan is kept")
        z_bound = min(z_bound, float(res_a.x[n]))
        bound = base.lp_bound  # the rounded plan may miss the floor: only the sum bound holds
    report("done", 1.0, "plan ready", objective=float(st.s @ chosen), bound=bound)
    return plan_from_selection(
        problem,
        st.selection(chosen),
        lp_bound=bound,
        status=status,
        solver=SOLVER + (": branch and bound" if use_mip else ": LP + diving"),
        seconds=budget.elapsed(),
        objective_kind="maxmin_then_sum",
        min_task_score_bound=z_bound,
        notes=notes,
    )
