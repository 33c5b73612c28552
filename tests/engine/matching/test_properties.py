"""Properties of the matcher, checked on generated experts and tasks."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kpo.engine.matching import (
    COMPONENTS,
    DEFAULT_RULES,
    ExpertIndex,
    ExpertRecord,
    ScoreWeights,
    TaskRequirements,
    reference_shortlist,
    score_record,
    shortlist,
    why_not,
)
from kpo.engine.matching.scoring import component_values
from tests.engine.matching.factories import any_tasks, expert_lists, loose_tasks, task_requirements


@st.composite
def score_weights(draw: st.DrawFn) -> ScoreWeights:
    values = {name: draw(st.integers(0, 4)) for name in COMPONENTS}
    if not any(values.values()):
        values[draw(st.sampled_from(COMPONENTS))] = 1
    return ScoreWeights(**values)


affinity_values = st.none() | st.floats(0, 1)


@settings(max_examples=100, deadline=None)
@given(expert_lists(), any_tasks(), st.data())
def test_every_score_is_in_the_unit_interval(
    records: list[ExpertRecord], task: TaskRequirements, data: st.DataObject
) -> None:
    index = ExpertIndex.build(records)
    affinities = np.array([data.draw(affinity_values) for _ in records], dtype=np.float64)
    values = component_values(index, task, np.arange(len(index), dtype=np.intp), affinities)
    for name in COMPONENTS:
        assert np.all((values[name] >= 0.0) & (values[name] <= 1.0)), name
    result = shortlist(index, task, data.draw(score_weights()), affinities, n=len(records) + 1)
    for entry in result.entries:
        assert 0.0 <= entry.total <= 1.0
        assert all(0.0 <= value <= 1.0 for value in entry.components.values())


@settings(max_examples=100, deadline=None)
@given(expert_lists(), task_requirements())
def test_a_rule_fails_in_check_exactly_where_its_mask_is_false(
    records: list[ExpertRecord], task: TaskRequirements
) -> None:
    index = ExpertIndex.build(records)
    for rule in DEFAULT_RULES:
        mask = rule.mask(index, task)
        for row, record in enumerate(index.records):
            assert bool(mask[row]) == (rule.check(record, task) is None), (rule.name, record)


@settings(max_examples=100, deadline=None)
@given(expert_lists(), task_requirements(), st.integers(1, 30))
def test_the_shortlist_holds_only_eligible_experts(
    records: list[ExpertRecord], task: TaskRequirements, n: int
) -> None:
    index = ExpertIndex.build(records)
    result = shortlist(index, task, n=n)
    eligible = {record.id for record in records if not why_not(record, task)}
    assert {entry.expert_id for entry in result.entries} <= eligible
    assert len(result.entries) == min(n, len(eligible))
    assert result.eligible == result.pool_report.eligible == len(eligible)
    if not eligible and records:
        assert result.pool_report.emptied_by is not None
        assert result.pool_report.emptied_by in {
            failure.rule for r in records for failure in why_not(r, task)
        }
    staff = [entry.client_staff for entry in result.entries]
    assert staff == sorted(staff, reverse=True)  # the client's own staff first


@settings(max_examples=100, deadline=None)
@given(expert_lists(), any_tasks(), score_weights(), st.data())
def test_vectorised_and_one_at_a_time_agree(
    records: list[ExpertRecord], task: TaskRequirements, weights: ScoreWeights, data: st.DataObject
) -> None:
    index = ExpertIndex.build(records)
    by_id = {record.id: data.draw(affinity_values) for record in records}
    affinities = np.array([np.nan if by_id[i] is None else by_id[i] for i in index.ids.tolist()])
    values = component_values(index, task, np.arange(len(index), dtype=np.intp), affinities)
    for row, record in enumerate(index.records):
        one = score_record(record, task, by_id[record.id])
        for name in COMPONENTS:
            assert abs(one[name] - float(values[name][row])) < 1e-12, name
    known = {i: v for i, v in by_id.items() if v is not None}
    expected = reference_shortlist(records, task, weights, known, n=len(records) + 1)
    result = shortlist(index, task, weights, affinities, n=len(records) + 1)
    assert result.expert_ids == [expert_id for expert_id, _ in expected]


@settings(max_examples=150, deadline=None)
@given(
    expert_lists(min_size=2),
    loose_tasks(),
    score_weights(),
    st.sampled_from(COMPONENTS),
    st.integers(1, 10),
)
def test_more_weight_on_a_component_never_lowers_the_rank_of_the_best_on_it(
    records: list[ExpertRecord], task: TaskRequirements, weights: ScoreWeights, component: str, extra: int
) -> None:
    records = [replace(record, active=True) for record in records]
    index = ExpertIndex.build(records)
    everyone = len(records)
    before = shortlist(index, task, weights, n=everyone)
    if before.empty:
        return
    best_value = max(entry.components[component] for entry in before.entries)
    best = [entry.expert_id for entry in before.entries if entry.components[component] == best_value]
    heavier = ScoreWeights.from_mapping(weights.as_dict() | {component: getattr(weights, component) + extra})
    after = shortlist(index, task, heavier, n=everyone)
    for expert_id in best:
        assert after.expert_ids.index(expert_id) <= before.expert_ids.index(expert_id)


@settings(max_examples=60, deadline=None)
@given(expert_lists(), any_tasks(), score_weights(), st.randoms(use_true_random=False))
def test_the_shortlist_is_deterministic(
    records: list[ExpertRecord], task: TaskRequirements, weights: ScoreWeights, shuffle: random.Random
) -> None:
    first = shortlist(ExpertIndex.build(records), task, weights, n=5)
    again = shortlist(ExpertIndex.build(records), task, weights, n=5)
    shuffled = list(records)
    shuffle.shuffle(shuffled)
    reordered = shortlist(ExpertIndex.build(shuffled), task, weights, n=5)
    assert first == again == reordered
