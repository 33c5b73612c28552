"""Shared API pieces: the error body, constrained input types, pagination and small helpers.

Every free-text input is one of the `Text*` types: bounded like the model field and free of NUL
characters (PostgreSQL refuses them). Ids, decimals and datetimes are bounded so that anything a
client can send is either accepted or answered with 422 naming the field, never a 500.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import AuthenticationError
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, StringConstraints, WithJsonSchema

from kpo.core.validators import country_codes, currency_codes, language_codes

T = TypeVar("T")
F = TypeVar("F")

MAX_ID = 2**63 - 1
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000_000
MAX_TEXT = 20_000


def no_nul(value: str) -> str:
    """Refuse text PostgreSQL cannot store: NUL characters and lone surrogates."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("must be valid Unicode text") from error
    return value


def aware_utc(value: dt.datetime) -> dt.datetime:
    """Naive datetimes are taken as UTC; every datetime is stored in UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    try:
        value = value.astimezone(dt.UTC)
    except OverflowError as error:
        raise ValueError("is out of range") from error
    if not 1900 <= value.year <= 9000:
        raise ValueError("must be between the years 1900 and 9000")
    return value


def not_blank(value: str) -> str:
    """Refuse text that is empty or only white space."""
    if not value.strip():
        raise ValueError("must not be blank")
    return value


# free text, bounded like the model fields
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT), AfterValidator(no_nul)]
RequiredText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT), AfterValidator(no_nul)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(no_nul)]
OptionalTitle = Annotated[str, StringConstraints(max_length=200), AfterValidator(no_nul)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=100), AfterValidator(no_nul)]
Line = Annotated[str, StringConstraints(min_length=1, max_length=500), AfterValidator(no_nul)]
Search = Annotated[str, StringConstraints(max_length=200), AfterValidator(no_nul)]


def code_from(codes: Callable[[], frozenset[str]], what: str) -> Any:
    """A code from a standard list: documented as an enum, anything else refused with a 422."""

    def check(value: str) -> str:
        if value not in codes():
            raise ValueError(f"{value!r} is not {what}")
        return value

    return Annotated[
        str,
        StringConstraints(max_length=3),
        AfterValidator(check),
        WithJsonSchema({"type": "string", "enum": sorted(codes())}),
    ]


Currency = code_from(currency_codes, "an ISO 4217 currency code")
CountryCode = code_from(country_codes, "an ISO 3166 country code")
LanguageCode = code_from(language_codes, "an ISO 639-1 language code")

# The default of an optional field that is not nullable (PATCH fields, query filters): left out, it is
# None; sent as null, it is refused (422), and the schema does not advertise null.
OMITTED: Any = None


def decimal_schema(*, digits: int, places: int, minimum: int, maximum: int) -> WithJsonSchema:
    """Document a decimal as a string of at most `digits` digits with `places` decimals, or an integer.

    Numbers with a fraction are accepted too, but are not advertised: a float cannot promise its digits.
    """
    pattern = rf"^[0-9]{{1,{digits - places}}}(\.[0-9]{{1,{places}}})?$"
    return WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": pattern},
                {"type": "integer", "minimum": minimum, "maximum": maximum},
            ]
        }
    )


def to_places(places: int) -> AfterValidator:
    """Give an accepted decimal the model field's number of places ("8" -> "8.0"), as stored."""
    exponent = Decimal(1).scaleb(-places)
    return AfterValidator(lambda value: value.quantize(exponent))


def decimal_input(
    *, places: int, max_digits: int, digits: int, minimum: int, maximum: int, **bounds: Any
) -> tuple[Any, ...]:
    """What makes `Annotated[Decimal, *decimal_input(...)]` an input bounded by `bounds` (ge, gt, le, lt)
    and `max_digits`, given the model field's `places` and documented by `decimal_schema` (at most
    `digits` digits, `minimum` to `maximum`)."""
    return (
        Field(**bounds, max_digits=max_digits, decimal_places=places),
        to_places(places),
        decimal_schema(digits=digits, places=places, minimum=minimum, maximum=maximum),
    )


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
DateTime = Annotated[dt.datetime, AfterValidator(aware_utc)]
Hours = Annotated[
    Decimal, *decimal_input(ge=0, le=10000, max_digits=8, places=1, digits=6, minimum=0, maximum=10000)
]
Money = Annotated[
    Decimal, *decimal_input(ge=0, max_digits=14, places=2, digits=14, minimum=0, maximum=10**12 - 1)
]

CefrLevel = Literal["A1", "A2", "B1", "B2", "C1", "C2", "native"]
DomainCode = Literal[
    "financial_consulting",
    "research_development",
    "management_consulting",
    "technical_analysis",
    "investment_research",
    "legal_services",
    "medicine_healthcare",
    "data_analysis",
]
DegreeCode = Literal["bachelor", "master", "phd", "professional"]
DegreeCodeOrNone = Literal["", "bachelor", "master", "phd", "professional"]


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


def responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """The `response=` of an operation: its success codes, 401 and the error codes it can answer.

    Writes declare 403 also for the CSRF check of session-authenticated requests.
    """
    return {**ok, **{code: ErrorOut for code in sorted({401, *errors})}}


class Pagination(LimitOffsetPagination):
    """Limit/offset pages: `limit` 1..100 (default 50), `offset` bounded; answers `count` and `items`."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


def user_of(request: HttpRequest) -> User:
    """The signed-in user (API token or session); the global auth has already let them in."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise AuthenticationError()
    return user


def filters_for(kind: Callable[..., F], query: Schema) -> F:
    """A selector's filters from a query schema of the same field names: a field left out takes the
    selector's default, text is trimmed."""
    given = query.model_dump(exclude_none=True)
    return kind(**{name: value.strip() if isinstance(value, str) else value for name, value in given.items()})


def lookup(field: str, find: Callable[[], T]) -> T:
    """Run an access helper for an id given in the body; an unknown or invisible id is a 422 on `field`."""
    try:
        return find()
    except Http404 as error:
        raise ValidationError({field: _("There is no such object, or you may not see it.")}) from error
