"""The shortlist for one task: the top N eligible experts, scored and explained.

The client's own internal experts come first when they qualify (found before outsourcing), then the
experts on the client's talent benches (`TaskRequirements.bench_ids`), then the rest; within each group
by total score, ties by expert id. When nobody qualifies the pool report
says which rules emptied the pool and how many experts each excluded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kpo.engine.matching.index import BoolArray, ExpertIndex, FloatArray, Rows
from kpo.engine.matching.requirements import ExpertRecord, TaskRequirements
from kpo.engine.matching.rules import (
    DEFAULT_RULES,
    EligibilityRule,
    PoolReport,
    RuleFailure,
    eligibility,
    is_client_staff,
    rule_failures,
)
from kpo.engine.matching.scoring import (
    COMPONENTS,
    Explanation,
    ScoreWeights,
    check_affinities,
    component_values,
    explain,
    score_record,
    total_score,
    total_scores,
)


@dataclass(frozen=True)
class ShortlistEntry:
    rank: int
    """1-based position on the shortlist."""
    expert_id: int
    total: float
    client_staff: bool
    """The task's client's own internal expert (listed first)."""
    components: Mapping[str, float]
    explanation: Explanation
    on_bench: bool = False
    """On one of the client's talent benches (listed right after the client's own staff)."""


@dataclass(frozen=True)
class Shortlist:
    entries: tuple[ShortlistEntry, ...]
    eligible: int
    pool_report: PoolReport
    weights: ScoreWeights

    @property
    def empty(self) -> bool:
        return not self.entries

    @property
    def expert_ids(self) -> list[int]:
        return [entry.expert_id for entry in self.entries]

    def message(self) -> str:
        """One sentence on the pool: how many are eligible, or which rules emptied it."""
        return self.pool_report.message()


def top_k(scores: FloatArray, k: int) -> Rows:
    """Positions of the k highest scores, best first; equal scores by position (ascending)."""
    size = len(scores)
    if k <= 0 or size == 0:
        return np.empty(0, dtype=np.intp)
    if k < size:
        part = np.argpartition(-scores, k - 1)[:k]
        threshold = scores[part].min()
        above = np.flatnonzero(scores > threshold)
        tied = np.flatnonzero(scores == threshold)[: k - len(above)]
        chosen = np.sort(np.concatenate((above, tied)))
    else:
        chosen = np.arange(size, dtype=np.intp)
    order = np.argsort(-scores[chosen], kind="stable")
    result: Rows = chosen[order]
    return result


def _client_staff_mask(index: ExpertIndex, task: TaskRequirements, rows: Rows) -> npt.NDArray[np.bool_]:
    if task.client_id is None:
        return np.zeros(len(rows), dtype=np.bool_)
    result: npt.NDArray[np.bool_] = index.internal[rows] & (index.owner_client[rows] == task.client_id)
    return result


def _bench_mask(index: ExpertIndex, task: TaskRequirements, rows: Rows) -> npt.NDArray[np.bool_]:
    if not task.bench_ids:
        return np.zeros(len(rows), dtype=np.bool_)
    bench = np.fromiter(task.bench_ids, dtype=np.int64, count=len(task.bench_ids))
    result: npt.NDArray[np.bool_] = np.isin(index.ids[rows], bench)
    return result


def _tiers(index: ExpertIndex, task: TaskRequirements, rows: Rows) -> npt.NDArray[np.int8]:
    """0: the client's own staff, 1: on the client's benches, 2: everyone else."""
    staff = _client_staff_mask(index, task, rows)
    bench = _bench_mask(index, task, rows) & ~staff
    tiers = np.full(len(rows), 2, dtype=np.int8)
    tiers[bench] = 1
    tiers[staff] = 0
    return tiers


def tier_of(record: ExpertRecord, task: TaskRequirements) -> int:
    """One expert's group on the shortlist (as `_tiers`)."""
    if is_client_staff(record, task):
        return 0
    return 1 if record.id in task.bench_ids else 2


