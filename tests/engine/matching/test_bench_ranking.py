"""The client's talent bench: its members rank right after the client's own staff, before everyone
else, in the shortlist, the picker's ranking and the plain-Python reference; no rule changes for them."""

from __future__ import annotations

from kpo.engine.matching import ExpertIndex, ranking, reference_shortlist, shortlist
from tests.engine.matching.factories import expert, task


def _world() -> ExpertIndex:
    return ExpertIndex.build(
        [
            expert(1, bill_rate=50.0, quality_mean=1.0),  # the best score
            expert(2, bill_rate=190.0),  # on the bench, a worse score
            expert(3, bill_rate=180.0, internal=True, owner_client_id=100, organisation_id=100),  # staff
            expert(4, bill_rate=60.0),
            expert(5, bill_rate=120.0, degree_rank=0),  # on the bench, but not qualified
        ]
    )


def test_bench_members_come_right_after_the_clients_staff() -> None:
    index = _world()
    requirements = task(min_degree_rank=1, organisation_ids=frozenset({1}), bench_ids=frozenset({2, 5}))
    result = shortlist(index, requirements)
    assert result.expert_ids == [3, 2, 1, 4]
    assert [entry.client_staff for entry in result.entries] == [True, False, False, False]
    assert [entry.on_bench for entry in result.entries] == [False, True, False, False]
    assert result.entries[1].total < result.entries[2].total  # ranked by group first, not by score
    assert 5 not in result.expert_ids  # still subject to every rule
    reference = [pk for pk, _total in reference_shortlist(index.records, requirements)]
    assert reference == result.expert_ids


def test_without_a_bench_the_order_is_by_score_after_the_staff() -> None:
    index = _world()
    result = shortlist(index, task(min_degree_rank=1, organisation_ids=frozenset({1})))
    assert result.expert_ids == [3, 1, 4, 2]
    assert not any(entry.on_bench for entry in result.entries)


def test_a_short_list_keeps_the_bench_before_better_scores() -> None:
    index = _world()
    requirements = task(min_degree_rank=1, organisation_ids=frozenset({1}), bench_ids=frozenset({2}))
    assert shortlist(index, requirements, n=2).expert_ids == [3, 2]


def test_the_ranking_pages_in_the_same_order() -> None:
    index = _world()
    requirements = task(min_degree_rank=1, organisation_ids=frozenset({1}), bench_ids=frozenset({2, 4}))
    pages = [ranking(index, requirements, page=p, page_size=2) for p in (1, 2)]
    ids = [entry.expert_id for page in pages for entry in page.entries]
    assert ids == shortlist(index, requirements).expert_ids == [3, 4, 2, 1]
    narrowed = ranking(index, requirements, among=[1, 2])
    assert [(entry.expert_id, entry.rank, entry.on_bench) for entry in narrowed.entries] == [
        (2, 3, True),
        (1, 4, False),
    ]
