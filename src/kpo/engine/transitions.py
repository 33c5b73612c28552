"""A transition of a state machine: the action that moves an object from one state to another, who
may take it (capacities towards the object), what must hold first and whether it needs a comment."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

S = TypeVar("S", bound=StrEnum)
C = TypeVar("C", bound=StrEnum)
P = TypeVar("P", bound=StrEnum)


@dataclass(frozen=True)
class StateTransition(Generic[S, C, P]):
    source: S
    target: S
    action: str
    capacities: frozenset[C]
    preconditions: frozenset[P] = frozenset()
    needs_comment: bool = False


def transition(
    source: S,
    target: S,
    action: str,
    *capacities: C,
    pre: tuple[P, ...] = (),
    needs_comment: bool = False,
) -> StateTransition[S, C, P]:
    """A transition declared in a machine's table: ``transition(DRAFT, SUBMITTED, "submit", CLIENT)``."""
    return StateTransition(source, target, action, frozenset(capacities), frozenset(pre), needs_comment)
