"""The compliance passport: an expert's verified record, reusable across engagements while it is valid.

A passport holds verified credentials (degrees, licences, certifications), the latest background
check, the date the platform terms were signed and completed trainings. A client may set stricter
requirements per engagement (`PassportRequirements`); `passport_meets` returns the reasons a passport
falls short, one human-readable sentence each, and an empty list when it meets them all. Matching
uses it as an eligibility rule.

Everything is a pure function of its inputs: `today` is passed in.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kpo.engine.taxonomy import DEGREE_RANK, DegreeLevel, degree_meets


class CredentialKind(StrEnum):
    DEGREE = "degree"
    LICENCE = "licence"
    CERTIFICATION = "certification"


class BackgroundCheckResult(StrEnum):
    CLEAR = "clear"
    CONSIDER = "consider"  # findings a human must look at before the check counts as clear
    FAILED = "failed"


@dataclass(frozen=True)
class Credential:
    kind: CredentialKind
    level: DegreeLevel | None = None  # the degree level; a licence to practise counts as professional
    title: str = ""
    verified_on: date | None = None  # None: claimed but not verified
    expires_on: date | None = None  # None: does not expire

    def label(self) -> str:
        level = f" ({self.level.value})" if self.level else ""
        return (
            f"{self.kind.value.capitalize()} {self.title!r}{level}"
            if self.title
            else f"{self.kind.value}{level}"
        )

    def is_verified(self, today: date) -> bool:
        return self.verified_on is not None and self.verified_on <= today

    def is_expired(self, today: date) -> bool:
        """A credential is valid up to and including its expiry date."""
        return self.expires_on is not None and self.expires_on < today

    def is_valid(self, today: date) -> bool:
        return self.is_verified(today) and not self.is_expired(today)


@dataclass(frozen=True)
class BackgroundCheck:
    provider: str
    checked_on: date
    result: BackgroundCheckResult


@dataclass(frozen=True)
class Training:
    name: str
    completed_on: date
    expires_on: date | None = None

    def is_expired(self, today: date) -> bool:
        return self.expires_on is not None and self.expires_on < today


@dataclass(frozen=True)
class Passport:
    credentials: tuple[Credential, ...] = ()
    background_check: BackgroundCheck | None = None
    platform_terms_signed_on: date | None = None
    trainings: tuple[Training, ...] = ()

    def valid_credentials(self, today: date) -> list[Credential]:
        return [c for c in self.credentials if c.is_valid(today)]

    def has_valid_degree_or_licence(self, today: date) -> bool:
        """Vetting needs at least one verified, unexpired degree or licence."""
        return any(
            c.kind in (CredentialKind.DEGREE, CredentialKind.LICENCE) for c in self.valid_credentials(today)
        )


@dataclass(frozen=True)
class PassportRequirements:
    """What an engagement asks of an expert's passport. The defaults are the platform's baseline."""

    require_platform_terms: bool = True
    require_verified_credential: bool = True  # at least one verified, unexpired degree or licence
    min_degree_level: DegreeLevel | None = None  # e.g. PHD: a verified, unexpired PhD (or professional)
    required_licences: frozenset[str] = frozenset()  # licence/certification titles, case-insensitive
    background_check_max_age_months: int | None = None  # None: no background check required
    required_trainings: frozenset[str] = frozenset()  # training names, case-insensitive


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clamped to the month's last day (29 Feb + 12 → 28 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _expired_reason(what: str, expires_on: date | None) -> str:
    return f"{what} expired on {expires_on.isoformat() if expires_on else '?'}."


def _credential_reasons(
    candidates: Iterable[Credential], today: date, missing: str, unverified: str
) -> list[str]:
    """No reason when one candidate is valid; else why each candidate fails, or `missing` if none exist."""
    candidates = list(candidates)
    if any(c.is_valid(today) for c in candidates):
        return []
    if not candidates:
        return [missing]
    reasons: list[str] = []
    for credential in candidates:
        if not credential.is_verified(today):
            reasons.append(f"{credential.label()} {unverified}")
        elif credential.is_expired(today):
            reasons.append(_expired_reason(credential.label(), credential.expires_on))
    return reasons


def passport_meets(passport: Passport, requirements: PassportRequirements, today: date) -> list[str]:
    """The reasons `passport` does not meet `requirements` on `today`; an empty list means it meets them."""
    reasons: list[str] = []
    if requirements.require_platform_terms and (
        passport.platform_terms_signed_on is None or passport.platform_terms_signed_on > today
    ):
        reasons.append("The platform terms are not signed.")

    degrees_and_licences = [
        c for c in passport.credentials if c.kind in (CredentialKind.DEGREE, CredentialKind.LICENCE)
    ]
    if requirements.require_verified_credential and requirements.min_degree_level is None:
        reasons += _credential_reasons(
            degrees_and_licences, today, "No verified degree or licence.", "is not verified."
        )

    if requirements.min_degree_level is not None:
        required = requirements.min_degree_level
        at_level = [
            c for c in degrees_and_licences if c.level is not None and degree_meets(c.level, required)
        ]
        reasons += _credential_reasons(
            sorted(at_level, key=lambda c: -DEGREE_RANK[c.level] if c.level else 0),
            today,
            f"No verified degree at level {required.value} or above.",
            "is not verified.",
        )

    for title in sorted(requirements.required_licences):
        matching = [
            c
            for c in passport.credentials
            if c.kind in (CredentialKind.LICENCE, CredentialKind.CERTIFICATION)
            and c.title.casefold() == title.casefold()
        ]
        reasons += _credential_reasons(
            matching, today, f"No {title!r} licence or certification.", "is not verified."
        )

    if requirements.background_check_max_age_months is not None:
        check = passport.background_check
        if check is None:
            reasons.append("No background check.")
        else:
            if check.result != BackgroundCheckResult.CLEAR:
                reasons.append(
                    f"The background check by {check.provider} is not clear ({check.result.value})."
                )
            months = requirements.background_check_max_age_months
            if add_months(check.checked_on, months) < today:
                reasons.append(
                    f"The background check of {check.checked_on.isoformat()} is older than {months} months."
                )

    trainings = {t.name.casefold(): t for t in sorted(passport.trainings, key=lambda t: t.completed_on)}
    for name in sorted(requirements.required_trainings):
        training = trainings.get(name.casefold())  # the most recent completion of that training
        if training is None or training.completed_on > today:
            reasons.append(f"Training {name!r} is not completed.")
        elif training.is_expired(today):
            reasons.append(_expired_reason(f"Training {name!r}", training.expires_on))
    return reasons
