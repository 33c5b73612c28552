"""The hooks the apps built on `work` register: who registers what, in which order, and when they run."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from typing import Any

import pytest

from kpo.compliance.services import assignment_check
from kpo.core.errors import DomainError
from kpo.engine.lifecycle import Precondition
from kpo.experts.models import ExpertProfile
from kpo.quality.checks import accepting_rating_holds, passing_review_holds, reviewer_check
from kpo.quality.scores import quality_after_transition
from kpo.redaction.services import redacted_description
from kpo.work import extensions, services
from kpo.work.models import Task, TaskTransition
from kpo.work.notifications import assignment_told, mention_told, message_told, transition_told
from tests.cast import Cast


@pytest.fixture
def clean_registries() -> Iterator[None]:
    """Whatever a test registers is gone afterwards."""
    registries: list[list[Any]] = [
        extensions._ASSIGNMENT_CHECKS,
        extensions._ROLE_CHECKS,
        extensions._PRECONDITIONS,
        extensions._TRANSITION_LISTENERS,
        extensions._DESCRIPTION_FILTERS,
        extensions._ASSIGNMENT_LISTENERS,
        extensions._MESSAGE_LISTENERS,
    ]
    saved = [list(registry) for registry in registries]
    yield
    for registry, before in zip(registries, saved, strict=True):
        registry[:] = before


def test_the_apps_register_their_hooks_in_the_order_of_installed_apps() -> None:
    assert [assignment_check] == extensions._ASSIGNMENT_CHECKS
    assert [reviewer_check] == extensions._ROLE_CHECKS
    assert [
        (Precondition.HAS_PASSING_REVIEW, passing_review_holds),
        (Precondition.HAS_ACCEPTING_RATING, accepting_rating_holds),
    ] == extensions._PRECONDITIONS
    assert [transition_told, quality_after_transition] == extensions._TRANSITION_LISTENERS
    assert [assignment_told] == extensions._ASSIGNMENT_LISTENERS
    assert [message_told, mention_told] == extensions._MESSAGE_LISTENERS
    assert [redacted_description] == extensions._DESCRIPTION_FILTERS


def test_registering_again_changes_nothing(clean_registries: None) -> None:
    def check(task: Task, expert: ExpertProfile, role: str) -> str | None:
        return None

    extensions.register_assignment_check(check)
    extensions.register_assignment_check(check)
    extensions.register_transition_listener(quality_after_transition)
    assert [assignment_check, check] == extensions._ASSIGNMENT_CHECKS
    assert [transition_told, quality_after_transition] == extensions._TRANSITION_LISTENERS


@pytest.mark.django_db
def test_a_refusal_stops_the_assignment_on_the_expert_field(cast: Cast, clean_registries: None) -> None:
    seen: list[str] = []

    def refuse_makers(task: Task, expert: ExpertProfile, role: str) -> str | None:
        seen.append(role)
        return "No more makers here." if role == "maker" else None

    extensions.register_assignment_check(refuse_makers, after_role_rules=True)
    with pytest.raises(DomainError) as error:
        services.assignment_create(
            user=cast.pete,
            task=cast.task_a,
            expert=cast.erin.expert_profile,
            role="maker",
            planned_hours=Decimal(2),
        )
    assert (error.value.message, error.value.field) == ("No more makers here.", "expert")
    assert seen == ["maker"]
    assert not cast.task_a.assignments.filter(expert=cast.erin.expert_profile).exists()


@pytest.mark.django_db
def test_listeners_run_once_the_transition_commits(
    cast: Cast, clean_registries: None, django_capture_on_commit_callbacks: Any
) -> None:
    heard: list[TaskTransition] = []
    extensions.register_transition_listener(heard.append)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.task_transition(user=cast.carol, task=cast.task_a, target="in_review")
        assert heard == []
    listeners = [callback.func for callback in callbacks if isinstance(callback, partial)]
    assert listeners == [transition_told, quality_after_transition, heard.append]  # work's notices first
    assert [(t.task_id, t.from_status, t.to_status) for t in heard] == [
        (cast.task_a.pk, "in_progress", "in_review")
    ]


@pytest.mark.django_db
def test_description_filters_apply_in_order_and_say_so(cast: Cast, clean_registries: None) -> None:
    extensions._DESCRIPTION_FILTERS.clear()
    task = cast.task_a
    assert extensions.task_description_for(cast.pete, task) == (task.description, False)
    extensions.register_description_filter(lambda user, task, text: None)
    assert extensions.task_description_for(cast.pete, task) == (task.description, False)
    extensions.register_description_filter(lambda user, task, text: text.upper())
    extensions.register_description_filter(lambda user, task, text: text + "!")
    assert extensions.task_description_for(cast.pete, task) == (task.description.upper() + "!", True)
