"""The process-wide snapshot of stored vectors: built once, patched with changed rows, rebuilt on loss."""

from __future__ import annotations

import pytest

from kpo.matching import affinity_index
from kpo.matching.embeddings import affinities_for, embedding_refresh
from kpo.matching.models import WorkSample
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def test_the_snapshot_is_patched_then_rebuilt(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.KPO_EMBEDDER = "static"
    cache = affinity_index.cache()
    builds, patches = cache.builds, cache.patches
    carol, rex = cast.carol.expert_profile, cast.rex.expert_profile
    cast.task_a.title = "Credit risk models for retail banks"
    cast.task_a.save()
    WorkSample.objects.create(
        expert=carol, external_id="g1", title="Planetary gearbox losses in wind turbines"
    )
    embedding_refresh()
    first = affinities_for(cast.task_a)
    assert first is not None and set(first) == {carol.pk} and cache.builds == builds + 1
    affinities_for(cast.task_a)
    assert (cache.builds, cache.patches) == (builds + 1, patches)  # unchanged: neither read again

    WorkSample.objects.create(expert=rex, external_id="b1", title="Credit risk models for retail banks")
    WorkSample.objects.filter(expert=carol).update(title="Default prediction for retail bank loans")
    embedding_refresh()
    second = affinities_for(cast.task_a)
    assert second is not None and set(second) == {carol.pk, rex.pk}
    assert (cache.builds, cache.patches) == (builds + 1, patches + 1)
    assert second[carol.pk] > first[carol.pk]  # carol's new sample is read, not her old one

    WorkSample.objects.filter(expert=rex).delete()
    embedding_refresh()
    third = affinities_for(cast.task_a)
    assert third is not None and set(third) == {carol.pk} and cache.builds == builds + 2


def test_the_score_memo_answers_again_only_for_the_same_snapshot(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.KPO_EMBEDDER = "static"
    memo = affinity_index.score_memo()
    memo.clear()
    carol = cast.carol.expert_profile
    cast.task_a.title = "Credit risk models for retail banks"
    cast.task_a.save()
    WorkSample.objects.create(expert=carol, external_id="g1", title="Planetary gearbox losses")
    embedding_refresh()
    first = affinities_for(cast.task_a)
    hits = memo.hits
    assert affinities_for(cast.task_a) == first and memo.hits == hits + 1

    WorkSample.objects.filter(expert=carol).update(title="Default prediction for retail bank loans")
    embedding_refresh()
    second = affinities_for(cast.task_a)  # a new snapshot: computed, not remembered
    assert second is not None and first is not None and second[carol.pk] > first[carol.pk]
    assert memo.hits == hits + 1
