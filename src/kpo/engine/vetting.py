"""Expert vetting as an explicit state machine (the same style as `kpo.engine.lifecycle`).

    applied → screening → credentials_verified → trial_scored → active ⇄ suspended
        (every state but rejected) → rejected

Who may make a transition is expressed as *capacities* the acting user holds towards one expert:
the platform operator (vets the platform's freelance pool and may act on any expert), the provider
manager of the expert's provider, and the expert themself (who may only withdraw, which ends the
vetting in `rejected`). Preconditions are facts about the expert's record, computed by
`satisfied_preconditions` from a `VettingFacts` and checked on the attempt:

- screening starts once the expert has signed the platform terms;
- credentials_verified needs at least one verified, unexpired degree or licence;
- trial_scored needs a trial task score at or above the pass mark (a failed trial is a rejection);
- activating and reinstating need a verified credential and a verification that is not yet due for
  renewal (`reverification_due`, default every 12 months).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kpo.engine.passport import Passport, add_months
from kpo.engine.transitions import StateTransition
from kpo.engine.transitions import transition as _t

DEFAULT_REVERIFICATION_MONTHS = 12
DEFAULT_TRIAL_PASS_SCORE = 3.5  # the trial task's mean rubric score on the 1-5 scale


class VettingState(StrEnum):
    APPLIED = "applied"
    SCREENING = "screening"
    CREDENTIALS_VERIFIED = "credentials_verified"
    TRIAL_SCORED = "trial_scored"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REJECTED = "rejected"


class VettingCapacity(StrEnum):
    PLATFORM_OPERATOR = "platform_operator"
    PROVIDER_MANAGER = "provider_manager"
    EXPERT = "expert"


class VettingPrecondition(StrEnum):
    TERMS_SIGNED = "terms_signed"
    VERIFIED_CREDENTIAL = "verified_credential"
    TRIAL_PASSED = "trial_passed"
    VERIFICATION_CURRENT = "verification_current"


TERMINAL_STATES = frozenset({VettingState.REJECTED})
NON_TERMINAL_STATES = frozenset(VettingState) - TERMINAL_STATES
MATCHABLE_STATES = frozenset({VettingState.ACTIVE})


VettingTransition = StateTransition[VettingState, VettingCapacity, VettingPrecondition]


S = VettingState
C = VettingCapacity
P = VettingPrecondition
STAFF = (C.PLATFORM_OPERATOR, C.PROVIDER_MANAGER)
_FORWARD: tuple[VettingTransition, ...] = (
    _t(S.APPLIED, S.SCREENING, "start_screening", *STAFF, pre=(P.TERMS_SIGNED,)),
    _t(S.SCREENING, S.CREDENTIALS_VERIFIED, "verify_credentials", *STAFF, pre=(P.VERIFIED_CREDENTIAL,)),
    _t(S.CREDENTIALS_VERIFIED, S.TRIAL_SCORED, "score_trial", *STAFF, pre=(P.TRIAL_PASSED,)),
    _t(
        S.TRIAL_SCORED,
        S.ACTIVE,
        "activate",
        *STAFF,
        pre=(P.VERIFIED_CREDENTIAL, P.VERIFICATION_CURRENT),
    ),
    _t(S.ACTIVE, S.SUSPENDED, "suspend", *STAFF, needs_comment=True),
    _t(
        S.SUSPENDED,
        S.ACTIVE,
        "reinstate",
        *STAFF,
        pre=(P.VERIFIED_CREDENTIAL, P.VERIFICATION_CURRENT),
        needs_comment=True,
    ),
)
_ORDER = tuple(VettingState)
_REJECT: tuple[VettingTransition, ...] = tuple(
    _t(state, S.REJECTED, "reject", *STAFF, needs_comment=True)
    for state in sorted(NON_TERMINAL_STATES, key=_ORDER.index)
)
_WITHDRAW: tuple[VettingTransition, ...] = tuple(
    _t(state, S.REJECTED, "withdraw", C.EXPERT) for state in sorted(NON_TERMINAL_STATES, key=_ORDER.index)
)
TRANSITIONS: tuple[VettingTransition, ...] = _FORWARD + _REJECT + _WITHDRAW

_PRECONDITION_ERRORS: tuple[tuple[VettingPrecondition, str, str], ...] = (
    (
        P.TERMS_SIGNED,
        "The expert must sign the platform terms before screening starts.",
        "platform_terms_signed_on",
    ),
    (P.VERIFIED_CREDENTIAL, "Verify at least one unexpired degree or licence first.", "credentials"),
    (P.TRIAL_PASSED, "The trial task must be scored at or above the pass mark.", "trial_score"),
    (P.VERIFICATION_CURRENT, "Re-verification is due: verify the credentials again first.", "verified_on"),
)


class VettingError(Exception):
    """An illegal vetting transition; `field` names what was wrong for the caller's error body."""

    def __init__(self, message: str, *, field: str = "state") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class VettingFacts:
    """What the preconditions look at; the caller reads them from the database."""

    passport: Passport
    verified_on: date | None = None  # when the credentials were last verified by the platform or provider
    trial_score: float | None = None  # mean rubric score of the trial task, 1-5
    trial_pass_score: float = DEFAULT_TRIAL_PASS_SCORE
    reverification_months: int = DEFAULT_REVERIFICATION_MONTHS


