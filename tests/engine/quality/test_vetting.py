from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpo.engine.passport import Credential, CredentialKind, Passport
from kpo.engine.taxonomy import DegreeLevel
from kpo.engine.vetting import (
    DEFAULT_REVERIFICATION_MONTHS,
    NON_TERMINAL_STATES,
    TRANSITIONS,
    VettingCapacity,
    VettingError,
    VettingFacts,
    VettingPrecondition,
    VettingState,
    VettingTransition,
    available_vetting_transitions,
    check_vetting_transition,
    reverification_date,
    reverification_due,
    satisfied_preconditions,
)

S = VettingState
C = VettingCapacity
P = VettingPrecondition
ALL = frozenset(C)
STAFF = frozenset({C.PLATFORM_OPERATOR, C.PROVIDER_MANAGER})
EVERYTHING = frozenset(P)
TODAY = date(2026, 6, 1)


def test_the_table_is_the_documented_state_machine() -> None:
    forward = {(t.source, t.target, t.action) for t in TRANSITIONS if t.target != S.REJECTED}
    assert forward == {
        (S.APPLIED, S.SCREENING, "start_screening"),
        (S.SCREENING, S.CREDENTIALS_VERIFIED, "verify_credentials"),
        (S.CREDENTIALS_VERIFIED, S.TRIAL_SCORED, "score_trial"),
        (S.TRIAL_SCORED, S.ACTIVE, "activate"),
        (S.ACTIVE, S.SUSPENDED, "suspend"),
        (S.SUSPENDED, S.ACTIVE, "reinstate"),
    }
    to_rejected = {(t.source, t.action) for t in TRANSITIONS if t.target == S.REJECTED}
    assert to_rejected == {(s, a) for s in NON_TERMINAL_STATES for a in ("reject", "withdraw")}
    assert not [t for t in TRANSITIONS if t.source == S.REJECTED]


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: f"{t.source}->{t.target}:{t.action}")
def test_every_transition_is_allowed_to_its_capacities_with_its_preconditions(
    transition: VettingTransition,
) -> None:
    for capacity in transition.capacities:
        got = check_vetting_transition(
            transition.source, transition.target, frozenset({capacity}), transition.preconditions, "why"
        )
        assert got.action == transition.action


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: f"{t.source}->{t.target}:{t.action}")
def test_every_transition_is_refused_to_everyone_else(transition: VettingTransition) -> None:
    others = [
        c
        for c in C
        if not any(
            c in t.capacities
            for t in TRANSITIONS
            if (t.source, t.target) == (transition.source, transition.target)
        )
    ]
    for capacity in others:
        with pytest.raises(VettingError) as err:
            check_vetting_transition(
                transition.source, transition.target, frozenset({capacity}), EVERYTHING, "x"
            )
        assert err.value.field == "state"
        assert "Only" in err.value.message


@pytest.mark.parametrize(
    "transition",
    [t for t in TRANSITIONS if t.preconditions],
    ids=lambda t: f"{t.source}->{t.target}",
)
def test_every_precondition_is_enforced_with_its_field(transition: VettingTransition) -> None:
    fields = {
        P.TERMS_SIGNED: "platform_terms_signed_on",
        P.VERIFIED_CREDENTIAL: "credentials",
        P.TRIAL_PASSED: "trial_score",
        P.VERIFICATION_CURRENT: "verified_on",
    }
    for precondition in transition.preconditions:
        with pytest.raises(VettingError) as err:
            check_vetting_transition(
                transition.source, transition.target, STAFF, EVERYTHING - {precondition}, "why"
            )
        assert err.value.field == fields[precondition]


def test_preconditions_per_transition() -> None:
    pre = {(t.source, t.target): t.preconditions for t in TRANSITIONS if t.action != "withdraw"}
    assert pre[S.APPLIED, S.SCREENING] == {P.TERMS_SIGNED}
    assert pre[S.SCREENING, S.CREDENTIALS_VERIFIED] == {P.VERIFIED_CREDENTIAL}
    assert pre[S.CREDENTIALS_VERIFIED, S.TRIAL_SCORED] == {P.TRIAL_PASSED}
    assert pre[S.TRIAL_SCORED, S.ACTIVE] == {P.VERIFIED_CREDENTIAL, P.VERIFICATION_CURRENT}
    assert pre[S.SUSPENDED, S.ACTIVE] == {P.VERIFIED_CREDENTIAL, P.VERIFICATION_CURRENT}
    assert pre[S.ACTIVE, S.SUSPENDED] == frozenset()


@pytest.mark.parametrize("transition", [t for t in TRANSITIONS if t.needs_comment], ids=lambda t: t.action)
def test_comment_required_for_suspend_reinstate_and_reject(transition: VettingTransition) -> None:
    assert transition.action in {"suspend", "reinstate", "reject"}
    with pytest.raises(VettingError) as err:
        check_vetting_transition(transition.source, transition.target, STAFF, EVERYTHING, "  ")
    assert err.value.field == "comment"


def test_the_expert_may_only_withdraw_and_needs_no_comment() -> None:
    for state in NON_TERMINAL_STATES:
        options = available_vetting_transitions(state, frozenset({C.EXPERT}))
        assert [(t.target, t.action) for t in options] == [(S.REJECTED, "withdraw")]
        assert (
            check_vetting_transition(state, S.REJECTED, frozenset({C.EXPERT}), frozenset()).action
            == "withdraw"
        )
    assert available_vetting_transitions(S.REJECTED, ALL) == []


def test_staff_reject_rather_than_withdraw() -> None:
    got = check_vetting_transition(
        S.SCREENING, S.REJECTED, frozenset({C.PROVIDER_MANAGER}), frozenset(), "no PhD"
    )
    assert got.action == "reject"


