from __future__ import annotations

import pytest
from django.http import Http404

from kpo.engine.lifecycle import Capacity
from kpo.experts.access import experts_visible_to
from kpo.work.access import access_task, engagements_visible_to, task_capacities, tasks_visible_to
from tests.break_glass import approved_break_glass
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def test_engagement_visibility(cast: Cast) -> None:
    a, b = cast.engagement_a, cast.engagement_b
    assert set(engagements_visible_to(cast.alice)) == {a}
    assert set(engagements_visible_to(cast.aud)) == {a}
    assert set(engagements_visible_to(cast.pete)) == {a}
    assert set(engagements_visible_to(cast.carol)) == {a}
    assert set(engagements_visible_to(cast.erin)) == set()
    assert set(engagements_visible_to(cast.dave)) == {b}
    assert set(engagements_visible_to(cast.quinn)) == {b}
    assert set(engagements_visible_to(cast.ops)) == set()  # operators need a break-glass grant
    approved_break_glass(cast.ops, cast.org_a)
    assert set(engagements_visible_to(cast.ops)) == {a}


def test_expert_sees_only_assigned_tasks(cast: Cast) -> None:
    assert set(tasks_visible_to(cast.carol)) == {cast.task_a}
    assert cast.draft_a in set(tasks_visible_to(cast.bob))
    with pytest.raises(Http404):
        access_task(cast.erin, cast.task_a.pk)
    with pytest.raises(Http404):
        access_task(cast.dave, cast.task_a.pk)
    with pytest.raises(Http404):
        access_task(cast.dave, "not-a-number")


def test_capacities(cast: Cast) -> None:
    assert task_capacities(cast.bob, cast.task_a) == {Capacity.CLIENT}
    assert task_capacities(cast.aud, cast.task_a) == frozenset()
    assert task_capacities(cast.pete, cast.task_a) == {Capacity.PROVIDER_MANAGER}
    assert task_capacities(cast.carol, cast.task_a) == {Capacity.MAKER}
    assert task_capacities(cast.rex, cast.task_a) == {Capacity.REVIEWER}


def test_internal_experts_stay_inside_their_client(cast: Cast) -> None:
    assert cast.ivan_profile in set(experts_visible_to(cast.alice))
    assert cast.ivan_profile not in set(experts_visible_to(cast.dave))
    assert cast.ivan_profile not in set(experts_visible_to(cast.pete))
    assert cast.carol.expert_profile in set(experts_visible_to(cast.dave))


def test_provider_sees_tasks_only_once_submitted(cast: Cast) -> None:
    assert cast.draft_a not in set(tasks_visible_to(cast.pete))
    assert cast.task_a in set(tasks_visible_to(cast.pete))
    with pytest.raises(Http404):
        access_task(cast.pete, cast.draft_a.pk)
