"""The matching rules "conflict_of_interest" and "data_residency", and the check manual staffing uses.

`compliance_rules` is registered with kpo.matching (AppConfig.ready), so shortlists, why-not lookups and
staffing plans apply both rules; `assignment_refusal` gives the same reason for one expert.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kpo.compliance.selectors import ConflictReport, Residency, conflicts_for, policy_for, residency_for
from kpo.core.clock import installation_date
from kpo.engine.matching import EligibilityRule, ExpertSetRule
from kpo.engine.matching.index import BoolArray, ExpertIndex
from kpo.engine.matching.requirements import ExpertRecord, TaskRequirements

if TYPE_CHECKING:
    from kpo.experts.models import ExpertProfile
    from kpo.work.models import Task

COI_RULE = "conflict_of_interest"
RESIDENCY_RULE = "data_residency"


@dataclass(frozen=True)
class ResidencyRule:
    """Only experts in the allowed countries (the index's country column; one vectorised lookup)."""

    allowed: frozenset[str]
    residency: Residency
    name: str = RESIDENCY_RULE

    def reason(self, task: TaskRequirements) -> str:
        return self.residency.requirement()

    def mask(self, index: ExpertIndex, task: TaskRequirements) -> BoolArray:
        codes = [index.country_code[c] for c in self.allowed if c in index.country_code]
        result: BoolArray = np.isin(index.country, np.asarray(codes, dtype=index.country.dtype))
        return result

    def check(self, expert: ExpertRecord, task: TaskRequirements) -> str | None:
        return None if expert.country in self.allowed else self.residency.detail(expert.country)


def conflict_rule(report: ConflictReport, client_name: str) -> ExpertSetRule:
    return ExpertSetRule(
        name=COI_RULE,
        requirement=report.requirement(client_name),
        listed=frozenset(report.excluded),
        allow=False,
        details=dict(report.excluded),
    )


def compliance_rules(task: Task, now: dt.datetime) -> list[EligibilityRule]:
    """The rule provider: the conflict-of-interest rule always, data residency for personal data."""
    engagement = task.engagement
    policy = policy_for(engagement.client)
    report = conflicts_for(engagement, installation_date(now), policy=policy)
    rules: list[EligibilityRule] = [conflict_rule(report, engagement.client.name)]
    if engagement.contains_personal_data:
        residency = residency_for(engagement)
        rules.append(ResidencyRule(allowed=residency.allowed, residency=residency))
    return rules


def assignment_refusal(task: Task, expert: ExpertProfile, now: dt.datetime) -> str | None:
    """Why `expert` may not be assigned to `task` for compliance reasons (None: they may)."""
    engagement = task.engagement
    report = conflicts_for(engagement, installation_date(now), expert_ids=[expert.pk])
    if expert.pk in report.excluded:
        return report.excluded[expert.pk]
    if engagement.contains_personal_data:
        residency = residency_for(engagement)
        if expert.country not in residency.allowed:
            return residency.detail(expert.country)
    return None