@dataclass(frozen=True)
class _Scored:
    """The eligible experts' scores, from which shortlist entries are made one position at a time."""

    index: ExpertIndex
    task: TaskRequirements
    weights: ScoreWeights
    affinities: FloatArray | None
    candidates: Rows
    values: Mapping[str, FloatArray]
    totals: FloatArray
    tiers: npt.NDArray[np.int8]

    def entry(self, position: int, rank: int) -> ShortlistEntry:
        row = int(self.candidates[position])
        record = self.index.records[row]
        components = {name: float(self.values[name][position]) for name in COMPONENTS}
        known = self.affinities is not None and not np.isnan(self.affinities[row])
        return ShortlistEntry(
            rank=rank,
            expert_id=record.id,
            total=float(self.totals[position]),
            client_staff=bool(self.tiers[position] == 0),
            components=components,
            explanation=explain(record, self.task, self.weights, components, affinity_known=known),
            on_bench=bool(self.tiers[position] == 1),
        )


def shortlist(
    index: ExpertIndex,
    task: TaskRequirements,
    weights: ScoreWeights | None = None,
    affinities: npt.ArrayLike | None = None,
    n: int = 10,
    *,
    rules: Sequence[EligibilityRule] = DEFAULT_RULES,
    eligible: tuple[BoolArray, PoolReport] | None = None,
) -> Shortlist:
    """The top `n` eligible experts for `task`.

    affinities: one text affinity in [0, 1] per expert in index row order (`index.ids`), NaN where
    unknown; None: neutral for everyone. Use `affinities_from` to turn {expert id: value} into this.
    eligible: `eligibility(index, task, rules)` when the caller has it already (not computed twice).
    """
    if n < 1:
        raise ValueError("n must be at least 1.")
    weights = weights or ScoreWeights()
    affinity_array = check_affinities(index, affinities)
    mask, report = eligible if eligible is not None else eligibility(index, task, rules)
    candidates = np.flatnonzero(mask)
    if not len(candidates):
        return Shortlist(entries=(), eligible=0, pool_report=report, weights=weights)
    values = component_values(index, task, candidates, affinity_array)
    totals = total_scores(values, weights)
    tiers = _tiers(index, task, candidates)
    chosen: list[Rows] = []
    left = n
    for tier in (0, 1, 2):
        positions = np.flatnonzero(tiers == tier)
        picked = positions[top_k(totals[positions], left)]
        chosen.append(picked)
        left -= len(picked)
    scored = _Scored(index, task, weights, affinity_array, candidates, values, totals, tiers)
    entries = [
        scored.entry(int(position), rank)
        for rank, position in enumerate(np.concatenate(chosen).tolist(), start=1)
    ]
    return Shortlist(entries=tuple(entries), eligible=len(candidates), pool_report=report, weights=weights)


@dataclass(frozen=True)
class Ranking:
    """One page of the eligible experts in the shortlist's order, perhaps narrowed to some.

    A rank is the expert's place among all the eligible, also when the ranking is narrowed."""

    entries: tuple[ShortlistEntry, ...]
    matched: int
    """Eligible experts among those asked for (every eligible expert when none were named)."""
    outside: tuple[int, ...]
    """Those asked for who are not eligible (or unknown to the index), in the order asked."""
    eligible: int
    page: int
    """The page shown: the one asked for, within 1 and `pages`."""
    pages: int
    pool_report: PoolReport
    weights: ScoreWeights


