"""Small problems, a brute-force reference solver and a feasibility checker for the tests."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from kpo.engine.assignment import Plan, Problem

TOL = 1e-6


def check_plan(problem: Problem, plan: Plan) -> None:
    """Every plan: candidate pairs only, each at most once, demand, hours and task limits kept."""
    pairs = set(zip(problem.task_idx.tolist(), problem.expert_idx.tolist(), strict=True))
    assert len(set(plan.assignments)) == len(plan.assignments)
    for pair in plan.assignments:
        assert pair in pairs, f"{pair} is not a candidate pair"
    per_task = np.zeros(problem.n_tasks, dtype=int)
    hours = np.zeros(problem.n_experts)
    count = np.zeros(problem.n_experts, dtype=int)
    score = 0.0
    lookup = {
        (t, e): s
        for t, e, s in zip(
            problem.task_idx.tolist(), problem.expert_idx.tolist(), problem.score.tolist(), strict=True
        )
    }
    for t, e in plan.assignments:
        per_task[t] += 1
        hours[e] += problem.task_hours[t]
        count[e] += 1
        score += lookup[(t, e)]
    assert np.all(per_task <= problem.demand)
    assert np.all(hours <= problem.capacity_hours + 1e-7)
    if problem.max_tasks is not None:
        assert np.all(count <= problem.max_tasks)
    assert math.isclose(plan.objective, score, rel_tol=1e-9, abs_tol=1e-9)
    assert plan.seats_filled == len(plan.assignments)
    short = {u.task for u in plan.uncovered}
    assert short == {t for t in range(problem.n_tasks) if per_task[t] < problem.demand[t]}
    for u in plan.uncovered:
        assert u.reason.startswith(f"task {u.task} needs")


def meets_minimums(problem: Problem, plan: Plan) -> bool:
    if problem.min_tasks is None:
        return True
    count = np.zeros(problem.n_experts, dtype=int)
    for _, e in plan.assignments:
        count[e] += 1
    return bool(np.all(count >= problem.min_tasks))


@dataclass(frozen=True)
class Best:
    seats: int
    score: float
    min_score: float
    maxmin_sum: float
    feasible: bool


def brute_force(problem: Problem) -> Best:
    """Lexicographic optima by enumerating every subset of candidate pairs.

    ``seats``/``score``: most seats, then best total. ``min_score``/``maxmin_sum``: among plans
    with the most seats, the best lowest task score (over tasks that can get an expert), then
    the best total among those.
    """
    n = problem.n_candidates
    ti = problem.task_idx.tolist()
    ei = problem.expert_idx.tolist()
    sc = problem.score.tolist()
    h = problem.task_hours.tolist()
    cap = problem.capacity_hours.tolist()
    mx = problem.max_tasks.tolist() if problem.max_tasks is not None else [math.inf] * problem.n_experts
    mn = problem.min_tasks.tolist() if problem.min_tasks is not None else [0] * problem.n_experts
    usable = problem.usable()
    can = [
        min(int(problem.demand[t]), int(sum(1 for j in range(n) if ti[j] == t and usable[j])))
        for t in range(problem.n_tasks)
    ]
    wanted = [t for t in range(problem.n_tasks) if can[t] > 0]
    plans: list[tuple[int, float, float]] = []
    for mask in itertools.product((0, 1), repeat=n):
        per_task = [0] * problem.n_tasks
        hours = [0.0] * problem.n_experts
        count = [0] * problem.n_experts
        tscore = [0.0] * problem.n_tasks
        ok = True
        for j in range(n):
            if mask[j]:
                t, e = ti[j], ei[j]
                per_task[t] += 1
                hours[e] += h[t]
                count[e] += 1
                tscore[t] += sc[j]
                if per_task[t] > problem.demand[t] or hours[e] > cap[e] + 1e-9 or count[e] > mx[e]:
                    ok = False
                    break
        if not ok or any(count[e] < mn[e] for e in range(problem.n_experts)):
            continue
        seats = sum(mask)
        total = sum(sc[j] for j in range(n) if mask[j])
        low = min((tscore[t] for t in wanted), default=0.0)
        plans.append((seats, total, low))
    if not plans:
        return Best(0, 0.0, 0.0, 0.0, False)
    top = max(p[0] for p in plans)
    at_top = [p for p in plans if p[0] == top]
    best_total = max(p[1] for p in at_top)
    best_low = max(p[2] for p in at_top)
    maxmin_sum = max(p[1] for p in at_top if p[2] >= best_low - TOL)
    return Best(top, best_total, best_low, maxmin_sum, True)


@st.composite
def tiny_problems(draw: st.DrawFn, *, uniform_hours: bool | None = None, max_pairs: int = 11) -> Problem:
    n_tasks = draw(st.integers(1, 4))
    n_experts = draw(st.integers(1, 4))
    all_pairs = [(t, e) for t in range(n_tasks) for e in range(n_experts)]
    pairs = draw(st.lists(st.sampled_from(all_pairs), unique=True, max_size=min(max_pairs, len(all_pairs))))
    scores = [draw(st.integers(-3, 10)) / 10 for _ in pairs]
    demand = [draw(st.integers(0, 3)) for _ in range(n_tasks)]
    uniform = draw(st.booleans()) if uniform_hours is None else uniform_hours
    hours = [2.0] * n_tasks if uniform else [float(draw(st.integers(0, 4))) for _ in range(n_tasks)]
    capacity = [
        math.inf if draw(st.booleans()) and uniform else float(draw(st.integers(0, 8)))
        for _ in range(n_experts)
    ]
    max_tasks = draw(st.none() | st.lists(st.integers(0, 3), min_size=n_experts, max_size=n_experts))
    min_tasks = draw(st.none() | st.lists(st.integers(0, 1), min_size=n_experts, max_size=n_experts))
    if max_tasks is not None and min_tasks is not None:
        min_tasks = [min(a, b) for a, b in zip(min_tasks, max_tasks, strict=True)]
    return Problem(
        n_tasks=n_tasks,
        n_experts=n_experts,
        task_idx=[p[0] for p in pairs],
        expert_idx=[p[1] for p in pairs],
        score=scores,
        demand=demand,
        task_hours=hours,
        capacity_hours=capacity,
        max_tasks=max_tasks,
        min_tasks=min_tasks,
    )


def random_problem(
    n_tasks: int, n_experts: int, top_k: int, *, seed: int, popularity: float = 0.1, hours: bool = True
) -> Problem:
    """A mid-sized instance shaped like the benchmark's synthetic one."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n_tasks, 8))
    b = rng.standard_normal((n_experts, 8))
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    scores = (a @ b.T + 1) * 0.5 * (1 - popularity) + rng.uniform(0, popularity, n_experts)
    kwargs: dict[str, object] = {"demand": rng.integers(1, 3, n_tasks)}
    if hours:
        kwargs["task_hours"] = np.round(rng.uniform(2, 40, n_tasks), 1)
        kwargs["capacity_hours"] = np.round(rng.uniform(10, 60, n_experts), 1)
    else:
        kwargs["max_tasks"] = rng.integers(1, 4, n_experts)
    return Problem.from_dense(scores, top_k=top_k, **kwargs)  # type: ignore[arg-type]
