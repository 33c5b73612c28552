"""Eligibility: hard constraints, each a small named rule.

A rule answers twice, and the two answers must agree: `mask(index, task)` says for every expert in
an index at once whether they pass (a numpy bool array), `check(expert, task)` says for one expert
why they do not (a sentence) or None when they pass. `reason(task)` states the requirement itself.

Later work adds rules (clearance, conflicts of interest, NDAs, allowed countries, vetting) by
appending to a list of rules passed to `shortlist`; the matcher does not change. A rule that needs a
column the index does not have derives it once with `ExpertIndex.cached`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from kpo.engine.matching.index import BoolArray, ExpertIndex
from kpo.engine.matching.requirements import (
    DEGREE_NAMES,
    ExpertRecord,
    TaskRequirements,
    cefr_index,
    cefr_name,
)


@runtime_checkable
class EligibilityRule(Protocol):
    @property
    def name(self) -> str: ...

    def reason(self, task: TaskRequirements) -> str:
        """The requirement in words, e.g. "needs the domain legal_services"."""
        ...

    def mask(self, index: ExpertIndex, task: TaskRequirements) -> BoolArray:
        """True for each expert (row of `index`) who passes. Must not return an index column itself."""
        ...

    def check(self, expert: ExpertRecord, task: TaskRequirements) -> str | None:
        """None when `expert` passes, else why not (about this expert)."""
        ...


@dataclass(frozen=True)
class RuleFailure:
    rule: str
    reason: str
    detail: str


def _all(index: ExpertIndex) -> BoolArray:
    return np.ones(index.size, dtype=np.bool_)


def _client_staff(index: ExpertIndex, task: TaskRequirements) -> BoolArray:
    if task.client_id is None:
        return np.zeros(index.size, dtype=np.bool_)
    result: BoolArray = index.internal & (index.owner_client == task.client_id)
    return result


def is_client_staff(expert: ExpertRecord, task: TaskRequirements) -> bool:
    """An internal expert of the task's own client (shown first: found before outsourcing)."""
    return expert.internal and task.client_id is not None and expert.owner_client_id == task.client_id


class ActiveRule:
    name = "active"
    relaxable = False

    def reason(self, task: TaskRequirements) -> str:
        return "needs an active expert"

    def mask(self, index: ExpertIndex, task: TaskRequirements) -> BoolArray:
        return index.active.copy()

    def check(self, expert: ExpertRecord, task: TaskRequirements) -> str | None:
        return None if expert.active else "the expert is not active"


class InternalStaffRule:
    """A client's own staff work only on that client's tasks."""

    name = "internal_staff"
    relaxable = False

    def reason(self, task: TaskRequirements) -> str:
        return "internal staff work only for their own client"

    def mask(self, index: ExpertIndex, task: TaskRequirements) -> BoolArray:
        result: BoolArray = ~index.internal | _client_staff(index, task)
        return result

    def check(self, expert: ExpertRecord, task: TaskRequirements) -> str | None:
        if not expert.internal or is_client_staff(expert, task):
            return None
        return f"internal staff of client {expert.owner_client_id}, not of this task's client"


