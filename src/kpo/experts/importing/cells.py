"""Checking one row: each cell parsed and checked against the database facts it needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from kpo.core.validators import country_codes, currency_codes, language_codes, time_zones
from kpo.engine.taxonomy import CEFR_LEVELS, PROFICIENCY_MAX, PROFICIENCY_MIN, DegreeLevel, Domain
from kpo.experts.importing.format import RowError
from kpo.experts.models import EscoSkill, VerificationStatus
from kpo.experts.services import DegreeInput, EmploymentInput, LanguageInput, SkillInput
from kpo.orgs.models import Organisation

DEFAULT_CAPACITY = Decimal("37.5")
TRUE_WORDS = frozenset({"true", "yes", "1", "ja"})
FALSE_WORDS = frozenset({"false", "no", "0", "nej", ""})


class CellError(Exception):
    pass


@dataclass
class ParsedExpert:
    row: int
    username: str
    first_name: str
    last_name: str
    email: str
    organisation: Organisation
    headline: str
    biography: str
    country: str
    time_zone: str
    weekly_capacity_hours: Decimal
    cost_rate: Decimal
    bill_rate: Decimal
    rate_currency: str
    internal: bool
    domains: list[str] = field(default_factory=list)
    languages: list[LanguageInput] = field(default_factory=list)
    skills: list[SkillInput] = field(default_factory=list)
    degrees: list[DegreeInput] = field(default_factory=list)
    employments: list[EmploymentInput] = field(default_factory=list)


class Lookups:
    """Database facts the checks need, loaded once per import."""

    def __init__(self) -> None:
        self.organisations = {org.slug: org for org in Organisation.objects.all()}
        self.organisation_names = {org.name: org for org in self.organisations.values()}
        self._skills_by_uri: dict[str, EscoSkill] | None = None
        self._skills_by_label: dict[str, list[EscoSkill]] = {}

    def skill(self, reference: str) -> EscoSkill:
        if self._skills_by_uri is None:
            self._skills_by_uri = {}
            for skill in EscoSkill.objects.all():
                self._skills_by_uri[skill.uri] = skill
                self._skills_by_label.setdefault(skill.label.casefold(), []).append(skill)
        if reference in self._skills_by_uri:
            return self._skills_by_uri[reference]
        if reference.startswith(("http://", "https://")):
            raise CellError(f'"{reference}" is not a known ESCO skill URI.')
        matches = self._skills_by_label.get(reference.casefold(), [])
        if not matches:
            raise CellError(f'"{reference}" is not a known ESCO skill (give its URI or exact label).')
        if len(matches) > 1:
            raise CellError(f'"{reference}" matches {len(matches)} ESCO skills; give the URI instead.')
        return matches[0]


def _required(value: str, max_length: int) -> str:
    if not value:
        raise CellError("is required.")
    return _bounded(value, max_length)


def _bounded(value: str, max_length: int) -> str:
    if len(value) > max_length:
        raise CellError(f"is longer than {max_length} characters.")
    return value


def _username(value: str) -> str:
    _required(value, 150)
    try:
        UnicodeUsernameValidator()(value)
    except ValidationError:
        raise CellError(f'"{value}" may contain only letters, digits and @ . + - _') from None
    return value


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise CellError(f'"{value}" is not an e-mail address.') from None
    return _bounded(value, 254)


def _code(value: str, codes: frozenset[str], what: str, *, upper: bool) -> str:
    code = value.upper() if upper else value.lower()
    if not value:
        raise CellError("is required.")
    if code not in codes:
        raise CellError(f'"{value}" is not {what}.')
    return code


def _time_zone(value: str) -> str:
    if not value:
        raise CellError("is required.")
    if value not in time_zones():
        raise CellError(f'"{value}" is not a known time zone (use an IANA name such as Europe/Copenhagen).')
    return value


def _decimal(
    value: str, *, places: int, low: Decimal, high: Decimal, default: Decimal | None = None
) -> Decimal:
    if not value:
        if default is None:
            raise CellError("is required.")
        return default
    try:
        number = Decimal(value.replace(",", ".") if value.count(",") == 1 and "." not in value else value)
    except InvalidOperation:
        raise CellError(f'"{value}" is not a number.') from None
    if not number.is_finite() or number < low or number > high:
        raise CellError(f'"{value}" must be between {low} and {high}.')
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise CellError(f'"{value}" has more than {places} decimal places.')
    return number.quantize(Decimal(1).scaleb(-places))


def _boolean(value: str) -> bool:
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f'"{value}" is not true or false.')


def _items(value: str) -> list[str]:
    return [item.strip() for item in value.split(";") if item.strip()]


def _domains(value: str) -> list[str]:
    codes = {domain.value for domain in Domain}
    found: list[str] = []
    for item in _items(value):
        if item not in codes:
            raise CellError(f'"{item}" is not a domain; use one of {", ".join(sorted(codes))}.')
        if item not in found:
            found.append(item)
    return found


def _languages(value: str) -> list[LanguageInput]:
    found: dict[str, LanguageInput] = {}
    for item in _items(value):
        code, _, level = item.partition(":")
        code, level = code.strip().lower(), level.strip()
        if code not in language_codes():
            raise CellError(f'"{code}" in "{item}" is not an ISO 639-1 language code.')
        level = level.lower() if level.lower() == "native" else level.upper()
        if level not in CEFR_LEVELS:
            raise CellError(f'level "{level}" in "{item}" is not a CEFR level (A1-C2 or native).')
        if code in found:
            raise CellError(f'language "{code}" is listed twice.')
        found[code] = LanguageInput(code, level)
    return list(found.values())


def _skills(value: str, lookups: Lookups) -> list[SkillInput]:
    found: dict[int, SkillInput] = {}
    for item in _items(value):
        reference, colon, level = item.rpartition(":")
        if not colon or not reference.strip():
            raise CellError(f'"{item}" should be <ESCO URI or label>:<proficiency 1-5>.')
        reference = reference.strip()
        try:
            proficiency = int(level.strip())
        except ValueError:
            proficiency = -1
        if not PROFICIENCY_MIN <= proficiency <= PROFICIENCY_MAX:
            raise CellError(
                f'proficiency "{level.strip()}" for "{reference}" must be a whole number from '
                f"{PROFICIENCY_MIN} to {PROFICIENCY_MAX}."
            )
        skill = lookups.skill(reference)
        if skill.pk in found:
            raise CellError(f'skill "{reference}" is listed twice.')
        found[skill.pk] = SkillInput(skill, proficiency)
    return list(found.values())


def _year(text: str, item: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise CellError(f'year "{text}" in "{item}" is not a whole number.') from None
    if not 1950 <= year <= 2100:
        raise CellError(f'year "{text}" in "{item}" must be between 1950 and 2100.')
    return year


def _degrees(value: str) -> list[DegreeInput]:
    levels = {level.value for level in DegreeLevel}
    statuses = {status.value for status in VerificationStatus}
    found: list[DegreeInput] = []
    for item in _items(value):
        parts = [part.strip() for part in item.split("|")]
        if len(parts) not in (4, 5):
            raise CellError(f'"{item}" should be level|field|institution|year|verification.')
        level, field_name, institution, year = parts[:4]
        status = (parts[4] if len(parts) == 5 else "") or VerificationStatus.UNVERIFIED.value
        if level.lower() not in levels:
            raise CellError(f'degree level "{level}" in "{item}" is not one of {", ".join(sorted(levels))}.')
        if not field_name or not institution:
            raise CellError(f'"{item}" needs both a field and an institution.')
        if len(field_name) > 200 or len(institution) > 200:
            raise CellError(f'field or institution in "{item}" is longer than 200 characters.')
        if status.lower() not in statuses:
            raise CellError(
                f'verification "{status}" in "{item}" is not one of {", ".join(sorted(statuses))}.'
            )
        found.append(DegreeInput(level.lower(), field_name, institution, _year(year, item), status.lower()))
    return found


def _date(text: str, item: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CellError(f'date "{text}" in "{item}" is not a date in the form YYYY-MM-DD.') from None


def _employments(value: str, lookups: Lookups) -> list[EmploymentInput]:
    found: list[EmploymentInput] = []
    for item in _items(value):
        parts = [part.strip() for part in item.split("|")]
        if len(parts) not in (3, 4):
            raise CellError(f'"{item}" should be employer|title|start|end.')
        employer, title, start_text = parts[:3]
        end_text = parts[3] if len(parts) == 4 else ""
        if not employer:
            raise CellError(f'"{item}" needs an employer.')
        if len(employer) > 200 or len(title) > 200:
            raise CellError(f'employer or title in "{item}" is longer than 200 characters.')
        start = _date(start_text, item)
        end = _date(end_text, item) if end_text else None
        if end is not None and end < start:
            raise CellError(f'"{item}" ends before it starts.')
        found.append(EmploymentInput(employer, title, start, end, lookups.organisation_names.get(employer)))
    return found


def _organisation(value: str, lookups: Lookups) -> Organisation:
    if not value:
        raise CellError("is required.")
    organisation = lookups.organisations.get(value)
    if organisation is None:
        raise CellError(f'"{value}" is not a known organisation (give its short name, e.g. indus-insight).')
    return organisation


def parse_row(
    number: int, cells: dict[str, str], lookups: Lookups
) -> tuple[ParsedExpert | None, list[RowError]]:
    """Check one data row; return the expert it describes, or the errors found (one per bad cell)."""
    errors: list[RowError] = []
    values: dict[str, Any] = {}

    def check(column: str, parse: Callable[[str], Any]) -> None:
        try:
            values[column] = parse(cells.get(column, ""))
        except CellError as error:
            errors.append(RowError(number, column, str(error)))

    check("username", _username)
    check("first_name", lambda v: _required(v, 150))
    check("last_name", lambda v: _required(v, 150))
    check("email", _email)
    check("organisation", lambda v: _organisation(v, lookups))
    check("headline", lambda v: _required(v, 200))
    check("biography", lambda v: v)
    check("country", lambda v: _code(v, country_codes(), "an ISO 3166 country code", upper=True))
    check("time_zone", _time_zone)
    check(
        "weekly_capacity_hours",
        lambda v: _decimal(v, places=1, low=Decimal(0), high=Decimal(80), default=DEFAULT_CAPACITY),
    )
    check("cost_rate", lambda v: _decimal(v, places=2, low=Decimal(0), high=Decimal("99999999.99")))
    check("bill_rate", lambda v: _decimal(v, places=2, low=Decimal(0), high=Decimal("99999999.99")))
    check("rate_currency", lambda v: _code(v, currency_codes(), "an ISO 4217 currency code", upper=True))
    check("internal", _boolean)
    check("domains", _domains)
    check("languages", _languages)
    check("skills", lambda v: _skills(v, lookups))
    check("degrees", _degrees)
    check("employments", lambda v: _employments(v, lookups))
    organisation = values.get("organisation")
    internal = values.get("internal")
    if organisation is not None and internal is not None:
        if internal and not organisation.is_client:
            errors.append(
                RowError(number, "internal", "an internal expert belongs to a client organisation.")
            )
        if not internal and organisation.is_client:
            errors.append(
                RowError(
                    number,
                    "organisation",
                    f'"{organisation.slug}" is a client; experts of a client are internal.',
                )
            )
    if errors:
        return None, errors
    return ParsedExpert(row=number, **values), []
