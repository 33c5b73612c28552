"""Why tasks cannot be covered, in words a delivery manager can act on.

Three kinds of reasons, checked in this order for a task that got fewer experts than it needs:

1. too few eligible candidates at all ("task 17 needs 3 experts but has only 2 eligible
   candidates");
2. too few eligible candidates with the hours for it ("... but only 2 eligible candidates have
   capacity for its 40 h");
3. contention: enough candidates could take it, but in this plan the others' capacity is used by
   other tasks ("... but only 2 eligible candidates have capacity left in this plan").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kpo.engine.assignment.problem import HOURS_TOL, BoolArray, IntArray, Problem


@dataclass(frozen=True, slots=True)
class Uncovered:
    """A task that got fewer experts than it needs, and why."""

    task: int
    demand: int
    assigned: int
    reason: str


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _hours(h: float) -> str:
    return f"{h:g} h"


def coverable_demand(problem: Problem) -> IntArray:
    """Per task: ``min(demand, number of usable candidates)`` -- what any plan can give it at most."""
    usable = problem.usable()
    n_use = np.bincount(problem.task_idx[usable], minlength=problem.n_tasks)
    return np.minimum(problem.demand, n_use).astype(np.int64)


def remaining_capacity(problem: Problem, selected: BoolArray) -> tuple[np.ndarray, np.ndarray]:
    """Hours and task slots each expert has left under the selection."""
    sel = np.asarray(selected, dtype=np.bool_)
    used_h = np.bincount(
        problem.expert_idx[sel],
        weights=problem.task_hours[problem.task_idx[sel]],
        minlength=problem.n_experts,
    )
    used_n = np.bincount(problem.expert_idx[sel], minlength=problem.n_experts)
    return problem.capacity_hours - used_h, problem.max_tasks_or_inf() - used_n


def explain_uncovered(problem: Problem, selected: BoolArray) -> list[Uncovered]:
    """Every task with fewer selected experts than its demand, with the reason (sorted by task)."""
    sel = np.asarray(selected, dtype=np.bool_)
    ti = problem.task_idx
    assigned = np.bincount(ti[sel], minlength=problem.n_tasks)
    short = np.flatnonzero(assigned < problem.demand)
    if short.size == 0:
        return []
    n_cand = np.bincount(ti, minlength=problem.n_tasks)
    usable = problem.usable()
    n_use = np.bincount(ti[usable], minlength=problem.n_tasks)
    left_h, left_n = remaining_capacity(problem, sel)
    h_pair = problem.task_hours[ti]
    free = (
        usable & ~sel & (left_h[problem.expert_idx] + HOURS_TOL >= h_pair) & (left_n[problem.expert_idx] >= 1)
    )
    n_free = np.bincount(ti[free], minlength=problem.n_tasks)

    out: list[Uncovered] = []
    for t in short.tolist():
        k = int(problem.demand[t])
        a = int(assigned[t])
        need = f"task {t} needs {_plural(k, 'expert')}"
        if n_cand[t] < k:
            reason = f"{need} but has only {_plural(int(n_cand[t]), 'eligible candidate')}"
            if n_cand[t] == 0:
                reason = f"{need} but has no eligible candidates"
        elif n_use[t] < k:
            h = float(problem.task_hours[t])
            has = "has" if n_use[t] == 1 else "have"
            reason = (
                f"{need} but only {int(n_use[t])} of its {int(n_cand[t])} eligible candidates {has}"
                f" capacity for its {_hours(h)}"
            )
        else:
            avail = a + int(n_free[t])
            cands = _plural(int(n_use[t]), "eligible candidate")
            if avail == 0:
                reason = (
                    f"{need} but none of its {cands} with the capacity for it has any left in this"
                    " plan: they are taken up by other tasks"
                )
            else:
                reason = (
                    f"{need} but only {avail} of its {cands} with the capacity for it"
                    f" {'has' if avail == 1 else 'have'} capacity left in this plan; the others are"
                    " taken up by other tasks"
                )
            if n_free[t] > 0:
                reason += (
                    f" ({_plural(int(n_free[t]), 'candidate')} still free: the solver stopped before"
                    " using them, or using them would break a minimum load)"
                )
        out.append(Uncovered(task=t, demand=k, assigned=a, reason=reason))
    return out


def explain_lower_loads(problem: Problem) -> list[str]:
    """Reasons the experts' minimum loads cannot be met (empty if none is evident)."""
    if problem.min_tasks is None:
        return []
    mn = problem.min_tasks
    reasons: list[str] = []
    usable = problem.usable()
    ei = problem.expert_idx[usable]
    n_use = np.bincount(ei, minlength=problem.n_experts)
    # how many of its candidate tasks fit in its hours, smallest first
    h = problem.task_hours[problem.task_idx[usable]]
    order = np.lexsort((h, ei))
    e_sorted, h_sorted = ei[order], h[order]
    cum = np.cumsum(h_sorted)
    start = np.searchsorted(e_sorted, np.arange(problem.n_experts))
    for e in np.flatnonzero(mn > 0).tolist():
        m = int(mn[e])
        if n_use[e] < m:
            reasons.append(
                f"expert {e} must take at least {_plural(m, 'task')} but has only"
                f" {_plural(int(n_use[e]), 'candidate task')} it has capacity for"
            )
            continue
        s = int(start[e])
        before = cum[s - 1] if s > 0 else 0.0
        hours_for_m = float(cum[s + m - 1] - before)
        cap = float(problem.capacity_hours[e])
        if hours_for_m > cap + HOURS_TOL:
            reasons.append(
                f"expert {e} must take at least {_plural(m, 'task')} but its smallest {m} candidate"
                f" tasks need {_hours(hours_for_m)}, more than its {_hours(cap)}"
            )
    total_min = int(mn.sum())
    seats = int(coverable_demand(problem).sum())
    if total_min > seats:
        reasons.append(
            f"the experts' minimum loads add up to {_plural(total_min, 'task')} but the tasks need"
            f" only {_plural(seats, 'expert')} in all"
        )
    return reasons
