from __future__ import annotations

import math

import numpy as np
import pytest

from kpo.engine.assignment import Problem, solve, top_k_per_task


def make(**overrides: object) -> Problem:
    kwargs: dict[str, object] = {
        "n_tasks": 2,
        "n_experts": 3,
        "task_idx": [0, 0, 1],
        "expert_idx": [0, 1, 2],
        "score": [0.5, 0.4, 0.3],
    }
    kwargs.update(overrides)
    return Problem(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"capacity_hours": [1.0, -2.0, 3.0]}, "capacity_hours"),
        ({"capacity_hours": [1.0, math.nan, 3.0]}, "capacity_hours"),
        ({"demand": [1, -1]}, "demand"),
        ({"demand": [1.5, 1]}, "demand"),
        ({"demand": [1, 1, 1]}, "demand"),
        ({"task_idx": [0, 0, 2]}, "task_idx"),
        ({"task_idx": [0, 0, -1]}, "task_idx"),
        ({"expert_idx": [0, 1, 3]}, "expert_idx"),
        ({"expert_idx": [0, 1]}, "expert_idx"),
        ({"score": [0.5, math.nan, 0.3]}, "score"),
        ({"score": [0.5, math.inf, 0.3]}, "score"),
        ({"score": ["a", "b", "c"]}, "score"),
        ({"task_idx": [0, 0, 0], "expert_idx": [1, 1, 2]}, "candidates"),
        ({"task_hours": [1.0, -1.0]}, "task_hours"),
        ({"task_hours": [1.0, math.inf]}, "task_hours"),
        ({"max_tasks": [1, -1, 1]}, "max_tasks"),
        ({"min_tasks": [2, 0, 0], "max_tasks": [1, 1, 1]}, "min_tasks"),
        ({"n_tasks": -1}, "n_tasks"),
        ({"n_experts": 2.5}, "n_experts"),
        ({"n_tasks": True}, "n_tasks"),
    ],
)
def test_bad_input_names_the_field(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError, match=rf"^{field}:"):
        make(**overrides)


def test_messages_say_where() -> None:
    with pytest.raises(ValueError, match=r"candidate 2 \(task 1, expert 2\)"):
        make(score=[0.5, 0.4, math.nan])
    with pytest.raises(ValueError, match=r"task 1 needs k = -3"):
        make(demand=[1, -3])
    with pytest.raises(ValueError, match=r"pair \(task 0, expert 1\) is listed more than once"):
        make(task_idx=[0, 0, 0], expert_idx=[1, 1, 2])


def test_solve_rejects_bad_options() -> None:
    p = make()
    with pytest.raises(ValueError, match=r"^objective:"):
        solve(p, objective="median")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^time_limit_s:"):
        solve(p, time_limit_s=0)
    with pytest.raises(ValueError, match=r"^time_limit_s:"):
        solve(p, time_limit_s=math.nan)
    with pytest.raises(ValueError, match=r"^problem:"):
        solve("not a problem")  # type: ignore[arg-type]


def test_defaults_and_canonical_order() -> None:
    p = make(task_idx=[1, 0, 0], expert_idx=[2, 1, 0], score=[0.3, 0.4, 0.5])
    assert p.task_idx.tolist() == [0, 0, 1]
    assert p.expert_idx.tolist() == [0, 1, 2]
    assert p.score.tolist() == [0.5, 0.4, 0.3]
    assert p.demand.tolist() == [1, 1]
    assert p.task_hours.tolist() == [1.0, 1.0]
    assert np.all(np.isinf(p.capacity_hours))
    assert p.max_tasks is None and p.min_tasks is None
    assert p.uniform_hours_per_expert()
    with pytest.raises(ValueError):
        p.score[0] = 2.0  # read-only


def test_from_dense_eligibility_and_top_k() -> None:
    scores = np.array([[0.9, 0.1, 0.5], [0.2, np.nan, 0.7]])
    eligible = np.array([[True, True, False], [True, True, True]])
    p = Problem.from_dense(scores, eligible=eligible)
    assert list(zip(p.task_idx.tolist(), p.expert_idx.tolist(), strict=True)) == [
        (0, 0),
        (0, 1),
        (1, 0),
        (1, 2),
    ]
    q = Problem.from_dense(scores, top_k=1)
    assert list(zip(q.task_idx.tolist(), q.expert_idx.tolist(), strict=True)) == [(0, 0), (1, 2)]
    assert p.restricted_to_top_k(1).n_candidates == 2
    with pytest.raises(ValueError, match=r"^eligible:"):
        Problem.from_dense(scores, eligible=np.ones((3, 3), dtype=bool))
    with pytest.raises(ValueError, match=r"^scores:"):
        Problem.from_dense(np.ones(3))


def test_top_k_ties_go_to_the_lower_expert() -> None:
    ti, ei, _ = top_k_per_task([0, 0, 0, 1], [3, 1, 2, 0], [0.5, 0.5, 0.9, 0.1], 2)
    assert ti.tolist() == [0, 0, 1]
    assert ei.tolist() == [2, 1, 0]
    with pytest.raises(ValueError, match=r"^top_k:"):
        top_k_per_task([0], [0], [1.0], -1)


def test_uniform_hours_is_per_expert() -> None:
    p = make(task_hours=[2.0, 5.0], capacity_hours=[4.0, 4.0, 10.0])
    assert p.uniform_hours_per_expert()  # each expert sees one task size
    assert p.task_count_capacity().tolist() == [2.0, 2.0, 2.0]
    q = make(task_idx=[0, 1, 1], expert_idx=[0, 0, 2], task_hours=[2.0, 5.0], capacity_hours=[4.0, 4.0, 10.0])
    assert not q.uniform_hours_per_expert()
