"""Matching reads an expert's quality score in the task's own domain where they have one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kpo.matching.selectors import shortlist_for_task, why_not_for
from kpo.quality.models import QualityScore
from tests.cast import Cast
from tests.matching.helpers import give_skill

pytestmark = pytest.mark.django_db


def _score(cast: Cast, domain: str, mean: float, lower: float) -> None:
    now = timezone.now()
    QualityScore.objects.create(
        expert=cast.erin.expert_profile,
        domain=domain,
        mean=mean,
        lower=lower,
        upper=min(1.0, mean + 0.1),
        n_effective=5.0,
        computed_on=dt.date(2026, 1, 1),
        computed_at=now,
    )


def _quality(cast: Cast) -> float:
    result = shortlist_for_task(cast.task_a, now=timezone.now())
    row = next(row for row in result.rows if row.entry.expert_id == cast.erin.expert_profile.pk)
    return row.entry.components["quality"]


def test_the_score_in_the_tasks_domain_comes_before_the_overall_one(cast: Cast) -> None:
    give_skill(cast, "erin")
    _score(cast, "", 0.9, 0.8)
    assert _quality(cast) == pytest.approx(0.8)
    _score(cast, cast.engagement_a.domain, 0.4, 0.3)
    assert _quality(cast) == pytest.approx(0.3)
    why = why_not_for(cast.task_a, cast.erin.expert_profile, now=timezone.now())
    assert why.assessment.components["quality"] == pytest.approx(0.3)


def test_a_score_in_another_domain_is_not_used(cast: Cast) -> None:
    give_skill(cast, "erin")
    _score(cast, "", 0.9, 0.8)
    _score(cast, "legal_services", 0.2, 0.1)
    assert _quality(cast) == pytest.approx(0.8)