class OrganisationRule:
    """Only experts of the allowed organisations (the engagement's provider), or the client's own staff."""

    name = "organisation"
    relaxable = False

    def reason(self, task: TaskRequirements) -> str:
        if task.organisation_ids is None:
            return "any organisation"
        ids = sorted(task.organisation_ids)
        allowed = ", ".join(str(i) for i in ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        return f"needs an expert of organisation {allowed} or the client's own staff"

    def mask(self, index: ExpertIndex, task: TaskRequirements) -> BoolArray:
        if task.organisation_ids is None:
            return _all(index)
        allowed = np.fromiter(task.organisation_ids, dtype=np.int64, count=len(task.organisation_ids))
        result: BoolArray = np.isin(index.organisation, allowed) | _client_staff(index, task)
        return result

    def check(self, expert: ExpertRecord, task: TaskRequirements) -> str | None:
        if (
            task.organisation_ids is None
            or expert.organisation_id in task.organisation_ids
            or is_client_staff(expert, task)
        ):
            return None
        return f"works for organisation {expert.organisation_id}, which does not staff this engagement"


class DomainRule:
    name = "domain"

    def reason(self, task: TaskRequirements) -> str:
        return f"needs the domain {task.domain}" if task.domain else "any domain"

    def mask(self, index: ExpertIndex, task: TaskRequirements) -> BoolArray:
        return index.domain_mask(task.domain) if task.domain else _all(index)

    def check(self, expert: ExpertRecord, task: TaskRequirements) -> str | None:
        if not task.domain or task.domain in expert.domains:
            return None
        held = ", ".join(sorted(expert.domains)) or "no domain"
        return f"works in {held}, not {task.domain}"


class DegreeRule:
    name = "degree"

    def reason(self, task: TaskRequirements) -> str:
        if not task.min_degree_rank:
            return "any degree"
        return f"needs at least a {DEGREE_NAMES[task.min_degree_rank]} degree"

    def mask(self, index: ExpertIndex, task: TaskRequirements) -> BoolArray:
        result: BoolArray = index.degree >= task.min_degree_rank
        return result

    def check(self, expert: ExpertRecord, task: TaskRequirements) -> str | None:
        if expert.degree_rank >= task.min_degree_rank:
            return None
        return (
            f"holds {DEGREE_NAMES[expert.degree_rank]}, {DEGREE_NAMES[task.min_degree_rank]} or higher asked"
        )


class LanguagesRule:
    name = "languages"

    def reason(self, task: TaskRequirements) -> str:
        if not task.languages:
            return "any language"
        asked = ", ".join(f"{code} {level}" for code, level in sorted(task.languages.items()))
        return f"needs {asked} or better"

    def mask(self, index: ExpertIndex, task: TaskRequirements) -> BoolArray:
        result = _all(index)
        for code, level in task.language_levels.items():
            column = index.language(code)
            if column is None:
                result[:] = False
            else:
                result &= column >= level
        return result

    def check(self, expert: ExpertRecord, task: TaskRequirements) -> str | None:
        short = [
            f"{code} {cefr_name(expert.languages.get(code, -1))} ({level} asked)"
            for code, level in sorted(task.languages.items())
            if expert.languages.get(code, -1) < cefr_index(level)
        ]
        return ("speaks " + "; ".join(short)) if short else None


class SkillsRule:
    name = "skills"

    def reason(self, task: TaskRequirements) -> str:
        needed = task.skills_needed
        if not needed:
            return "no skill required"
        asked = ", ".join(f"{skill} at {level}+" for skill, level in sorted(task.skills.items()))
        quantity = "all" if needed == len(task.skills) else f"at least {needed}"
        return f"needs {quantity} of the skills {asked}"

    def mask(self, index: ExpertIndex, task: TaskRequirements) -> BoolArray:
        return held_counts(index, task) >= task.skills_needed

    def check(self, expert: ExpertRecord, task: TaskRequirements) -> str | None:
        held = held_count(expert, task)
        if held >= task.skills_needed:
            return None
        return (
            f"holds {held} of the {len(task.skills)} required skills at the level asked, "
            f"{task.skills_needed} needed"
        )


def held_counts(index: ExpertIndex, task: TaskRequirements) -> npt.NDArray[np.int16]:
    """For every row, how many of the task's skills it holds at the minimum proficiency."""
    counts = np.zeros(index.size, dtype=np.int16)
    for skill_id, minimum in task.skills.items():
        rows, levels = index.skill(skill_id)
        counts[rows[levels >= minimum]] += 1
    return counts


def held_count(expert: ExpertRecord, task: TaskRequirements) -> int:
    return sum(1 for skill, minimum in task.skills.items() if expert.skills.get(skill, 0) >= minimum)


def capacity_left(weekly: float, assigned: float, weeks: float) -> float:
    """Hours free before the due date: weekly capacity times the weeks left, less what is assigned."""
    return weekly * max(weeks, 0.0) - assigned


class CapacityRule:
    name = "capacity"

    def reason(self, task: TaskRequirements) -> str:
        if task.window_weeks <= 0:
            return "the due date has passed"
        days = task.window_weeks * 7
        return f"needs {task.effort_hours:g} free hours in the {days:.1f} days until the due date"

    def mask(self, index: ExpertIndex, task: TaskRequirements) -> BoolArray:
        weeks = max(task.window_weeks, 0.0)
        result: BoolArray = index.weekly_capacity * weeks - index.assigned_hours >= task.effort_hours
        return result

    def check(self, expert: ExpertRecord, task: TaskRequirements) -> str | None:
        left = capacity_left(expert.weekly_capacity_hours, expert.assigned_hours, task.window_weeks)
        if left >= task.effort_hours:
            return None
        return f"has {max(left, 0.0):.1f} free hours before the due date, {task.effort_hours:g} needed"


@dataclass(frozen=True)
class ExpertSetRule:
    """A rule decided outside the engine, given as a set of expert ids.

    `listed` holds the ids the rule is about: with `allow=True` only they pass (e.g. the experts
    cleared for a level), with `allow=False` they fail (e.g. the experts with a conflict of interest).
    `details` says why one expert fails (by id); others get `default_detail`.
    """

    name: str
    requirement: str
    listed: frozenset[int]
    allow: bool = False
    details: Mapping[int, str] = field(default_factory=dict)
    default_detail: str = "does not meet this requirement"

    def reason(self, task: TaskRequirements) -> str:
        return self.requirement

    def mask(self, index: ExpertIndex, task: TaskRequirements) -> BoolArray:
        inside = index.id_mask(self.listed)
        result: BoolArray = inside if self.allow else ~inside
        return result

    def check(self, expert: ExpertRecord, task: TaskRequirements) -> str | None:
        if (expert.id in self.listed) == self.allow:
            return None
        return self.details.get(expert.id, self.default_detail)


DEFAULT_RULES: tuple[EligibilityRule, ...] = (
    ActiveRule(),
    InternalStaffRule(),
    OrganisationRule(),
    DomainRule(),
    DegreeRule(),
    LanguagesRule(),
    SkillsRule(),
    CapacityRule(),
)
"""The rules in the order the pool report lists them. Extend with `(*DEFAULT_RULES, MyRule())`."""


@dataclass(frozen=True)
class RuleCount:
    rule: str
    reason: str
    excluded: int
    """Experts this rule removed from those the earlier rules left."""
    remaining: int
    """Experts left after this rule (and all before it)."""
    excluded_alone: int
    """Experts this rule would exclude on its own."""


@dataclass(frozen=True)
class Relaxation:
    """What to relax when nobody is eligible: the smallest set of rules whose relaxation makes some expert
    eligible (of the sets that small, the one that restores most), and what relaxing each rule alone
    would restore. Rules marked `relaxable = False` (who is active, who staffs the engagement) stay."""

    rules: tuple[str, ...]
    """Empty when no relaxation helps (every expert fails a rule that stays)."""
    restored: int
    """Experts eligible once all of `rules` are relaxed."""
    alone: tuple[tuple[str, int], ...]
    """(rule, experts eligible once only that rule is relaxed), for each relaxable rule excluding anyone."""


@dataclass(frozen=True)
class PoolReport:
    """How each rule narrowed the pool, in rule order."""

    total: int
    steps: tuple[RuleCount, ...]
    relaxation: Relaxation | None = None
    """Computed when nobody is eligible (None otherwise)."""

    @property
    def eligible(self) -> int:
        return self.steps[-1].remaining if self.steps else self.total

    @property
    def emptied_by(self) -> str | None:
        """The rule after which no expert was left (None when some are eligible or the index is empty)."""
        for step in self.steps:
            if step.remaining == 0 and step.excluded > 0:
                return step.rule
        return None

    def message(self) -> str:
        if self.total == 0:
            return "There are no experts to choose from."
        parts = [
            f"{step.rule} excluded {step.excluded:,} ({step.reason})" for step in self.steps if step.excluded
        ]
        summary = "; ".join(parts) if parts else "no rule excluded anyone"
        if self.eligible:
            return f"{self.eligible:,} of {self.total:,} experts are eligible: {summary}."
        return (
            f"No expert is eligible for this task. Of {self.total:,} experts, {summary}. "
            f"The pool was emptied by the rule {self.emptied_by}."
        )


def eligibility(
    index: ExpertIndex, task: TaskRequirements, rules: Sequence[EligibilityRule] = DEFAULT_RULES
) -> tuple[BoolArray, PoolReport]:
    """The combined mask of all rules and the report of how each narrowed the pool."""
    combined = np.ones(index.size, dtype=np.bool_)
    remaining = index.size
    steps: list[RuleCount] = []
    masks: list[tuple[EligibilityRule, BoolArray]] = []
    for rule in rules:
        mask = rule.mask(index, task)
        if mask.shape != (index.size,) or mask.dtype != np.bool_:
            raise TypeError(f"Rule {rule.name!r} must return a bool array with one value per expert.")
        masks.append((rule, mask))
        np.logical_and(combined, mask, out=combined)
        left = int(np.count_nonzero(combined))
        steps.append(
            RuleCount(
                rule=rule.name,
                reason=rule.reason(task),
                excluded=remaining - left,
                remaining=left,
                excluded_alone=index.size - int(np.count_nonzero(mask)),
            )
        )
        remaining = left
    relaxation = relaxation_of(masks) if index.size and not remaining else None
    return combined, PoolReport(total=index.size, steps=tuple(steps), relaxation=relaxation)


def relaxation_of(masks: Sequence[tuple[EligibilityRule, BoolArray]]) -> Relaxation:
    """The smallest set of relaxable rules whose relaxation makes someone eligible (see `Relaxation`)."""
    kept = np.ones(masks[0][1].shape[0], dtype=np.bool_)
    relaxable: list[tuple[str, BoolArray]] = []
    for rule, mask in masks:
        if getattr(rule, "relaxable", True):
            relaxable.append((rule.name, mask))
        else:
            kept &= mask
    failed = np.zeros(int(np.count_nonzero(kept)), dtype=np.int64)
    for bit, (_name, mask) in enumerate(relaxable):
        failed |= (~mask[kept]).astype(np.int64) << bit
    # Each distinct pattern of failed rules once, with how many experts have it: the counts below are
    # sums over the few patterns, not passes over every expert.
    patterns, counts = np.unique(failed, return_counts=True)
    alone = tuple(
        (name, int(counts[patterns == (1 << bit)].sum()))
        for bit, (name, _mask) in enumerate(relaxable)
        if bool(np.any(patterns & (1 << bit)))
    )
    failing = patterns[patterns != 0]
    if not len(failing):
        return Relaxation(rules=(), restored=0, alone=alone)
    sizes = [int(pattern).bit_count() for pattern in failing]
    smallest = min(sizes)
    best, best_restored = 0, -1
    for pattern, size in zip(failing, sizes, strict=True):
        if size != smallest:
            continue
        restored = int(counts[(patterns & ~pattern) == 0].sum())
        if restored > best_restored:
            best, best_restored = int(pattern), restored
    names = tuple(name for bit, (name, _mask) in enumerate(relaxable) if best >> bit & 1)
    return Relaxation(rules=names, restored=best_restored, alone=alone)


def rule_failures(
    expert: ExpertRecord, task: TaskRequirements, rules: Sequence[EligibilityRule] = DEFAULT_RULES
) -> list[RuleFailure]:
    """Every rule `expert` fails for `task`, in rule order (empty: eligible)."""
    failures: list[RuleFailure] = []
    for rule in rules:
        detail = rule.check(expert, task)
        if detail is not None:
            failures.append(RuleFailure(rule=rule.name, reason=rule.reason(task), detail=detail))
    return failures
