"""Refreshing planned hours: a copy of the index with new hours, everything else shared."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from kpo.engine.matching import ExpertIndex, eligibility
from tests.engine.matching.factories import expert, expert_lists, task


def test_new_hours_change_the_capacity_rule_and_the_records() -> None:
    index = ExpertIndex.build([expert(1, weekly_capacity_hours=10.0), expert(2, weekly_capacity_hours=10.0)])
    requirements = task(effort_hours=8.0, window_weeks=1.0)
    assert eligibility(index, requirements)[0].tolist() == [True, True]
    busy = index.with_assigned_hours({2: 5.0, 99: 40.0})  # 99 is not in the index: ignored
    assert eligibility(busy, requirements)[0].tolist() == [True, False]
    assert busy.record(2).assigned_hours == 5.0 and busy.record(1) is index.record(1)
    assert index.record(2).assigned_hours == 0.0  # the original is unchanged
    assert busy.ids is index.ids and busy.weekly_capacity is index.weekly_capacity
    assert not busy.assigned_hours.flags.writeable


def test_the_same_hours_return_the_same_index() -> None:
    index = ExpertIndex.build([expert(1, assigned_hours=3.0), expert(2)])
    assert index.with_assigned_hours({1: 3.0}) is index


@settings(max_examples=100, deadline=None)
@given(expert_lists(max_size=12), st.data())
def test_a_refresh_equals_a_rebuild(records: list, data: st.DataObject) -> None:  # type: ignore[type-arg]
    hours = {r.id: data.draw(st.sampled_from([0.0, 1.5, 40.0])) for r in records}
    refreshed = ExpertIndex.build(records).with_assigned_hours(hours)
    rebuilt = ExpertIndex.build([replace(r, assigned_hours=hours[r.id]) for r in records])
    assert refreshed.assigned_hours.tolist() == rebuilt.assigned_hours.tolist()
    assert refreshed.records == rebuilt.records


def test_quality_in_a_domain_replaces_the_overall_score_of_the_experts_named() -> None:
    index = ExpertIndex.build(
        [expert(1, quality_mean=0.9, quality_lower=0.8), expert(2, quality_mean=0.6, quality_lower=0.5)]
    )
    in_domain = index.with_quality({1: (0.3, 0.2), 99: (1.0, 1.0)})  # 99 is not in the index: ignored
    assert in_domain.quality.tolist() == [0.2, 0.5]
    assert in_domain.record(1).quality_mean == 0.3 and in_domain.record(2) is index.record(2)
    assert index.quality.tolist() == [0.8, 0.5]  # the original is unchanged
    assert not in_domain.quality.flags.writeable
    assert index.with_quality({}) is index


@settings(max_examples=100, deadline=None)
@given(expert_lists(max_size=12), st.data())
def test_a_quality_refresh_equals_a_rebuild(records: list, data: st.DataObject) -> None:  # type: ignore[type-arg]
    scores = {
        r.id: (mean, data.draw(st.none() | st.just(mean / 2)))
        for r in records
        if data.draw(st.booleans())
        for mean in [data.draw(st.floats(0, 1))]
    }
    refreshed = ExpertIndex.build(records).with_quality(scores)
    rebuilt = ExpertIndex.build(
        [
            replace(r, quality_mean=scores[r.id][0], quality_lower=scores[r.id][1]) if r.id in scores else r
            for r in records
        ]
    )
    assert refreshed.quality.tolist() == rebuilt.quality.tolist()
    assert refreshed.has_quality.tolist() == rebuilt.has_quality.tolist()
    assert refreshed.records == rebuilt.records
