from __future__ import annotations

import numpy as np
import pytest

from kpo.engine.matching import (
    DEFAULT_RULES,
    ExpertIndex,
    ExpertRecord,
    TaskRequirements,
    eligibility,
    why_not,
)
from kpo.engine.matching.index import BoolArray
from tests.engine.matching.factories import FINANCE, LEGAL, expert, task


def _failing(record: ExpertRecord, requirements: TaskRequirements) -> list[str]:
    return [failure.rule for failure in why_not(record, requirements)]


def _masked(records: list[ExpertRecord], requirements: TaskRequirements) -> list[int]:
    index = ExpertIndex.build(records)
    mask, _ = eligibility(index, requirements)
    return index.ids[mask].tolist()


def test_an_expert_meeting_every_requirement_is_eligible() -> None:
    assert why_not(expert(), task()) == []
    assert _masked([expert()], task()) == [1]


@pytest.mark.parametrize(
    ("record", "rule", "detail"),
    [
        (expert(active=False), "active", "not active"),
        (expert(internal=True, owner_client_id=7), "internal_staff", "internal staff of client 7"),
        (expert(domains=frozenset({FINANCE})), "domain", "works in financial_consulting, not legal_services"),
        (expert(degree_rank=1), "degree", "holds bachelor, master or higher asked"),
        (expert(languages={"en": 2}), "languages", "speaks en B1 (B2 asked)"),
        (expert(languages={"da": 6}), "languages", "speaks en none (B2 asked)"),
        (expert(skills={1: 2}), "skills", "holds 0 of the 1 required skills at the level asked"),
        (expert(assigned_hours=75.0), "capacity", "has 5.0 free hours before the due date, 10 needed"),
    ],
)
def test_each_rule_says_why_not(record: ExpertRecord, rule: str, detail: str) -> None:
    requirements = task(min_degree_rank=2)
    failures = why_not(record, requirements)
    assert [f.rule for f in failures] == [rule]
    assert detail in failures[0].detail
    assert failures[0].reason
    assert _masked([record], requirements) == []


def test_why_not_lists_every_failing_rule_in_order() -> None:
    record = expert(active=False, domains=frozenset(), skills={})
    assert _failing(record, task()) == ["active", "domain", "skills"]


def test_why_not_through_the_index() -> None:
    index = ExpertIndex.build([expert(1), expert(2, active=False)])
    assert why_not(index, task(), 1) == []
    assert [f.rule for f in why_not(index, task(), 2)] == ["active"]
    with pytest.raises(ValueError, match="Name the expert"):
        why_not(index, task())
    with pytest.raises(KeyError, match="Expert 3 is not in the index"):
        why_not(index, task(), 3)


def test_internal_staff_only_for_their_own_client() -> None:
    own = expert(1, internal=True, owner_client_id=100, organisation_id=100)
    other = expert(2, internal=True, owner_client_id=200, organisation_id=200)
    assert _masked([own, other], task(client_id=100)) == [1]
    assert _masked([own, other], task(client_id=None)) == []


def test_organisation_rule_allows_the_provider_and_the_clients_staff() -> None:
    provider = expert(1, organisation_id=5)
    elsewhere = expert(2, organisation_id=6)
    staff = expert(3, organisation_id=100, internal=True, owner_client_id=100)
    requirements = task(organisation_ids=frozenset({5}))
    assert _masked([provider, elsewhere, staff], requirements) == [1, 3]
    assert _failing(elsewhere, requirements) == ["organisation"]
    assert _masked([provider, elsewhere, staff], task()) == [1, 2, 3]


def test_skills_rule_counts_skills_held_at_the_level() -> None:
    record = expert(skills={1: 4, 2: 2, 3: 5})
    requirements = {1: 3, 2: 3, 3: 3}
    assert _failing(record, task(skills=requirements)) == ["skills"]
    assert _failing(record, task(skills=requirements, min_skills_held=2)) == []
    assert _failing(record, task(skills=requirements, min_skills_held=3)) == ["skills"]
    assert _failing(expert(skills={}), task(skills=requirements, min_skills_held=0)) == []
    assert _masked([record], task(skills=requirements, min_skills_held=2)) == [1]


def test_capacity_is_weekly_hours_until_due_less_assigned() -> None:
    # 20 h a week for 1.5 weeks = 30 h, 18 already assigned: 12 h free.
    record = expert(weekly_capacity_hours=20.0, assigned_hours=18.0)
    assert _failing(record, task(window_weeks=1.5, effort_hours=12.0)) == []
    assert _failing(record, task(window_weeks=1.5, effort_hours=12.5)) == ["capacity"]


def test_a_past_due_date_leaves_no_capacity() -> None:
    requirements = task(window_weeks=-0.5)
    assert _failing(expert(), requirements) == ["capacity"]
    assert DEFAULT_RULES[-1].reason(requirements) == "the due date has passed"


def test_unknown_domain_and_language_exclude_everyone() -> None:
    assert _masked([expert()], task(domain="medicine_healthcare")) == []
    assert _masked([expert()], task(languages={"fi": "A1"})) == []