def reverification_date(verified_on: date, period_months: int) -> date:
    """The day re-verification falls due: `period_months` calendar months after `verified_on`."""
    if period_months < 1:
        raise VettingError("The re-verification period must be at least one month.", field="period_months")
    return add_months(verified_on, period_months)


def reverification_due(verified_on: date | None, period_months: int, today: date) -> bool:
    """True from the due date on; an expert never verified is always due."""
    if verified_on is None:
        return True
    return today >= reverification_date(verified_on, period_months)


def satisfied_preconditions(facts: VettingFacts, today: date) -> frozenset[VettingPrecondition]:
    satisfied: set[VettingPrecondition] = set()
    signed = facts.passport.platform_terms_signed_on
    if signed is not None and signed <= today:
        satisfied.add(P.TERMS_SIGNED)
    if facts.passport.has_valid_degree_or_licence(today):
        satisfied.add(P.VERIFIED_CREDENTIAL)
    if facts.trial_score is not None and facts.trial_score >= facts.trial_pass_score:
        satisfied.add(P.TRIAL_PASSED)
    if not reverification_due(facts.verified_on, facts.reverification_months, today):
        satisfied.add(P.VERIFICATION_CURRENT)
    return frozenset(satisfied)


def transitions_between(state: VettingState, target: VettingState) -> list[VettingTransition]:
    """Every transition from `state` to `target` (to rejected there are two: reject and withdraw)."""
    return [t for t in TRANSITIONS if t.source == state and t.target == target]


def available_vetting_transitions(
    state: VettingState, capacities: frozenset[VettingCapacity]
) -> list[VettingTransition]:
    """Transitions the holder of `capacities` may attempt now (preconditions are checked on the attempt)."""
    return [t for t in TRANSITIONS if t.source == state and t.capacities & capacities]


def check_vetting_transition(
    state: VettingState,
    target: VettingState,
    capacities: frozenset[VettingCapacity],
    satisfied: frozenset[VettingPrecondition],
    comment: str = "",
) -> VettingTransition:
    """Return the transition if it is legal for this actor now, else raise VettingError naming why."""
    candidates = transitions_between(state, target)
    if not candidates:
        raise VettingError(f"Vetting cannot go from {state.value} to {target.value}.")
    allowed = [t for t in candidates if t.capacities & capacities]
    if not allowed:
        names = sorted({c.value for t in candidates for c in t.capacities})
        raise VettingError(
            f"Only {', '.join(names)} may move an expert from {state.value} to {target.value}."
        )
    transition = allowed[0]
    missing = transition.preconditions - satisfied
    for precondition, message, field in _PRECONDITION_ERRORS:
        if precondition in missing:
            raise VettingError(message, field=field)
    if transition.needs_comment and not comment.strip():
        raise VettingError("Say why in a comment.", field="comment")
    return transition