def test_happy_path_then_suspend_and_reinstate() -> None:
    path = [S.SCREENING, S.CREDENTIALS_VERIFIED, S.TRIAL_SCORED, S.ACTIVE, S.SUSPENDED, S.ACTIVE]
    state = S.APPLIED
    for target in path:
        state = check_vetting_transition(
            state, target, frozenset({C.PLATFORM_OPERATOR}), EVERYTHING, "ok"
        ).target
    assert state == S.ACTIVE


@given(st.sampled_from(list(S)), st.sampled_from(list(S)))
def test_pairs_outside_the_table_are_refused(source: VettingState, target: VettingState) -> None:
    if any(t.source == source and t.target == target for t in TRANSITIONS):
        return
    with pytest.raises(VettingError) as err:
        check_vetting_transition(source, target, ALL, EVERYTHING, "x")
    assert err.value.field == "state"
    assert "cannot go" in err.value.message


def test_no_skipping_the_trial_or_reactivating_the_rejected() -> None:
    for source, target in [
        (S.APPLIED, S.ACTIVE),
        (S.SCREENING, S.TRIAL_SCORED),
        (S.CREDENTIALS_VERIFIED, S.ACTIVE),
        (S.REJECTED, S.APPLIED),
        (S.REJECTED, S.ACTIVE),
        (S.SUSPENDED, S.TRIAL_SCORED),
    ]:
        with pytest.raises(VettingError):
            check_vetting_transition(source, target, ALL, EVERYTHING, "x")


# ---- re-verification -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("verified_on", "months", "today", "due"),
    [
        (date(2025, 6, 1), 12, date(2026, 5, 31), False),
        (date(2025, 6, 1), 12, date(2026, 6, 1), True),  # due on the anniversary
        (date(2025, 6, 1), 12, date(2026, 6, 2), True),
        (date(2025, 6, 1), 6, date(2025, 11, 30), False),
        (date(2025, 6, 1), 6, date(2025, 12, 1), True),
        (date(2024, 2, 29), 12, date(2025, 2, 27), False),  # leap day: due on 28 Feb
        (date(2024, 2, 29), 12, date(2025, 2, 28), True),
        (date(2025, 8, 31), 6, date(2026, 2, 28), True),  # 31 Aug + 6 months → 28 Feb
        (date(2025, 8, 31), 6, date(2026, 2, 27), False),
        (date(2025, 11, 15), 3, date(2026, 2, 15), True),  # across the year end
        (None, 12, date(2026, 6, 1), True),  # never verified
    ],
)
def test_reverification_due(verified_on: date | None, months: int, today: date, due: bool) -> None:
    assert reverification_due(verified_on, months, today) is due


def test_reverification_defaults_to_twelve_months_and_rejects_a_bad_period() -> None:
    assert DEFAULT_REVERIFICATION_MONTHS == 12
    assert reverification_date(date(2025, 3, 31), 1) == date(2025, 4, 30)
    with pytest.raises(VettingError) as err:
        reverification_due(date(2025, 1, 1), 0, TODAY)
    assert err.value.field == "period_months"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(1, 120))
def test_reverification_is_due_exactly_from_its_date(verified_on: date, months: int) -> None:
    due = reverification_date(verified_on, months)
    assert due > verified_on
    assert reverification_due(verified_on, months, due)
    assert not reverification_due(verified_on, months, date.fromordinal(due.toordinal() - 1))


# ---- facts → preconditions -------------------------------------------------------------------------

PHD = Credential(CredentialKind.DEGREE, DegreeLevel.PHD, "PhD Economics", verified_on=date(2025, 9, 1))


def test_satisfied_preconditions_from_facts() -> None:
    facts = VettingFacts(
        passport=Passport(credentials=(PHD,), platform_terms_signed_on=date(2025, 8, 1)),
        verified_on=date(2025, 9, 1),
        trial_score=3.5,
    )
    assert satisfied_preconditions(facts, TODAY) == EVERYTHING


def test_nothing_is_satisfied_for_a_bare_application() -> None:
    assert satisfied_preconditions(VettingFacts(passport=Passport()), TODAY) == frozenset()


def test_each_fact_maps_to_its_precondition() -> None:
    unverified = Credential(CredentialKind.DEGREE, DegreeLevel.PHD, "PhD", verified_on=None)
    expired = Credential(
        CredentialKind.LICENCE,
        DegreeLevel.PROFESSIONAL,
        "Bar",
        verified_on=date(2020, 1, 1),
        expires_on=date(2026, 1, 1),
    )
    certification = Credential(CredentialKind.CERTIFICATION, None, "CFA", verified_on=date(2025, 1, 1))
    facts = VettingFacts(
        passport=Passport(
            credentials=(unverified, expired, certification), platform_terms_signed_on=date(2026, 7, 1)
        ),
        verified_on=date(2025, 6, 1),  # due 2026-06-01
        trial_score=3.49,
    )
    assert satisfied_preconditions(facts, TODAY) == frozenset()  # terms dated in the future too
    passed = VettingFacts(
        passport=Passport(),
        trial_score=4.0,
        trial_pass_score=4.0,
        reverification_months=24,
        verified_on=date(2025, 6, 1),
    )
    assert satisfied_preconditions(passed, TODAY) == {P.TRIAL_PASSED, P.VERIFICATION_CURRENT}


def test_a_suspended_expert_due_for_reverification_cannot_be_reinstated() -> None:
    facts = VettingFacts(passport=Passport(credentials=(PHD,)), verified_on=date(2025, 5, 1))
    satisfied = satisfied_preconditions(facts, TODAY)
    with pytest.raises(VettingError) as err:
        check_vetting_transition(S.SUSPENDED, S.ACTIVE, STAFF, satisfied, "back")
    assert err.value.field == "verified_on"
