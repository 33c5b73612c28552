"""The process-wide expert index: rebuilt when experts, assignments or tasks change, else shared."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kpo.matching import index_cache
from kpo.matching.index_cache import cache, expert_index, fingerprint
from kpo.work.models import Assignment
from tests.cast import Cast
from tests.matching.helpers import give_skill, more_experts, task_skill

pytestmark = pytest.mark.django_db


def test_the_index_is_shared_until_an_expert_changes(cast: Cast) -> None:
    first = expert_index()
    builds = cache().builds
    assert expert_index() is first and cache().builds == builds
    erin = cast.erin.expert_profile.pk
    assert first.record(erin).skills == {}
    give_skill(cast, "erin")  # adds a skill row and touches the profile, as services must
    second = expert_index()
    assert second is not first and cache().builds == builds + 1
    assert second.record(erin).skills == {task_skill(cast).pk: 4}


def test_new_experts_rebuild_it_and_assignments_and_closed_tasks_refresh_the_hours(cast: Cast) -> None:
    index = expert_index()
    more_experts(cast, 2)
    index = expert_index()
    assert len(index) == 6
    builds, refreshes = cache().builds, cache().refreshes
    Assignment.objects.create(
        task=cast.draft_a,
        expert=cast.erin.expert_profile,
        role="maker",
        planned_hours=Decimal(5),
        assigned_by=cast.pete,
    )
    assert expert_index().record(cast.erin.expert_profile.pk).assigned_hours == 5.0
    refreshed = expert_index()
    assert refreshed.assigned_hours[refreshed.row_of(cast.erin.expert_profile.pk)] == 5.0
    carol = cast.carol.expert_profile.pk
    assert refreshed.record(carol).assigned_hours > 0
    cast.task_a.status = "accepted"
    cast.task_a.save()
    closed = expert_index()
    assert closed.record(carol).assigned_hours == 0.0
    assert closed.assigned_hours[closed.row_of(carol)] == 0.0
    assert (cache().builds, cache().refreshes) == (builds, refreshes + 2)
    assert closed.ids is index.ids  # the experts' columns are shared, not rebuilt


def test_the_fingerprint_is_one_query(cast: Cast, django_assert_num_queries: object) -> None:
    with django_assert_num_queries(1):  # type: ignore[operator]
        fingerprint()


def test_a_zero_ttl_rebuilds_every_time(cast: Cast, settings: object) -> None:
    settings.KPO_MATCHING_INDEX_TTL = 0  # type: ignore[attr-defined]
    first = expert_index()
    assert expert_index() is not first


def test_the_ttl_is_a_backstop(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    first = expert_index()
    clock = index_cache.time.monotonic() + index_cache.ttl_seconds() + 1
    monkeypatch.setattr(index_cache.time, "monotonic", lambda: clock)
    assert expert_index() is not first


def test_while_another_thread_rebuilds_the_previous_index_is_used(cast: Cast) -> None:
    first = expert_index()
    more_experts(cast, 1)
    with cache()._lock:  # as if another request were rebuilding right now
        assert expert_index() is first
    assert len(expert_index()) == len(first) + 1


def test_a_check_interval_spares_the_fingerprint(
    cast: Cast, settings: object, django_assert_num_queries: object
) -> None:
    settings.KPO_MATCHING_CHECK_SECONDS = 60  # type: ignore[attr-defined]
    first = expert_index()
    more_experts(cast, 1)
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert expert_index() is first
