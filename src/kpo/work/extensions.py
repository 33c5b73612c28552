"""Hooks that the apps built on `work` add to its services and pages, so `work` never imports them.

An app registers its hooks in its AppConfig.ready(). Hooks run in registration order, which is the
order of INSTALLED_APPS; registering the same function again changes nothing.

- Assignment checks, `check(task, expert, role)`, run before an expert is assigned to a task: after
  work's own rules on who may work on the task (provider, status, clearance), or with
  `after_role_rules=True` after its rules on roles too (maker and reviewer differ, no role twice). A
  check returns a refusal (shown on the "expert" field) or None; it may also raise DomainError.
- Transition preconditions, `holds(task)`, say whether an engine precondition (e.g.
  HAS_PASSING_REVIEW) is met before a lifecycle transition.
- Transition listeners, `listener(transition)`, run once a lifecycle transition has committed.
- Assignment listeners, `listener(assignment)`, and message listeners, `listener(message)`, run once
  a new assignment or a new message on a task's thread has committed.
- Description filters, `filter(user, task, text)`, return the text of a task's description that this
  user may read, or None when it stays as it is (e.g. redaction on the provider side).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction

from kpo.core.errors import DomainError
from kpo.engine.lifecycle import Precondition
from kpo.experts.models import ExpertProfile
from kpo.work.models import Assignment, Message, Task, TaskTransition

AssignmentCheck = Callable[[Task, ExpertProfile, str], str | None]
PreconditionCheck = Callable[[Task], bool]
TransitionListener = Callable[[TaskTransition], None]
DescriptionFilter = Callable[[Any, Task, str], str | None]
TextsFilter = Callable[[Any, Task, list[str]], list[str] | None]
AssignmentListener = Callable[[Assignment], None]
MessageListener = Callable[[Message], None]

_ASSIGNMENT_CHECKS: list[AssignmentCheck] = []
_ROLE_CHECKS: list[AssignmentCheck] = []
_PRECONDITIONS: list[tuple[Precondition, PreconditionCheck]] = []
_TRANSITION_LISTENERS: list[TransitionListener] = []
_DESCRIPTION_FILTERS: list[DescriptionFilter] = []
_TEXTS_FILTERS: list[TextsFilter] = []
_ASSIGNMENT_LISTENERS: list[AssignmentListener] = []
_MESSAGE_LISTENERS: list[MessageListener] = []


def _add(registry: list[Any], item: object) -> None:
    if item not in registry:
        registry.append(item)


def register_assignment_check(check: AssignmentCheck, *, after_role_rules: bool = False) -> None:
    _add(_ROLE_CHECKS if after_role_rules else _ASSIGNMENT_CHECKS, check)


def register_transition_precondition(precondition: Precondition, holds: PreconditionCheck) -> None:
    _add(_PRECONDITIONS, (precondition, holds))


def register_transition_listener(listener: TransitionListener) -> None:
    _add(_TRANSITION_LISTENERS, listener)


def register_assignment_listener(listener: AssignmentListener) -> None:
    _add(_ASSIGNMENT_LISTENERS, listener)


def register_message_listener(listener: MessageListener) -> None:
    _add(_MESSAGE_LISTENERS, listener)


def register_description_filter(description_filter: DescriptionFilter) -> None:
    _add(_DESCRIPTION_FILTERS, description_filter)


def register_texts_filter(texts_filter: TextsFilter) -> None:
    _add(_TEXTS_FILTERS, texts_filter)


def run_assignment_checks(task: Task, expert: ExpertProfile, role: str, *, after_role_rules: bool) -> None:
    """Raise DomainError (on "expert") with the first refusal of the checks of this stage."""
    for check in _ROLE_CHECKS if after_role_rules else _ASSIGNMENT_CHECKS:
        refusal = check(task, expert, role)
        if refusal:
            raise DomainError(refusal, field="expert")


def extra_preconditions(task: Task) -> set[Precondition]:
    """The registered preconditions that hold for `task` now."""
    return {precondition for precondition, holds in _PRECONDITIONS if holds(task)}


def announce_transition(transition: TaskTransition) -> None:
    """Run every listener on `transition` once the surrounding transaction commits."""
    for listener in _TRANSITION_LISTENERS:
        transaction.on_commit(partial(listener, transition))


def announce_assignment(assignment: Assignment) -> None:
    """Run every assignment listener on `assignment` once the surrounding transaction commits."""
    for listener in _ASSIGNMENT_LISTENERS:
        transaction.on_commit(partial(listener, assignment))


def announce_message(message: Message) -> None:
    """Run every message listener on `message` once the surrounding transaction commits."""
    for listener in _MESSAGE_LISTENERS:
        transaction.on_commit(partial(listener, message))


def task_description_for(user: Any, task: Task) -> tuple[str, bool]:
    """The task description this user may read, and whether a filter changed it for them."""
    text = task.description or ""
    filtered = False
    for description_filter in _DESCRIPTION_FILTERS:
        changed = description_filter(user, task, text)
        if changed is not None:
            text, filtered = changed, True
    return text, filtered


def task_texts_for(user: Any, task: Task, texts: list[str]) -> list[str]:
    """Other texts on a task (its messages) as this user may read them, filtered as its description is."""
    for texts_filter in _TEXTS_FILTERS:
        changed = texts_filter(user, task, texts)
        if changed is not None:
            texts = changed
    return texts
