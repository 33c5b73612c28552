"""Staffing many tasks at once: who works on what, under capacity, conflicts and eligibility.

    p = Problem(n_tasks=2, n_experts=2, task_idx=[0, 0, 1], expert_idx=[0, 1, 0],
                score=[0.9, 0.5, 0.8], max_tasks=1)
    plan = solve(p)
    plan.assignments, round(plan.objective, 2), plan.status
    # ([(0, 1), (1, 0)], 1.3, 'optimal')

See :mod:`.solve` for which solver runs when, :mod:`.problem` for the model.
"""

from kpo.engine.assignment.greedy import greedy
from kpo.engine.assignment.infeasibility import Uncovered, explain_lower_loads, explain_uncovered
from kpo.engine.assignment.milp import lp_relaxation
from kpo.engine.assignment.plan import Plan, Progress, ProgressCallback
from kpo.engine.assignment.problem import Problem, top_k_per_task
from kpo.engine.assignment.solve import solve

__all__ = [
    "Plan",
    "Problem",
    "Progress",
    "ProgressCallback",
    "Uncovered",
    "explain_lower_loads",
    "explain_uncovered",
    "greedy",
    "lp_relaxation",
    "solve",
    "top_k_per_task",
]
