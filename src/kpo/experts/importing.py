"""Import experts from a CSV or XLSX file, all or nothing, with a row-by-row error report.

The first row names the columns (any order; names are case-insensitive). Row numbers in errors count
the header as row 1, so the first expert is row 2.

Columns (* = required):
    username*              login name, unique (letters, digits and @.+-_)
    first_name*, last_name*
    email                  e-mail address
    organisation*          slug of a provider organisation, or of a client when `internal` is true
    headline*              one line, up to 200 characters
    biography              free text
    country*               ISO 3166 alpha-2 code, e.g. DK
    time_zone*             IANA time zone, e.g. Europe/Copenhagen
    weekly_capacity_hours  0 to 80, one decimal (default 37.5)
    cost_rate*, bill_rate* hourly rates, up to two decimals
    rate_currency*         ISO 4217 code, e.g. DKK
    internal               true/false (yes/no, 1/0; default false): a client's own staff member
    domains                KPO domain codes separated by ";", e.g. data_analysis;financial_consulting
    languages              ISO 639-1 code and CEFR level (A1-C2 or native): en:C2;da:native
    skills                 ESCO skill URI or exact label, then proficiency 1-5: <uri or label>:4;...
    degrees                level|field|institution|year|verification;... e.g.
                           phd|Economics|Aarhus University|2015|verified (level: bachelor, master, phd or
                           professional; verification: unverified (default), pending, verified or rejected)
    employments            employer|title|start|end with ISO dates, end empty for the current job:
                           Vestas|Analyst|2019-01-01|2022-06-30;Nordvind Industri A/S|Engineer|2022-07-01|

Values inside the multi-value columns cannot contain ";" or "|".
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from kpo.core.validators import country_codes, currency_codes, language_codes, time_zones
from kpo.engine.taxonomy import CEFR_LEVELS, PROFICIENCY_MAX, PROFICIENCY_MIN, DegreeLevel, Domain
from kpo.experts.models import EscoSkill, VerificationStatus
from kpo.experts.services import DegreeInput, EmploymentInput, LanguageInput, SkillInput, expert_create
from kpo.orgs.models import Organisation

COLUMNS: tuple[str, ...] = (
    "username",
    "first_name",
    "last_name",
    "email",
    "organisation",
    "headline",
    "biography",
    "country",
    "time_zone",
    "weekly_capacity_hours",
    "cost_rate",
    "bill_rate",
    "rate_currency",
    "internal",
    "domains",
    "languages",
    "skills",
    "degrees",
    "employments",
)
REQUIRED_COLUMNS: frozenset[str] = frozenset(
    {
        "username",
        "first_name",
        "last_name",
        "organisation",
        "headline",
        "country",
        "time_zone",
        "cost_rate",
        "bill_rate",
        "rate_currency",
    }
)
MAX_ROWS = 200_000
DEFAULT_CAPACITY = Decimal("37.5")
TRUE_WORDS = frozenset({"true", "yes", "1", "ja"})
FALSE_WORDS = frozenset({"false", "no", "0", "nej", ""})
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class RowError:
    row: int | None  # None for a problem with the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.column}: {self.message}" if self.column else self.message
        return (
            f"row {self.row}, {self.column}: {self.message}"
            if self.column
            else f"row {self.row}: {self.message}"
        )


class ImportFailed(Exception):
    """The file was rejected; nothing was written. `errors` says where and why."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__(self.report())

    def report(self) -> str:
        return "\n".join(str(error) for error in self.errors)


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


@dataclass(frozen=True)
class ImportResult:
    created: int
    dry_run: bool


# Reading the file -----------------------------------------------------------------------------------


def read_table(data: bytes, filename: str) -> list[list[str]]:
    """The file's rows as lists of stripped strings, header first. Raises ImportFailed if unreadable."""
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ImportFailed([RowError(None, "file", "Use a .csv or an .xlsx file.")])
    if not data.strip():
        raise ImportFailed([RowError(None, "file", "The file is empty.")])
    rows = _read_csv(data) if suffix == ".csv" else _read_xlsx(data)
    if len(rows) > MAX_ROWS + 1:
        raise ImportFailed([RowError(None, "file", f"The file has more than {MAX_ROWS} rows; split it.")])
    return rows


