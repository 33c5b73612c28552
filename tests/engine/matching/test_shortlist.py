from __future__ import annotations

import numpy as np
import pytest

from kpo.engine.matching import (
    ExpertIndex,
    ScoreWeights,
    affinities_from,
    assess,
    ranking,
    reference_shortlist,
    shortlist,
)
from kpo.engine.matching.shortlist import top_k
from tests.engine.matching.factories import FINANCE, expert, task


def test_the_best_fit_ranks_first_with_an_explanation() -> None:
    index = ExpertIndex.build(
        [expert(1, bill_rate=190.0), expert(2, bill_rate=90.0), expert(3, bill_rate=150.0)]
    )
    result = shortlist(index, task())
    assert result.expert_ids == [2, 3, 1]
    assert [entry.rank for entry in result.entries] == [1, 2, 3]
    assert result.entries[0].total > result.entries[1].total > result.entries[2].total
    assert result.entries[0].components["cost"] == 1.0
    assert "cost 1.00" in result.entries[0].explanation.text
    assert result.eligible == 3
    assert not result.empty
    assert result.message().startswith("3 of 3 experts are eligible")


def test_the_clients_own_staff_come_first_when_they_qualify() -> None:
    outsider = expert(1, bill_rate=50.0, quality_mean=1.0)
    staff = expert(2, bill_rate=190.0, internal=True, owner_client_id=100, organisation_id=100)
    other_clients_staff = expert(3, internal=True, owner_client_id=200, organisation_id=200)
    unqualified_staff = expert(4, internal=True, owner_client_id=100, organisation_id=100, degree_rank=0)
    index = ExpertIndex.build([outsider, staff, other_clients_staff, unqualified_staff])
    result = shortlist(index, task(min_degree_rank=1, organisation_ids=frozenset({1})))
    assert result.expert_ids == [2, 1]
    assert [entry.client_staff for entry in result.entries] == [True, False]
    assert result.entries[0].total < result.entries[1].total


def test_ties_go_to_the_lowest_expert_id() -> None:
    ids = [37, 5, 90, 12, 64, 3, 71, 28, 55, 19, 81, 46]
    index = ExpertIndex.build([expert(i) for i in ids])
    assert shortlist(index, task(), n=5).expert_ids == sorted(ids)[:5]
    assert shortlist(index, task(), n=50).expert_ids == sorted(ids)


def test_n_limits_the_shortlist() -> None:
    index = ExpertIndex.build([expert(i, bill_rate=100.0 + i) for i in range(1, 30)])
    result = shortlist(index, task(), n=10)
    assert len(result.entries) == 10
    assert result.eligible == 29
    with pytest.raises(ValueError, match="n must be at least 1"):
        shortlist(index, task(), n=0)


def test_no_eligible_expert_gives_a_pool_report_not_an_empty_page() -> None:
    index = ExpertIndex.build([expert(1, domains=frozenset({FINANCE})), expert(2, active=False)])
    result = shortlist(index, task())
    assert result.empty
    assert result.eligible == 0
    assert result.pool_report.emptied_by == "domain"
    excluded = {step.rule: step.excluded for step in result.pool_report.steps}
    assert excluded["active"] == 1
    assert excluded["domain"] == 1
    assert "emptied by the rule domain" in result.message()


def test_affinities_rank_otherwise_equal_experts() -> None:
    index = ExpertIndex.build([expert(1), expert(2), expert(3)])
    affinities = affinities_from(index, {3: 0.9, 2: 0.2, 99: 1.0})
    assert np.isnan(affinities[0])
    result = shortlist(index, task(), affinities=affinities)
    assert result.expert_ids == [3, 1, 2]
    assert result.entries[0].components["affinity"] == 0.9
    assert "text affinity 0.90: profile and work samples" in result.entries[0].explanation.text
    assert "text affinity 0.50: not computed (neutral)" in result.entries[1].explanation.text


def test_weights_change_the_order() -> None:
    cheap_novice = expert(1, bill_rate=60.0, skills={1: 3})
    pricey_master = expert(2, bill_rate=180.0, skills={1: 5}, degree_rank=3, quality_mean=0.95)
    index = ExpertIndex.build([cheap_novice, pricey_master])
    cost_only = ScoreWeights(affinity=0, skills=0, degree=0, languages=0, time_zone=0, cost=1, quality=0)
    quality_only = ScoreWeights(affinity=0, skills=0, degree=0, languages=0, time_zone=0, cost=0, quality=1)
    assert shortlist(index, task(), cost_only).expert_ids == [1, 2]
    assert shortlist(index, task(), quality_only).expert_ids == [2, 1]
    assert shortlist(index, task(), cost_only).weights == cost_only


