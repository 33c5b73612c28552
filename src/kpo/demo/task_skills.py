"""The skills a demo task asks for: core skills of an occupation the provider's experts hold.

Experts and tasks meet by skill id, never by label text: a task asks for some of the core skills of one of
its domain's occupations (kpo.demo.occupations), and every expert of that occupation holds all of them.
Which occupation: the one the catalogue names for the task, unless fewer than `ENOUGH` of the provider's
experts would then be eligible under matching's own rules as they stand when the task is created (active,
domain, degree, languages, clearance, free hours before the due date, ...); then the domain's next
occupation that leaves `ENOUGH`, first at the levels drawn for the task, then all at the ordinary level 3;
failing that, the choice that leaves the most. A relabelling of ESCO skills therefore changes what the
skills are called, not who can do the task.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

from kpo.demo.occupations import Occupation
from kpo.demo.reference import demo_now
from kpo.engine.matching import ExpertIndex, TaskRequirements, eligibility
from kpo.engine.matching.rules import SkillsRule
from kpo.experts.models import ExpertProfile
from kpo.matching.records import client_settings, expert_records, skills_needed, task_requirements
from kpo.matching.rule_registry import rules_for_task
from kpo.work.models import Task

ENOUGH = 5  # eligible experts a task's occupation must leave, with room for what seeding does later
LEVELS = (3, 3, 4)  # the minimum proficiency a task asks for, drawn per skill


@dataclass(frozen=True)
class Choice:
    occupation: Occupation
    skills: dict[int, int]  # skill id -> minimum proficiency
    eligible: int
    holders: int  # the provider's experts holding every one of the skills, whatever the other rules say


def in_preference(preferred: str, listed: Sequence[Occupation]) -> list[Occupation]:
    """The named occupation first, then the domain's others in their order."""
    return sorted(listed, key=lambda occupation: occupation.uri != preferred)


def asked_skills(occupation: Occupation, levels: Sequence[int], rng: random.Random) -> dict[int, int]:
    """As many of the occupation's core skills as `levels` has, most typical first, at those levels."""
    picked = sorted(rng.sample(range(len(occupation.core)), min(len(levels), len(occupation.core))))
    return {occupation.core[position]: level for position, level in zip(picked, levels, strict=False)}


def choose(choices: Sequence[Choice]) -> Choice:
    """The first choice with `ENOUGH` eligible experts, else the one with the most (then the most holders,
    so a task nobody can take today still asks for skills some expert holds; the first of equals)."""
    for choice in choices:
        if choice.eligible >= ENOUGH:
            return choice
    return max(choices, key=lambda choice: (choice.eligible, choice.holders))


def task_skills(
    task: Task, preferred: str, count: int, listed: Sequence[Occupation], rng: random.Random
) -> Choice:
    """The skills `task` (saved, with its languages) asks for; see the module docstring."""
    now = demo_now()
    base = task_requirements(task, now)
    share = client_settings(task.engagement.client_id).min_skills_share
    rules = rules_for_task(task, now)
    staff = ExpertProfile.objects.filter(organisation_id=task.engagement.provider_id, internal=False)
    index = ExpertIndex.build(expert_records(now, expert_ids=staff.values_list("id", flat=True)))
    drawn = [rng.choice(LEVELS) for _ in range(count)]
    choices = []
    for levels in (drawn, [min(LEVELS)] * count):  # a task few can do asks for the ordinary level
        for occupation in in_preference(preferred, listed):
            skills = asked_skills(occupation, levels, rng)
            needed = skills_needed(share, len(skills))
            asked: TaskRequirements = replace(base, skills=skills, min_skills_held=needed)
            _mask, report = eligibility(index, asked, rules)
            every_skill = replace(asked, min_skills_held=len(skills))
            _mask, loose = eligibility(index, every_skill, (SkillsRule(),))
            choices.append(Choice(occupation, skills, report.eligible, loose.eligible))
    return choose(choices)
