"""Demo tasks and experts agree by skill id: relabelling every ESCO skill changes no task's skills."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db.models import Value
from django.db.models.functions import Concat, Upper
from django.utils import timezone

from kpo.demo.seed import load_occupations, load_skill_pools, reset_demo, seed_demo
from kpo.experts.models import EscoSkill, ExpertSkill
from kpo.work.models import Task, TaskSkill

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _isolated(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _task_skills() -> dict[str, list[int]]:
    skills: dict[str, list[int]] = {}
    for title, skill_id in TaskSkill.objects.values_list("task__title", "skill_id"):
        skills.setdefault(title, []).append(skill_id)
    return {title: sorted(ids) for title, ids in skills.items()}


def test_task_skills_are_core_skills_held_by_experts_and_survive_a_relabelling() -> None:
    seed_demo(now=timezone.now(), experts=60, seed=7)
    before = _task_skills()
    cores = [set(o.core) for listed in load_occupations(load_skill_pools()).values() for o in listed]
    held = set(ExpertSkill.objects.values_list("skill_id", flat=True))
    assert len(before) == Task.objects.count()
    for title, skills in before.items():
        assert any(set(skills) <= core for core in cores), title
        assert set(skills) <= held, title
    reset_demo()
    # a new spelling of every label that keeps its words: no label starts as it did
    EscoSkill.objects.update(label=Concat(Value("to "), Upper("label")))
    seed_demo(now=timezone.now(), experts=60, seed=7)
    assert _task_skills() == before
