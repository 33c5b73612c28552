"""The demo world shows a conflict-of-interest exclusion and a residency exclusion, with reasons."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kpo.compliance.rules import COI_RULE, RESIDENCY_RULE
from kpo.demo.compliance import CONFLICTED_ENGAGEMENT, PERSONAL_DATA_ENGAGEMENT, RECENT_EMPLOYER
from kpo.demo.reference import CATALOGUE_MOMENT
from kpo.demo.seed import seed_demo
from kpo.experts.models import Employment
from kpo.matching.selectors import shortlist_for_task, why_not_for
from kpo.work.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _isolated(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_demo_world_excludes_with_reasons() -> None:
    seed_demo(now=CATALOGUE_MOMENT, experts=60, seed=7)
    job = Employment.objects.select_related("expert__user").get(employer=RECENT_EMPLOYER)
    task = (
        Task.objects.filter(engagement__title=CONFLICTED_ENGAGEMENT, status__in=["submitted", "staffing"])
        .order_by("id")
        .first()
    )
    assert task is not None
    answer = why_not_for(task, job.expert, now=CATALOGUE_MOMENT)
    failure = next(f for f in answer.failures if f.rule == COI_RULE)
    assert failure.detail == "worked at Flender GmbH until 2026-08-31; cooling-off 6 months, ends 2027-02-28"
    result = shortlist_for_task(task, now=CATALOGUE_MOMENT)
    assert next(s for s in result.steps if s.rule == COI_RULE).excluded_alone == 1

    bank_task = (
        Task.objects.filter(engagement__title=PERSONAL_DATA_ENGAGEMENT)
        .exclude(status="draft")
        .order_by("id")
        .first()
    )
    assert bank_task is not None and bank_task.engagement.contains_personal_data
    result = shortlist_for_task(bank_task, now=CATALOGUE_MOMENT)
    step = next(s for s in result.steps if s.rule == RESIDENCY_RULE)
    assert step.excluded_alone > 0
    assert not any(row.expert.country == "IN" for row in result.rows)
