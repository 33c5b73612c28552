"""What to relax when nobody is eligible: the smallest set of rules that restores someone (computed over
every expert's failures), not the rule that happened to empty the pool in rule order."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings

from kpo.engine.matching import DEFAULT_RULES, ExpertIndex, ExpertRecord, TaskRequirements, eligibility
from kpo.engine.matching.rules import PoolReport
from tests.engine.matching.factories import FINANCE, any_tasks, expert, expert_lists, task

RELAXABLE = [rule for rule in DEFAULT_RULES if getattr(rule, "relaxable", True)]


def _report(records: list[ExpertRecord], requirements: TaskRequirements) -> PoolReport:
    return eligibility(ExpertIndex.build(records), requirements)[1]


def _eligible_without(records: list[ExpertRecord], requirements: TaskRequirements, relaxed: set[str]) -> int:
    rules = [rule for rule in DEFAULT_RULES if rule.name not in relaxed]
    mask, _ = eligibility(ExpertIndex.build(records), requirements, rules)
    return int(mask.sum())


def test_the_advice_names_the_rule_that_restores_most_not_the_one_that_emptied_the_pool() -> None:
    records = [
        expert(1, domains=frozenset({FINANCE})),
        expert(2, domains=frozenset({FINANCE})),
        expert(3, languages={"en": 2}, skills={}),
        expert(4, active=False),
        expert(5, assigned_hours=75.0),
    ]
    report = _report(records, task())
    assert report.eligible == 0 and report.emptied_by == "capacity"
    assert report.relaxation is not None
    assert report.relaxation.rules == ("domain",)
    assert report.relaxation.restored == 2
    assert dict(report.relaxation.alone) == {"domain": 2, "languages": 0, "skills": 0, "capacity": 1}


def test_when_no_single_rule_helps_the_smallest_pair_is_named() -> None:
    records = [
        expert(1, domains=frozenset({FINANCE}), skills={}),
        expert(2, languages={"en": 2}, skills={}, assigned_hours=75.0),
    ]
    relaxation = _report(records, task()).relaxation
    assert relaxation is not None
    assert relaxation.rules == ("domain", "skills") and relaxation.restored == 1
    assert all(count == 0 for _rule, count in relaxation.alone)


def test_rules_that_stay_are_never_advised() -> None:
    records = [expert(1, active=False), expert(2, organisation_id=99)]
    relaxation = _report(records, task(organisation_ids=frozenset({1}))).relaxation
    assert relaxation is not None
    assert relaxation.rules == () and relaxation.restored == 0


def test_no_advice_while_someone_is_eligible() -> None:
    assert _report([expert(1), expert(2, active=False)], task()).relaxation is None


@settings(max_examples=150, deadline=None)
@given(expert_lists(min_size=1), any_tasks())
def test_the_advice_is_the_smallest_set_and_restores_what_it_says(
    records: list[ExpertRecord], requirements: TaskRequirements
) -> None:
    report = _report(records, requirements)
    if report.eligible:
        assert report.relaxation is None
        return
    relaxation = report.relaxation
    assert relaxation is not None
    if not relaxation.rules:
        assert _eligible_without(records, requirements, {rule.name for rule in RELAXABLE}) == 0
        return
    assert _eligible_without(records, requirements, set(relaxation.rules)) == relaxation.restored > 0
    for size in range(1, len(relaxation.rules)):
        for smaller in combinations([rule.name for rule in RELAXABLE], size):
            assert _eligible_without(records, requirements, set(smaller)) == 0
    for rule, restored in relaxation.alone:
        assert _eligible_without(records, requirements, {rule}) == restored