def ranking(
    index: ExpertIndex,
    task: TaskRequirements,
    weights: ScoreWeights | None = None,
    affinities: npt.ArrayLike | None = None,
    *,
    rules: Sequence[EligibilityRule] = DEFAULT_RULES,
    among: Sequence[int] | None = None,
    page: int = 1,
    page_size: int = 20,
    eligible: tuple[BoolArray, PoolReport] | None = None,
) -> Ranking:
    """Page `page` of the eligible experts (of `among`, when given) in `shortlist`'s order; `eligible` as
    for `shortlist`."""
    if page_size < 1:
        raise ValueError("page_size must be at least 1.")
    weights = weights or ScoreWeights()
    affinity_array = check_affinities(index, affinities)
    mask, report = eligible if eligible is not None else eligibility(index, task, rules)
    candidates = np.flatnonzero(mask)
    values = component_values(index, task, candidates, affinity_array)
    totals = total_scores(values, weights)
    tiers = _tiers(index, task, candidates)
    order = np.lexsort((np.arange(len(candidates)), -totals, tiers))
    outside: tuple[int, ...] = ()
    if among is not None:
        asked = np.array(list(among), dtype=np.int64)
        places = np.flatnonzero(np.isin(index.ids[candidates[order]], asked))
        outside = tuple(int(i) for i in asked[~np.isin(asked, index.ids[candidates])])
    else:
        places = np.arange(len(order))
    pages = max(1, -(-len(places) // page_size))
    page = min(max(page, 1), pages)
    scored = _Scored(index, task, weights, affinity_array, candidates, values, totals, tiers)
    window = places[(page - 1) * page_size : page * page_size].tolist()
    entries = [scored.entry(int(order[place]), place + 1) for place in window]
    return Ranking(
        entries=tuple(entries),
        matched=len(places),
        outside=outside,
        eligible=len(candidates),
        page=page,
        pages=pages,
        pool_report=report,
        weights=weights,
    )


def affinities_from(index: ExpertIndex, by_expert: Mapping[int, float]) -> FloatArray:
    """{expert id: affinity} as an array in index row order, NaN (neutral) for experts not named."""
    array = np.full(index.size, np.nan)
    for expert_id, value in by_expert.items():
        row = index.find_row(expert_id)
        if row is not None:
            array[row] = value
    return array


def why_not(
    expert: ExpertIndex | ExpertRecord,
    task: TaskRequirements,
    expert_id: int | None = None,
    *,
    rules: Sequence[EligibilityRule] = DEFAULT_RULES,
) -> list[RuleFailure]:
    """Every rule the expert fails for `task`, in rule order; empty when eligible.

    Pass a record, or an index and the expert's id.
    """
    if isinstance(expert, ExpertIndex):
        if expert_id is None:
            raise ValueError("Name the expert: why_not(index, task, expert_id).")
        record = expert.record(expert_id)
    else:
        record = expert
    return rule_failures(record, task, rules)


@dataclass(frozen=True)
class Assessment:
    """One expert against one task, on the shortlist or not: why not, and how they would score."""

    expert_id: int
    failures: tuple[RuleFailure, ...]
    total: float
    components: Mapping[str, float]
    explanation: Explanation

    @property
    def eligible(self) -> bool:
        return not self.failures


def assess(
    index: ExpertIndex,
    task: TaskRequirements,
    expert_id: int,
    weights: ScoreWeights | None = None,
    affinities: npt.ArrayLike | None = None,
    *,
    rules: Sequence[EligibilityRule] = DEFAULT_RULES,
) -> Assessment:
    """Score and check one expert exactly as `shortlist` would (same numbers)."""
    weights = weights or ScoreWeights()
    affinity_array = check_affinities(index, affinities)
    row = index.row_of(expert_id)
    record = index.records[row]
    values = component_values(index, task, np.array([row], dtype=np.intp), affinity_array)
    components = {name: float(values[name][0]) for name in COMPONENTS}
    known = affinity_array is not None and not np.isnan(affinity_array[row])
    return Assessment(
        expert_id=expert_id,
        failures=tuple(rule_failures(record, task, rules)),
        total=float(total_scores(values, weights)[0]),
        components=components,
        explanation=explain(record, task, weights, components, affinity_known=known),
    )


def reference_shortlist(
    records: Iterable[ExpertRecord],
    task: TaskRequirements,
    weights: ScoreWeights | None = None,
    affinities: Mapping[int, float] | None = None,
    n: int = 10,
    *,
    rules: Sequence[EligibilityRule] = DEFAULT_RULES,
) -> list[tuple[int, float]]:
    """The same ranking as `shortlist`, one expert at a time in plain Python: slow, for tests and
    benchmarks. Returns [(expert id, total)]."""
    weights = weights or ScoreWeights()
    scored: list[tuple[int, float, int]] = []
    for record in records:
        if any(rule.check(record, task) is not None for rule in rules):
            continue
        affinity = None if affinities is None else affinities.get(record.id)
        total = total_score(score_record(record, task, affinity), weights)
        scored.append((tier_of(record, task), -total, record.id))
    scored.sort()
    return [(expert_id, -negative) for _, negative, expert_id in scored[:n]]
