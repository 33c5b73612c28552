from __future__ import annotations

import numpy as np

from kpo.engine.matching import ExpertIndex, ExpertRecord, ExpertSetRule, TaskRequirements, eligibility
from kpo.engine.matching.rules import DEFAULT_RULES, rule_failures

RECORDS = [ExpertRecord(id=i, domains=frozenset({"legal_services"})) for i in (3, 5, 8)]
TASK = TaskRequirements(domain="legal_services")


def test_an_excluding_set_removes_its_experts_with_their_reason() -> None:
    rule = ExpertSetRule(
        name="conflict", requirement="no conflict", listed=frozenset({5}), details={5: "worked at Rival"}
    )
    mask, report = eligibility(ExpertIndex.build(RECORDS), TASK, (*DEFAULT_RULES, rule))
    assert mask.tolist() == [True, False, True]
    assert report.steps[-1].rule == "conflict" and report.steps[-1].excluded == 1
    assert [f.detail for f in rule_failures(RECORDS[1], TASK, (rule,))] == ["worked at Rival"]
    assert rule_failures(RECORDS[0], TASK, (rule,)) == []


def test_an_allowing_set_keeps_only_its_experts_and_mask_agrees_with_check() -> None:
    rule = ExpertSetRule(name="cleared", requirement="cleared", listed=frozenset({3, 8}), allow=True)
    index = ExpertIndex.build(RECORDS)
    mask = rule.mask(index, TASK)
    assert mask.dtype == np.bool_
    assert mask.tolist() == [rule.check(r, TASK) is None for r in RECORDS] == [True, False, True]
    assert rule.check(RECORDS[1], TASK) == "does not meet this requirement"


def test_the_id_mask_ignores_ids_outside_the_index() -> None:
    index = ExpertIndex.build(RECORDS)
    assert index.id_mask([8, 1, 5, 99, 4]).tolist() == [False, True, True]
    assert index.id_mask([]).tolist() == [False, False, False]
    assert ExpertIndex.build([]).id_mask([3]).tolist() == []
