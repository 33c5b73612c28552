"""The staffing problem: many tasks, many experts, a sparse set of eligible (task, expert) pairs.

Only eligible pairs are candidates: conflicts of interest, missing clearances and the like are
expressed by leaving the pair out. Every array is validated on construction; bad input raises
``ValueError`` whose message starts with the name of the offending field.

Model (what every solver in this package respects):

* task ``t`` wants ``demand[t]`` experts (``k``, an integer >= 0; default 1, "one maker");
* each expert assigned to ``t`` spends ``task_hours[t]`` hours on it (default 1.0);
* expert ``e`` has ``capacity_hours[e]`` hours in the planning window (default: unlimited),
  optionally at most ``max_tasks[e]`` and at least ``min_tasks[e]`` tasks (lower loads);
* a pair is used at most once; the score of a plan is the sum of the scores of its pairs.

Candidate arrays are stored sorted by (task, expert), so the order of the input does not matter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

HOURS_TOL = 1e-9

_G = TypeVar("_G", bound=np.generic)


def _readonly(a: NDArray[_G]) -> NDArray[_G]:
    a.setflags(write=False)
    return a


def _as_int_array(name: str, value: ArrayLike, length: int | None) -> IntArray:
    arr = np.asarray(value)
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D array, got shape {arr.shape}")
    if length is not None and arr.shape[0] != length:
        raise ValueError(f"{name}: expected {length} entries, got {arr.shape[0]}")
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if arr.dtype == np.bool_ or not (
        np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    ):
        raise ValueError(f"{name}: expected integers, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.floating):
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"{name}: entry {i} is {arr[i]!r}, not an integer")
    return np.array(arr, dtype=np.int64)


def _as_float_array(name: str, value: ArrayLike, length: int) -> FloatArray:
    arr = np.asarray(value)
    if arr.ndim == 0:
        arr = np.full(length, arr)
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D array, got shape {arr.shape}")
    if arr.shape[0] != length:
        raise ValueError(f"{name}: expected {length} entries, got {arr.shape[0]}")
    if arr.size and (arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.number)):
        raise ValueError(f"{name}: expected numbers, got dtype {arr.dtype}")
    return np.array(arr, dtype=np.float64)


def _check_count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name}: expected a non-negative integer, got {value!r}")
    if int(value) < 0:
        raise ValueError(f"{name}: must be >= 0, got {value}")
    return int(value)


class Problem:
    """A validated, immutable staffing problem over a sparse candidate set."""

    __slots__ = (
        "capacity_hours",
        "demand",
        "expert_idx",
        "max_tasks",
        "min_tasks",
        "n_experts",
        "n_tasks",
        "score",
        "task_hours",
        "task_idx",
    )

    n_tasks: int
    n_experts: int
    task_idx: IntArray
    expert_idx: IntArray
    score: FloatArray
    demand: IntArray
    task_hours: FloatArray
    capacity_hours: FloatArray
    max_tasks: IntArray | None
    min_tasks: IntArray | None

    def __init__(
        self,
        *,
        n_tasks: int,
        n_experts: int,
        task_idx: ArrayLike,
        expert_idx: ArrayLike,
        score: ArrayLike,
        demand: ArrayLike | int = 1,
        task_hours: ArrayLike | float = 1.0,
        capacity_hours: ArrayLike | float | None = None,
        max_tasks: ArrayLike | int | None = None,
        min_tasks: ArrayLike | int | None = None,
    ) -> None:
        nt = _check_count("n_tasks", n_tasks)
        ne = _check_count("n_experts", n_experts)
        ti = _as_int_array("task_idx", task_idx, None)
        ei = _as_int_array("expert_idx", expert_idx, ti.shape[0])
        sc = _as_float_array("score", score, ti.shape[0])
        for name, idx, bound in (("task_idx", ti, nt), ("expert_idx", ei, ne)):
            bad = (idx < 0) | (idx >= bound)
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise ValueError(
                    f"{name}: candidate {i} has index {int(idx[i])}, outside the range [0, {bound})"
                )
        bad = ~np.isfinite(sc)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"score: candidate {i} (task {int(ti[i])}, expert {int(ei[i])}) has score {sc[i]!r};"
                " scores must be finite numbers"
            )
        order = np.lexsort((ei, ti))
        ti, ei, sc = ti[order], ei[order], sc[order]
        if ti.shape[0] > 1:
            dup = (ti[1:] == ti[:-1]) & (ei[1:] == ei[:-1])
            if dup.any():
                i = int(np.flatnonzero(dup)[0])
                raise ValueError(
                    f"candidates: the pair (task {int(ti[i])}, expert {int(ei[i])}) is listed more than once"
                )

        dem = _as_int_array("demand", np.full(nt, demand) if np.ndim(demand) == 0 else demand, nt)
        bad = dem < 0
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"demand: task {i} needs k = {int(dem[i])} experts; k must be >= 0")

        hours = _as_float_array("task_hours", task_hours, nt)
        bad = ~np.isfinite(hours) | (hours < 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"task_hours: task {i} has {hours[i]!r} hours; must be a finite number >= 0")

        cap = _as_float_array("capacity_hours", np.inf if capacity_hours is None else capacity_hours, ne)
        bad = np.isnan(cap) | (cap < 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"capacity_hours: expert {i} has {cap[i]!r} hours; must be >= 0")

        mx = self._loads("max_tasks", max_tasks, ne)
        mn = self._loads("min_tasks", min_tasks, ne)
        if mx is not None and mn is not None:
            bad = mn > mx
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise ValueError(
                    f"min_tasks: expert {i} must take at least {int(mn[i])} tasks"
                    f" but at most {int(mx[i])} (max_tasks)"
                )

        self.n_tasks = nt
        self.n_experts = ne
        self.task_idx = _readonly(ti)
        self.expert_idx = _readonly(ei)
        self.score = _readonly(sc)
        self.demand = _readonly(dem)
        self.task_hours = _readonly(hours)
        self.capacity_hours = _readonly(cap)
        self.max_tasks = None if mx is None else _readonly(mx)
        self.min_tasks = None if mn is None or not mn.any() else _readonly(mn)

    @staticmethod
    def _loads(name: str, value: ArrayLike | int | None, ne: int) -> IntArray | None:
        if value is None:
            return None
        arr = _as_int_array(name, np.full(ne, value) if np.ndim(value) == 0 else value, ne)
        bad = arr < 0
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"{name}: expert {i} has {int(arr[i])}; must be >= 0")
        return arr

    # ------------------------------------------------------------------ constructors

    @classmethod
    def from_dense(
        cls,
        scores: ArrayLike,
        *,
        eligible: ArrayLike | None = None,
        top_k: int | None = None,
        **kwargs: Any,
    ) -> Problem:
        """Build from a dense ``tasks x experts`` score matrix.

        ``eligible`` (same shape, boolean) marks allowed pairs; non-finite scores are never
        candidates. ``top_k`` keeps only the best ``top_k`` eligible experts per task (ties broken
        by the lower expert index). Other keyword arguments go to the constructor.
        """
        s = np.asarray(scores, dtype=np.float64)
        if s.ndim != 2:
            raise ValueError(f"scores: expected a 2-D tasks x experts matrix, got shape {s.shape}")
        ok = np.isfinite(s)
        if eligible is not None:
            el = np.asarray(eligible)
            if el.shape != s.shape:
                raise ValueError(f"eligible: expected shape {s.shape}, got {el.shape}")
            ok &= el.astype(bool)
        ti, ei = np.nonzero(ok)
        sc = s[ti, ei]
        if top_k is not None:
            ti, ei, sc = top_k_per_task(ti, ei, sc, top_k)
        return cls(n_tasks=s.shape[0], n_experts=s.shape[1], task_idx=ti, expert_idx=ei, score=sc, **kwargs)

    def restricted_to_top_k(self, k: int) -> Problem:
        """The same problem with only the ``k`` best candidates of each task."""
        ti, ei, sc = top_k_per_task(self.task_idx, self.expert_idx, self.score, k)
        return self.with_candidates(ti, ei, sc)

    def with_candidates(self, task_idx: ArrayLike, expert_idx: ArrayLike, score: ArrayLike) -> Problem:
        """The same tasks and experts with another candidate set."""
        return Problem(
            n_tasks=self.n_tasks,
            n_experts=self.n_experts,
            task_idx=task_idx,
            expert_idx=expert_idx,
            score=score,
            demand=self.demand,
            task_hours=self.task_hours,
            capacity_hours=self.capacity_hours,
            max_tasks=self.max_tasks,
            min_tasks=self.min_tasks,
        )

    # ------------------------------------------------------------------ derived facts

    @property
    def n_candidates(self) -> int:
        return int(self.task_idx.shape[0])

    @property
    def total_demand(self) -> int:
        return int(self.demand.sum())

    def max_tasks_or_inf(self) -> FloatArray:
        """Most tasks per expert as floats, ``inf`` where unlimited."""
        if self.max_tasks is None:
            return np.full(self.n_experts, np.inf)
        return self.max_tasks.astype(np.float64)

    def min_tasks_or_zero(self) -> IntArray:
        if self.min_tasks is None:
            return np.zeros(self.n_experts, dtype=np.int64)
        return self.min_tasks

    def usable(self) -> BoolArray:
        """Candidate pairs that could appear in some plan on their own: the task wants experts,
        the expert has the hours for it and may take at least one task."""
        h = self.task_hours[self.task_idx]
        ok = (self.demand[self.task_idx] > 0) & (h <= self.capacity_hours[self.expert_idx] + HOURS_TOL)
        if self.max_tasks is not None:
            ok &= self.max_tasks[self.expert_idx] > 0
        return np.asarray(ok, dtype=np.bool_)

    def uniform_hours_per_expert(self) -> bool:
        """True when every expert's hour capacity is a plain task count: all the tasks it is a
        candidate for take the same hours, or its hours are unlimited. Then the problem is a
        transportation problem (totally unimodular) and its LP has an integral optimum."""
        finite = np.isfinite(self.capacity_hours)[self.expert_idx]
        if not finite.any():
            return True
        e = self.expert_idx[finite]
        h = self.task_hours[self.task_idx[finite]]
        lo = np.full(self.n_experts, np.inf)
        hi = np.full(self.n_experts, -np.inf)
        np.minimum.at(lo, e, h)
        np.maximum.at(hi, e, h)
        used = np.isfinite(lo)
        return bool(np.all(hi[used] - lo[used] <= HOURS_TOL))

    def task_count_capacity(self) -> FloatArray:
        """Per expert: the most tasks it can take, from max_tasks and (for uniform hours) its hours."""
        cap = self.max_tasks_or_inf()
        finite = np.isfinite(self.capacity_hours)[self.expert_idx]
        e = self.expert_idx[finite]
        h = self.task_hours[self.task_idx[finite]]
        hours = np.full(self.n_experts, np.inf)
        np.minimum.at(hours, e, h)
        pos = np.isfinite(hours) & (hours > 0)
        by_hours = np.full(self.n_experts, np.inf)
        by_hours[pos] = np.floor(self.capacity_hours[pos] / hours[pos] + 1e-9)
        out: FloatArray = np.minimum(cap, by_hours)
        return out

    def __repr__(self) -> str:
        return (
            f"Problem(n_tasks={self.n_tasks}, n_experts={self.n_experts}, "
            f"n_candidates={self.n_candidates}, total_demand={self.total_demand})"
        )


def top_k_per_task(
    task_idx: ArrayLike, expert_idx: ArrayLike, score: ArrayLike, k: int
) -> tuple[IntArray, IntArray, FloatArray]:
    """Keep the ``k`` highest-scoring candidates of every task (ties: lower expert index first)."""
    k = _check_count("top_k", k)
    ti = np.asarray(task_idx, dtype=np.int64)
    ei = np.asarray(expert_idx, dtype=np.int64)
    sc = np.asarray(score, dtype=np.float64)
    order = np.lexsort((ei, -sc, ti))
    ti, ei, sc = ti[order], ei[order], sc[order]
    if ti.size == 0:
        return ti, ei, sc
    first = np.r_[True, ti[1:] != ti[:-1]]
    group_start = np.maximum.accumulate(np.where(first, np.arange(ti.size), 0))
    rank = np.arange(ti.size) - group_start
    keep = rank < k
    return ti[keep], ei[keep], sc[keep]


def as_pairs(assignments: Sequence[tuple[int, int]]) -> tuple[IntArray, IntArray]:
    """Split a list of (task, expert) pairs into two index arrays."""
    if not assignments:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    arr = np.asarray(assignments, dtype=np.int64)
    return arr[:, 0].copy(), arr[:, 1].copy()