def test_assess_gives_the_shortlists_numbers_and_the_why_not() -> None:
    index = ExpertIndex.build([expert(1, bill_rate=130.0, utc_offset=5.5), expert(2, active=False)])
    affinities = np.array([0.7, 0.4])
    entry = shortlist(index, task(), affinities=affinities).entries[0]
    assessment = assess(index, task(), 1, affinities=affinities)
    assert assessment.eligible
    assert assessment.total == entry.total
    assert assessment.components == entry.components
    assert assessment.explanation == entry.explanation
    rejected = assess(index, task(), 2)
    assert not rejected.eligible
    assert [f.rule for f in rejected.failures] == ["active"]
    assert 0.0 <= rejected.total <= 1.0


def test_reference_implementation_agrees() -> None:
    rng = np.random.default_rng(7)
    records = [
        expert(
            i,
            bill_rate=float(rng.uniform(20, 250)),
            utc_offset=float(rng.choice([-5.0, 0.0, 1.0, 5.5, 8.0])),
            skills={int(s): int(rng.integers(1, 6)) for s in rng.choice(8, size=3, replace=False) + 1},
            degree_rank=int(rng.integers(0, 4)),
            languages={"en": int(rng.integers(0, 7))},
            assigned_hours=float(rng.uniform(0, 80)),
            internal=bool(rng.random() < 0.1),
            owner_client_id=100,
        )
        for i in range(1, 400)
    ]
    index = ExpertIndex.build(records)
    affinity = rng.random(len(index))
    for requirements in (
        task(skills={1: 2, 2: 3, 3: 2}, min_skills_held=1),
        task(skills={4: 1}, min_degree_rank=2, languages={"en": "C1"}),
        task(skills={}, budget_per_hour=None, client_window_utc=None),
    ):
        expected = reference_shortlist(
            records, requirements, affinities=dict(zip(index.ids.tolist(), affinity.tolist(), strict=True))
        )
        result = shortlist(index, requirements, affinities=affinity)
        assert result.expert_ids == [expert_id for expert_id, _ in expected]
        assert [e.total for e in result.entries] == [total for _, total in expected]


def test_top_k_breaks_ties_by_position() -> None:
    scores = np.array([0.5, 0.9, 0.5, 0.9, 0.1, 0.5])
    assert top_k(scores, 3).tolist() == [1, 3, 0]
    assert top_k(scores, 4).tolist() == [1, 3, 0, 2]
    assert top_k(scores, 10).tolist() == [1, 3, 0, 2, 5, 4]
    assert top_k(scores, 0).tolist() == []
    assert top_k(np.array([]), 3).tolist() == []


def test_ranking_pages_through_the_shortlists_order() -> None:
    rng = np.random.default_rng(11)
    records = [
        expert(
            i,
            bill_rate=float(rng.uniform(20, 250)),
            degree_rank=int(rng.integers(0, 4)),
            internal=bool(rng.random() < 0.1),
            owner_client_id=100,
        )
        for i in range(1, 120)
    ]
    index = ExpertIndex.build(records)
    requirements = task(min_degree_rank=1)
    whole = shortlist(index, requirements, n=len(records))
    pages = [ranking(index, requirements, page=p, page_size=7) for p in range(1, 30)]
    assert pages[0].pages == -(-whole.eligible // 7) and pages[0].matched == whole.eligible
    paged = [entry for result in pages[: pages[0].pages] for entry in result.entries]
    assert [(e.rank, e.expert_id, e.total) for e in paged] == [
        (e.rank, e.expert_id, e.total) for e in whole.entries
    ]
    assert pages[-1].page == pages[0].pages  # past the end: the last page


def test_ranking_among_some_keeps_their_ranks_and_names_who_is_not_eligible() -> None:
    index = ExpertIndex.build([expert(i, bill_rate=100.0 + i, degree_rank=i % 2) for i in range(1, 11)])
    result = ranking(index, task(min_degree_rank=1), among=[8, 3, 4, 7, 999], page_size=10)
    assert [(e.expert_id, e.rank) for e in result.entries] == [(3, 2), (7, 4)]
    assert result.matched == 2 and result.eligible == 5
    assert result.outside == (8, 4, 999)  # in the order asked
    empty = ranking(index, task(min_degree_rank=1), among=[], page=3)
    assert empty.entries == () and empty.page == 1 and empty.pages == 1
    with pytest.raises(ValueError, match="page_size"):
        ranking(index, task(), page_size=0)
