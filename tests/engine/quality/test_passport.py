from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from kpo.engine.passport import (
    BackgroundCheck,
    BackgroundCheckResult,
    Credential,
    CredentialKind,
    Passport,
    PassportRequirements,
    Training,
    add_months,
    passport_meets,
)
from kpo.engine.taxonomy import DegreeLevel

TODAY = date(2026, 6, 1)
MSC = Credential(CredentialKind.DEGREE, DegreeLevel.MASTER, "MSc Finance", verified_on=date(2024, 3, 1))
PHD = Credential(CredentialKind.DEGREE, DegreeLevel.PHD, "PhD Economics", verified_on=date(2025, 9, 1))
CFA = Credential(
    CredentialKind.CERTIFICATION, None, "CFA", verified_on=date(2025, 1, 10), expires_on=date(2027, 1, 10)
)
CHECK = BackgroundCheck("Checkr", date(2025, 9, 15), BackgroundCheckResult.CLEAR)
GDPR = Training("GDPR basics", date(2026, 1, 5), expires_on=date(2027, 1, 5))
PASSPORT = Passport(
    credentials=(MSC, PHD, CFA),
    background_check=CHECK,
    platform_terms_signed_on=date(2024, 2, 1),
    trainings=(GDPR,),
)
STRICT = PassportRequirements(
    min_degree_level=DegreeLevel.PHD,
    background_check_max_age_months=12,
    required_trainings=frozenset({"GDPR basics"}),
    required_licences=frozenset({"cfa"}),
)


def test_a_complete_passport_meets_the_baseline_and_strict_requirements() -> None:
    assert passport_meets(PASSPORT, PassportRequirements(), TODAY) == []
    assert passport_meets(PASSPORT, STRICT, TODAY) == []


def test_an_empty_passport_fails_the_baseline_with_reasons() -> None:
    assert passport_meets(Passport(), PassportRequirements(), TODAY) == [
        "The platform terms are not signed.",
        "No verified degree or licence.",
    ]
    assert (
        passport_meets(
            Passport(),
            PassportRequirements(require_platform_terms=False, require_verified_credential=False),
            TODAY,
        )
        == []
    )


def test_phd_required_but_only_a_masters() -> None:
    passport = replace(PASSPORT, credentials=(MSC,))
    assert passport_meets(passport, PassportRequirements(min_degree_level=DegreeLevel.PHD), TODAY) == [
        "No verified degree at level phd or above."
    ]
    assert passport_meets(passport, PassportRequirements(min_degree_level=DegreeLevel.MASTER), TODAY) == []


def test_a_professional_licence_counts_as_doctorate_level() -> None:
    licence = Credential(CredentialKind.LICENCE, DegreeLevel.PROFESSIONAL, "MD", verified_on=date(2020, 1, 1))
    passport = replace(PASSPORT, credentials=(licence,))
    assert passport_meets(passport, PassportRequirements(min_degree_level=DegreeLevel.PHD), TODAY) == []


def test_an_unverified_phd_is_named() -> None:
    claimed = replace(PHD, verified_on=None)
    passport = replace(PASSPORT, credentials=(MSC, claimed))
    assert passport_meets(passport, PassportRequirements(min_degree_level=DegreeLevel.PHD), TODAY) == [
        "Degree 'PhD Economics' (phd) is not verified."
    ]
    verified_later = replace(PHD, verified_on=date(2026, 6, 2))  # a verification dated after today
    assert passport_meets(
        replace(PASSPORT, credentials=(verified_later,)), PassportRequirements(), TODAY
    ) == ["Degree 'PhD Economics' (phd) is not verified."]


def test_expired_credentials_give_expired_on_reasons() -> None:
    licence = Credential(
        CredentialKind.LICENCE,
        DegreeLevel.PROFESSIONAL,
        "Advokat",
        verified_on=date(2020, 1, 1),
        expires_on=date(2026, 5, 31),
    )
    passport = replace(PASSPORT, credentials=(licence,))
    assert passport_meets(passport, PassportRequirements(), TODAY) == [
        "Licence 'Advokat' (professional) expired on 2026-05-31."
    ]
    # valid up to and including the expiry date
    assert passport_meets(passport, PassportRequirements(), date(2026, 5, 31)) == []


def test_one_valid_credential_is_enough_even_beside_an_expired_one() -> None:
    old = replace(PHD, title="PhD (old record)", expires_on=date(2025, 1, 1))
    passport = replace(PASSPORT, credentials=(old, PHD))
    assert passport_meets(passport, PassportRequirements(min_degree_level=DegreeLevel.PHD), TODAY) == []


def test_required_licence_missing_or_expired() -> None:
    without = replace(PASSPORT, credentials=(PHD,))
    assert passport_meets(without, PassportRequirements(required_licences=frozenset({"CFA"})), TODAY) == [
        "No 'CFA' licence or certification."
    ]
    assert passport_meets(
        PASSPORT, PassportRequirements(required_licences=frozenset({"CFA"})), date(2027, 1, 11)
    ) == ["Certification 'CFA' expired on 2027-01-10."]


def test_background_check_age_and_result() -> None:
    twelve = PassportRequirements(background_check_max_age_months=12)
    assert passport_meets(PASSPORT, twelve, date(2026, 9, 15)) == []  # exactly 12 months old
    assert passport_meets(PASSPORT, twelve, date(2026, 9, 16)) == [
        "The background check of 2025-09-15 is older than 12 months."
    ]
    assert passport_meets(PASSPORT, PassportRequirements(background_check_max_age_months=6), TODAY) == [
        "The background check of 2025-09-15 is older than 6 months."
    ]
    failed = replace(PASSPORT, background_check=replace(CHECK, result=BackgroundCheckResult.CONSIDER))
    assert passport_meets(failed, twelve, TODAY) == [
        "The background check by Checkr is not clear (consider)."
    ]
    assert passport_meets(replace(PASSPORT, background_check=None), twelve, TODAY) == ["No background check."]
    # no background check asked for: none needed
    assert passport_meets(replace(PASSPORT, background_check=None), PassportRequirements(), TODAY) == []


def test_trainings_missing_expired_or_renewed() -> None:
    requirements = PassportRequirements(required_trainings=frozenset({"gdpr BASICS", "Anti-bribery"}))
    assert passport_meets(PASSPORT, requirements, TODAY) == ["Training 'Anti-bribery' is not completed."]
    assert passport_meets(
        PASSPORT, replace(requirements, required_trainings=frozenset({"GDPR basics"})), date(2027, 2, 1)
    ) == ["Training 'GDPR basics' expired on 2027-01-05."]
    renewed = replace(PASSPORT, trainings=(GDPR, Training("GDPR basics", date(2027, 1, 4), date(2028, 1, 4))))
    assert (
        passport_meets(
            renewed, replace(requirements, required_trainings=frozenset({"GDPR basics"})), date(2027, 2, 1)
        )
        == []
    )


def test_all_reasons_are_listed_together() -> None:
    bare = Passport(credentials=(MSC,), background_check=replace(CHECK, checked_on=date(2024, 1, 1)))
    assert passport_meets(bare, STRICT, TODAY) == [
        "The platform terms are not signed.",
        "No verified degree at level phd or above.",
        "No 'cfa' licence or certification.",
        "The background check of 2024-01-01 is older than 12 months.",
        "Training 'GDPR basics' is not completed.",
    ]


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)
    assert add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1)), st.integers(0, 240))
def test_add_months_is_monotone_and_keeps_the_day_when_it_can(day: date, months: int) -> None:
    moved = add_months(day, months)
    assert moved >= day
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or moved.day < day.day
