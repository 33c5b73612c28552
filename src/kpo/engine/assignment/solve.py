"""The one entry point: ``solve(problem, objective=..., time_limit_s=..., on_progress=...)``.

Which solver runs:

* ``objective="sum"`` and capacities that are task counts (every expert's candidate tasks take
  the same hours, or its hours are unlimited): :func:`~kpo.engine.assignment.flow.solve_flow`,
  exact (a unimodular LP);
* ``objective="sum"`` and hours that differ: :func:`~kpo.engine.assignment.milp.solve_milp`
  (LP relaxation with cuts, LP diving, branch and bound for small models);
* ``objective="maxmin_then_sum"``: :func:`~kpo.engine.assignment.maxmin.solve_maxmin`.

Every solver fills as many seats as it can first, then maximises its objective; the plan
explains each task left short. Determinism: the same problem and options give the same plan
(fixed solver options, candidates in a canonical order, ties broken by index), unless the time
limit cuts a search short -- then the result depends on the machine's speed, and the plan's
status says "feasible" rather than "optimal". The engine reads no calendar clock; it measures
elapsed time (a monotonic timer) only to honour ``time_limit_s`` and report ``Plan.seconds``.
"""

from __future__ import annotations

import math

from kpo.engine.assignment._model import Budget, Reporter
from kpo.engine.assignment.flow import solve_flow
from kpo.engine.assignment.maxmin import solve_maxmin
from kpo.engine.assignment.milp import MIP_MAX_COLS, solve_milp
from kpo.engine.assignment.plan import Objective, Plan, ProgressCallback
from kpo.engine.assignment.problem import Problem

OBJECTIVES: tuple[Objective, ...] = ("sum", "maxmin_then_sum")


def solve(
    problem: Problem,
    *,
    objective: Objective = "sum",
    time_limit_s: float = 60.0,
    on_progress: ProgressCallback | None = None,
    mip_max_cols: int = MIP_MAX_COLS,
) -> Plan:
    """Best staffing plan for ``problem`` within ``time_limit_s`` seconds.

    ``on_progress`` receives :class:`~kpo.engine.assignment.plan.Progress` reports (phase,
    fraction, objective and bound so far); it runs in the solver's thread, so keep it quick.
    ``mip_max_cols``: models with at most this many candidate pairs get branch and bound.
    """
    if not isinstance(problem, Problem):
        raise ValueError(f"problem: expected a Problem, got {type(problem).__name__}")
    if objective not in OBJECTIVES:
        raise ValueError(f"objective: expected one of {', '.join(OBJECTIVES)}, got {objective!r}")
    if (
        isinstance(time_limit_s, bool)
        or not isinstance(time_limit_s, int | float)
        or not (math.isfinite(time_limit_s) and time_limit_s > 0)
    ):
        raise ValueError(f"time_limit_s: expected a positive number of seconds, got {time_limit_s!r}")
    budget = Budget(float(time_limit_s))
    Reporter(on_progress)("start", 0.0, repr(problem))
    if objective == "maxmin_then_sum":
        return solve_maxmin(problem, budget=budget, on_progress=on_progress, mip_max_cols=mip_max_cols)
    if problem.uniform_hours_per_expert():
        return solve_flow(problem, budget=budget, on_progress=on_progress)
    return solve_milp(problem, budget=budget, on_progress=on_progress, mip_max_cols=mip_max_cols)