def test_no_requirements_no_exclusions() -> None:
    requirements = TaskRequirements(effort_hours=1.0, window_weeks=1.0)
    bare = ExpertRecord(id=1)
    assert why_not(bare, requirements) == []
    assert _masked([bare], requirements) == [1]


def test_pool_report_counts_in_rule_order_and_names_the_rule_that_emptied_it() -> None:
    records = [
        expert(1, active=False),
        expert(2, domains=frozenset({FINANCE})),
        expert(3, domains=frozenset({FINANCE}), active=False),
        expert(4, skills={}),
        expert(5, skills={9: 5}),
    ]
    _, report = eligibility(ExpertIndex.build(records), task())
    counts = {step.rule: (step.excluded, step.remaining, step.excluded_alone) for step in report.steps}
    assert counts["active"] == (2, 3, 2)
    assert counts["domain"] == (1, 2, 2)
    assert counts["skills"] == (2, 0, 2)
    assert counts["capacity"] == (0, 0, 0)
    assert report.eligible == 0
    assert report.emptied_by == "skills"
    message = report.message()
    assert "No expert is eligible" in message
    assert "emptied by the rule skills" in message
    assert "domain excluded 1" in message


def test_pool_report_when_some_are_eligible() -> None:
    _, report = eligibility(ExpertIndex.build([expert(1), expert(2, active=False)]), task())
    assert report.eligible == 1
    assert report.emptied_by is None
    assert report.message().startswith("1 of 2 experts are eligible")


def test_pool_report_of_an_empty_index() -> None:
    _, report = eligibility(ExpertIndex.build([]), task())
    assert report.total == 0
    assert report.emptied_by is None
    assert report.message() == "There are no experts to choose from."


class NdaRule:
    """A later rule, added without touching the matcher: the expert signed the client's NDA."""

    name = "nda"

    def reason(self, task: TaskRequirements) -> str:
        return f"needs a signed NDA with client {task.client_id}"

    def mask(self, index: ExpertIndex, task: TaskRequirements) -> BoolArray:
        return index.tagged(f"nda:{task.client_id}")

    def check(self, expert: ExpertRecord, task: TaskRequirements) -> str | None:
        return None if f"nda:{task.client_id}" in expert.tags else "has not signed the client's NDA"


class HourlyRateCapRule:
    """A later rule deriving its own column once per index with `ExpertIndex.cached`."""

    name = "rate_cap"

    def reason(self, task: TaskRequirements) -> str:
        return "bill rate at most twice the budget"

    def mask(self, index: ExpertIndex, task: TaskRequirements) -> BoolArray:
        rates = index.cached("rate", lambda records: np.array([r.bill_rate for r in records]))
        limit = np.inf if task.budget_per_hour is None else 2 * task.budget_per_hour
        result: BoolArray = rates <= limit
        return result

    def check(self, expert: ExpertRecord, task: TaskRequirements) -> str | None:
        if task.budget_per_hour is None or expert.bill_rate <= 2 * task.budget_per_hour:
            return None
        return "too expensive"


def test_rules_are_pluggable() -> None:
    rules = (*DEFAULT_RULES, NdaRule(), HourlyRateCapRule())
    signed = expert(1, tags=frozenset({"nda:100"}))
    unsigned = expert(2)
    pricey = expert(3, tags=frozenset({"nda:100"}), bill_rate=500.0)
    index = ExpertIndex.build([signed, unsigned, pricey])
    mask, report = eligibility(index, task(), rules)
    assert index.ids[mask].tolist() == [1]
    assert [step.rule for step in report.steps][-2:] == ["nda", "rate_cap"]
    assert [f.rule for f in why_not(unsigned, task(), rules=rules)] == ["nda"]
    assert [f.rule for f in why_not(index, task(), 3, rules=rules)] == ["rate_cap"]


def test_a_rule_returning_a_bad_mask_is_refused() -> None:
    class Broken:
        name = "broken"

        def reason(self, task: TaskRequirements) -> str:
            return "broken"

        def mask(self, index: ExpertIndex, task: TaskRequirements) -> BoolArray:
            return np.ones(index.size + 1, dtype=np.bool_)

        def check(self, expert: ExpertRecord, task: TaskRequirements) -> str | None:
            return None

    with pytest.raises(TypeError, match="'broken' must return a bool array"):
        eligibility(ExpertIndex.build([expert()]), task(), [Broken()])


def test_rule_masks_do_not_alias_index_columns() -> None:
    index = ExpertIndex.build([expert(1), expert(2, active=False)])
    mask, _ = eligibility(index, task())
    for rule in DEFAULT_RULES:
        rule.mask(index, task())[:] = False
    assert index.active.tolist() == [True, False]
    assert mask.tolist() == [True, False]


def test_duplicate_expert_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="Expert id 1 appears more than once"):
        ExpertIndex.build([expert(1), expert(1)])


def test_legal_constant_is_used() -> None:
    assert task().domain == LEGAL