def _read_csv(data: bytes) -> list[list[str]]:
    not_csv = ImportFailed([RowError(None, "file", "The file is not a CSV text file.")])
    if b"\x00" in data:
        raise not_csv
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(
            [RowError(None, "file", "The file is not UTF-8 text; save it as CSV UTF-8.")]
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","  # Excel in Danish uses ";"
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as error:
        raise ImportFailed([RowError(None, "file", f"The file is not valid CSV ({error}).")]) from None


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    not_xlsx = ImportFailed([RowError(None, "file", "The file is not an Excel .xlsx workbook.")])
    if not data.startswith(XLSX_MAGIC):
        raise not_xlsx
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError, TypeError):
        raise not_xlsx from None
    return rows


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            return value.isoformat()
        return date(value.year, value.month, value.day).isoformat()  # a spreadsheet's date: naive
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


# Checking the header and the cells ------------------------------------------------------------------


def check_header(header: Sequence[str]) -> list[str]:
    names = [name.strip().lower() for name in header]
    errors: list[RowError] = []
    seen: set[str] = set()
    for name in names:
        if name and name not in COLUMNS:
            errors.append(RowError(1, name, f"is not a known column; the columns are {', '.join(COLUMNS)}."))
        if name in seen:
            errors.append(RowError(1, name, "appears more than once."))
        seen.add(name)
    errors.extend(
        RowError(1, name, "required column is missing.")
        for name in COLUMNS
        if name in REQUIRED_COLUMNS - seen
    )
    if errors:
        raise ImportFailed(errors)
    return names


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


def _check_usernames(parsed: Iterable[ParsedExpert]) -> list[RowError]:
    errors: list[RowError] = []
    first_row: dict[str, int] = {}
    for expert in parsed:
        key = expert.username.casefold()
        if key in first_row:
            errors.append(
                RowError(
                    expert.row,
                    "username",
                    f'"{expert.username}" is also on row {first_row[key]} of the file.',
                )
            )
        else:
            first_row[key] = expert.row
    usernames = [expert.username for expert in parsed]
    taken: set[str] = set()
    for start in range(0, len(usernames), 500):
        chunk = usernames[start : start + 500]
        taken.update(get_user_model().objects.filter(username__in=chunk).values_list("username", flat=True))
    errors.extend(
        RowError(expert.row, "username", f'"{expert.username}" already exists.')
        for expert in parsed
        if expert.username in taken
    )
    return errors


# Importing ------------------------------------------------------------------------------------------


def validate_table(rows: Sequence[Sequence[str]]) -> list[ParsedExpert]:
    """Check every row; return the experts if all are good, else raise ImportFailed with every error."""
    if not rows or not any(rows[0]):
        raise ImportFailed([RowError(None, "file", "The file is empty.")])
    names = check_header(rows[0])
    lookups = Lookups()
    parsed: list[ParsedExpert] = []
    errors: list[RowError] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        cells = {name: row[index] if index < len(row) else "" for index, name in enumerate(names) if name}
        expert, row_errors = parse_row(number, cells, lookups)
        errors.extend(row_errors)
        if expert is not None:
            parsed.append(expert)
    if not parsed and not errors:
        raise ImportFailed([RowError(None, "file", "The file has a header but no experts.")])
    errors.extend(_check_usernames(parsed))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.row or 0, _column_order(e.column))))
    return parsed


def _column_order(column: str) -> int:
    return COLUMNS.index(column) if column in COLUMNS else len(COLUMNS)


def import_experts(data: bytes, filename: str, *, dry_run: bool = False) -> ImportResult:
    """Create every expert in the file, or none: raises ImportFailed listing each bad row and column."""
    parsed = validate_table(read_table(data, filename))
    errors: list[RowError] = []
    with transaction.atomic():
        for expert in parsed:
            try:
                expert_create(
                    username=expert.username,
                    first_name=expert.first_name,
                    last_name=expert.last_name,
                    email=expert.email,
                    organisation=expert.organisation,
                    headline=expert.headline,
                    biography=expert.biography,
                    country=expert.country,
                    time_zone=expert.time_zone,
                    weekly_capacity_hours=expert.weekly_capacity_hours,
                    cost_rate=expert.cost_rate,
                    bill_rate=expert.bill_rate,
                    rate_currency=expert.rate_currency,
                    internal=expert.internal,
                    domains=expert.domains,
                    languages=expert.languages,
                    skills=expert.skills,
                    degrees=expert.degrees,
                    employments=expert.employments,
                )
            except ValidationError as error:
                errors.extend(_model_errors(expert.row, error))
        if errors:
            raise ImportFailed(errors)  # rolls the transaction back
        if dry_run:
            transaction.set_rollback(True)
    return ImportResult(created=len(parsed), dry_run=dry_run)


def _model_errors(row: int, error: ValidationError) -> list[RowError]:
    found: list[RowError] = []
    for key, messages in error.message_dict.items():
        column = key if key in COLUMNS else "username" if key == "user" else ""
        found.extend(RowError(row, column, message) for message in messages)
    return found
