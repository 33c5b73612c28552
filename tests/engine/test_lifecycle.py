from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpo.engine.lifecycle import (
    OPEN_STATES,
    TERMINAL_STATES,
    TRANSITIONS,
    Capacity,
    Precondition,
    TaskState,
    TransitionError,
    available_transitions,
    check_transition,
)

ALL = frozenset(Capacity)
EVERYTHING = frozenset(Precondition)


def test_happy_path_with_one_round_of_changes() -> None:
    path = [
        (TaskState.SUBMITTED, Capacity.CLIENT),
        (TaskState.STAFFING, Capacity.PROVIDER_MANAGER),
        (TaskState.IN_PROGRESS, Capacity.PROVIDER_MANAGER),
        (TaskState.IN_REVIEW, Capacity.MAKER),
        (TaskState.DELIVERED, Capacity.REVIEWER),
        (TaskState.CHANGES_REQUESTED, Capacity.CLIENT),
        (TaskState.IN_PROGRESS, Capacity.MAKER),
        (TaskState.IN_REVIEW, Capacity.MAKER),
        (TaskState.DELIVERED, Capacity.REVIEWER),
        (TaskState.ACCEPTED, Capacity.CLIENT),
    ]
    state = TaskState.DRAFT
    for target, who in path:
        check_transition(state, target, frozenset({who}), EVERYTHING, "because")
        state = target
    assert state == TaskState.ACCEPTED


def test_maker_cannot_pass_own_review() -> None:
    with pytest.raises(TransitionError, match="reviewer"):
        check_transition(
            TaskState.IN_REVIEW, TaskState.DELIVERED, frozenset({Capacity.MAKER}), EVERYTHING, ""
        )


def test_skipping_states_is_refused() -> None:
    with pytest.raises(TransitionError, match="cannot go from draft to accepted"):
        check_transition(TaskState.DRAFT, TaskState.ACCEPTED, ALL, EVERYTHING, "")


def test_preconditions_name_what_is_missing() -> None:
    with pytest.raises(TransitionError) as no_maker:
        check_transition(TaskState.STAFFING, TaskState.IN_PROGRESS, ALL, frozenset(), "")
    assert no_maker.value.field == "assignments"
    with pytest.raises(TransitionError) as no_file:
        check_transition(TaskState.IN_PROGRESS, TaskState.IN_REVIEW, ALL, frozenset(), "")
    assert no_file.value.field == "deliverables"


def test_delivery_needs_a_passing_review() -> None:
    """Only passed work reaches the client: in_review -> delivered needs HAS_PASSING_REVIEW."""
    without = EVERYTHING - {Precondition.HAS_PASSING_REVIEW}
    for capacity in (Capacity.REVIEWER, Capacity.PROVIDER_MANAGER):
        with pytest.raises(TransitionError) as error:
            check_transition(TaskState.IN_REVIEW, TaskState.DELIVERED, frozenset({capacity}), without, "")
        assert error.value.field == "review"
    done = check_transition(
        TaskState.IN_REVIEW, TaskState.DELIVERED, frozenset({Capacity.REVIEWER}), EVERYTHING, ""
    )
    assert done.action == "pass_review"
    # sending back needs no review
    check_transition(
        TaskState.IN_REVIEW, TaskState.IN_PROGRESS, frozenset({Capacity.REVIEWER}), without, "Fix"
    )


def test_request_changes_needs_a_comment() -> None:
    with pytest.raises(TransitionError) as error:
        check_transition(TaskState.DELIVERED, TaskState.CHANGES_REQUESTED, ALL, EVERYTHING, "  ")
    assert error.value.field == "comment"


def test_hold_and_resume_returns_to_the_previous_state() -> None:
    check_transition(
        TaskState.IN_REVIEW, TaskState.ON_HOLD, frozenset({Capacity.CLIENT}), EVERYTHING, "budget"
    )
    options = available_transitions(
        TaskState.ON_HOLD, frozenset({Capacity.CLIENT}), resume_to=TaskState.IN_REVIEW
    )
    assert [o.target for o in options][:1] == [TaskState.IN_REVIEW]
    check_transition(
        TaskState.ON_HOLD,
        TaskState.IN_REVIEW,
        frozenset({Capacity.CLIENT}),
        EVERYTHING,
        "",
        TaskState.IN_REVIEW,
    )
    with pytest.raises(TransitionError):
        check_transition(TaskState.ON_HOLD, TaskState.IN_REVIEW, ALL, EVERYTHING, "", TaskState.STAFFING)


@given(
    st.sampled_from(list(TaskState)),
    st.sampled_from(list(TaskState)),
    st.sets(st.sampled_from(list(Capacity))),
)
def test_check_agrees_with_available(source: TaskState, target: TaskState, caps: set[Capacity]) -> None:
    capacities = frozenset(caps)
    offered = {t.target for t in available_transitions(source, capacities)}
    try:
        check_transition(source, target, capacities, EVERYTHING, "why")
    except TransitionError:
        assert target not in offered
    else:
        assert target in offered


def test_terminal_states_have_no_way_out() -> None:
    assert not [t for t in TRANSITIONS if t.source in TERMINAL_STATES]
    assert all(
        any(t.source == s and t.target == TaskState.CANCELLED for t in TRANSITIONS) for s in OPEN_STATES
    )
