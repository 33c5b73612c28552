"""The task lifecycle as an explicit state machine.

Who may make a transition is expressed as *capacities* the acting user holds towards one task:
the client side (client admin or requester of the engagement's client), the provider manager,
the assigned maker and the assigned reviewer.
"""

from __future__ import annotations

from enum import StrEnum

from kpo.engine.transitions import StateTransition
from kpo.engine.transitions import transition as _t


class TaskState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    STAFFING = "staffing"
    IN_PROGRESS = "in_progress"
    IN_REVIEW = "in_review"
    DELIVERED = "delivered"
    CHANGES_REQUESTED = "changes_requested"
    ACCEPTED = "accepted"
    ON_HOLD = "on_hold"
    CANCELLED = "cancelled"


class Capacity(StrEnum):
    CLIENT = "client"
    PROVIDER_MANAGER = "provider_manager"
    MAKER = "maker"
    REVIEWER = "reviewer"


class Precondition(StrEnum):
    HAS_MAKER = "has_maker"
    HAS_DELIVERABLE = "has_deliverable"
    HAS_PASSING_REVIEW = "has_passing_review"  # the latest version passed review in this round
    HAS_ACCEPTING_RATING = "has_accepting_rating"  # the client rated the latest version and accepts it


OPEN_STATES = frozenset(
    {
        TaskState.DRAFT,
        TaskState.SUBMITTED,
        TaskState.STAFFING,
        TaskState.IN_PROGRESS,
        TaskState.IN_REVIEW,
        TaskState.DELIVERED,
        TaskState.CHANGES_REQUESTED,
    }
)
TERMINAL_STATES = frozenset({TaskState.ACCEPTED, TaskState.CANCELLED})


Transition = StateTransition[TaskState, Capacity, Precondition]


S = TaskState
C = Capacity
_FORWARD: tuple[Transition, ...] = (
    _t(S.DRAFT, S.SUBMITTED, "submit", C.CLIENT),
    _t(S.SUBMITTED, S.STAFFING, "start_staffing", C.PROVIDER_MANAGER),
    _t(S.STAFFING, S.IN_PROGRESS, "start_work", C.PROVIDER_MANAGER, pre=(Precondition.HAS_MAKER,)),
    _t(
        S.IN_PROGRESS,
        S.IN_REVIEW,
        "send_to_review",
        C.MAKER,
        C.PROVIDER_MANAGER,
        pre=(Precondition.HAS_DELIVERABLE,),
    ),
    _t(
        S.IN_REVIEW,
        S.DELIVERED,
        "pass_review",
        C.REVIEWER,
        C.PROVIDER_MANAGER,
        pre=(Precondition.HAS_PASSING_REVIEW,),
    ),
    _t(S.IN_REVIEW, S.IN_PROGRESS, "return_to_maker", C.REVIEWER, C.PROVIDER_MANAGER, needs_comment=True),
    _t(S.DELIVERED, S.ACCEPTED, "accept", C.CLIENT, pre=(Precondition.HAS_ACCEPTING_RATING,)),
    _t(S.DELIVERED, S.CHANGES_REQUESTED, "request_changes", C.CLIENT, needs_comment=True),
    _t(S.CHANGES_REQUESTED, S.IN_PROGRESS, "resume_work", C.MAKER, C.PROVIDER_MANAGER),
)
_HOLD: tuple[Transition, ...] = tuple(
    _t(state, S.ON_HOLD, "put_on_hold", C.CLIENT, C.PROVIDER_MANAGER, needs_comment=True)
    for state in OPEN_STATES
)
_CANCEL: tuple[Transition, ...] = tuple(
    _t(state, S.CANCELLED, "cancel", C.CLIENT, needs_comment=True) for state in (*OPEN_STATES, S.ON_HOLD)
)
TRANSITIONS: tuple[Transition, ...] = _FORWARD + _HOLD + _CANCEL
RESUME_ACTION = "resume"
RESUME_CAPACITIES = frozenset({C.CLIENT, C.PROVIDER_MANAGER})


class TransitionError(Exception):
    """An illegal transition; `field` names what was wrong for the caller's error body."""

    def __init__(self, message: str, *, field: str = "status") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def transition_for(
    state: TaskState, target: TaskState, resume_to: TaskState | None = None
) -> Transition | None:
    """The transition from `state` to `target`; resuming from hold goes back to where the task was."""
    if state == S.ON_HOLD and resume_to is not None and target == resume_to:
        return Transition(S.ON_HOLD, target, RESUME_ACTION, RESUME_CAPACITIES)
    for transition in TRANSITIONS:
        if transition.source == state and transition.target == target:
            return transition
    return None


def available_transitions(
    state: TaskState,
    capacities: frozenset[Capacity],
    resume_to: TaskState | None = None,
) -> list[Transition]:
    """Transitions the holder of `capacities` may attempt now (preconditions are checked on the attempt)."""
    options = [t for t in TRANSITIONS if t.source == state and t.capacities & capacities]
    if state == S.ON_HOLD and resume_to is not None and RESUME_CAPACITIES & capacities:
        options.insert(0, Transition(S.ON_HOLD, resume_to, RESUME_ACTION, RESUME_CAPACITIES))
    return options


def check_transition(
    state: TaskState,
    target: TaskState,
    capacities: frozenset[Capacity],
    satisfied: frozenset[Precondition],
    comment: str,
    resume_to: TaskState | None = None,
) -> Transition:
    """Return the transition if it is legal for this actor now, else raise TransitionError naming why."""
    transition = transition_for(state, target, resume_to)
    if transition is None:
        raise TransitionError(f"A task cannot go from {state.value} to {target.value}.")
    if not transition.capacities & capacities:
        allowed = ", ".join(sorted(c.value for c in transition.capacities))
        raise TransitionError(f"Only {allowed} may {transition.action.replace('_', ' ')} this task.")
    missing = transition.preconditions - satisfied
    if Precondition.HAS_MAKER in missing:
        raise TransitionError("Assign a maker before work starts.", field="assignments")
    if Precondition.HAS_DELIVERABLE in missing:
        raise TransitionError("Upload a deliverable before sending the task to review.", field="deliverables")
    if Precondition.HAS_PASSING_REVIEW in missing:
        raise TransitionError(
            "Only passed work reaches the client: the reviewer must pass the latest version first.",
            field="review",
        )
    if Precondition.HAS_ACCEPTING_RATING in missing:
        raise TransitionError("Accept a delivery with its rating: give it 1 to 5 stars.", field="stars")
    if transition.needs_comment and not comment.strip():
        raise TransitionError("Say why in a comment.", field="comment")
    return transition
