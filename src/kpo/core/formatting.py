"""Display formatting in the active language: money, numbers, dates, moments, countries and languages.

Plain functions, so services, exports and PDFs format exactly as the pages do; the `kpo` template
library registers each one as a filter of the same name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from django.utils import formats
from django.utils.translation import get_language, gettext, to_locale

from kpo.core.validators import country_name, language_name

BABEL_LOCALES = {"en": "en_GB"}  # the interface is written in British English: "15 Jan 2027"
CODE_NEXT_TO_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def _babel_locale() -> str:
    language = get_language() or "en"
    return BABEL_LOCALES.get(language, to_locale(language))


def _numeric(amount: Any, render: Callable[[Decimal], str]) -> str:
    """`render` of the amount as a number; "" for no amount, and the amount as it is when not a number."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return str(amount)
    return render(value)


@lru_cache(maxsize=4096)
def _decimal_text(value: str, pattern: str, locale: str) -> str:
    """babel's format_decimal, remembered: a shortlist formats the same few amounts dozens of times.
    Keyed by the amount's text, not the Decimal: 1.0 and 1.00 (or 0 and -0) are equal Decimals."""
    return format_decimal(Decimal(value), format=pattern, locale=locale)


@lru_cache(maxsize=4096)
def _currency_text(value: str, currency: str, locale: str) -> str:
    return CODE_NEXT_TO_DIGIT.sub("\u00a0", format_currency(Decimal(value), currency, locale=locale))


def money(amount: Any, currency: str = "") -> str:
    """`100000|money:"DKK"` → "DKK 100,000.00" in English, "100.000,00 kr." in Danish (babel, CLDR).

    A currency code written next to the digits gets a no-break space ("DKK 100,000.00"), which CLDR asks
    for and babel leaves out; symbols stay attached ("€60.00").
    """

    def render(value: Decimal) -> str:
        if not currency:
            return _decimal_text(str(value), "#,##0.00", _babel_locale())
        return _currency_text(str(value), currency.upper(), _babel_locale())

    return _numeric(amount, render)


def number(amount: Any, digits: int = 1) -> str:
    """A localised number with up to `digits` decimals: 1.5, 1,5 in Danish."""

    def render(value: Decimal) -> str:
        pattern = "#,##0." + "#" * int(digits) if int(digits) > 0 else "#,##0"
        return _decimal_text(str(value), pattern, _babel_locale())

    return _numeric(amount, render)


def when(value: Any) -> str:
    """A moment in the viewer's time zone: "15 Jan 2027, 12:00 CET" (Danish "15. jan. 2027 kl. 12:00 CET")."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        # The text depends on the wall-clock fields and the zone's name only (aware datetimes of one
        # instant in two zones compare equal, so the instant itself is no key).
        return _moment_text(value.replace(tzinfo=None), value.tzname() or "", get_language() or "en", value)
    return _moment(value)


@lru_cache(maxsize=4096)
def _moment_text(wall: dt.datetime, zone: str, language: str, value: dt.datetime) -> str:
    return _moment(value)


def _moment(value: Any) -> str:
    # Translators: a date and a time of day: "15 Jan 2027, 12:00 CET".
    return gettext("%(date)s, %(time)s") % {"date": day(value), "time": formats.date_format(value, "H:i T")}


def day(value: Any) -> str:
    """A calendar date in the active language's medium form: "15 Jan 2027", "15. jan. 2027"."""
    if not value:
        return ""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return _date_text(value, _babel_locale())
    return format_date(value, format="medium", locale=_babel_locale())


@lru_cache(maxsize=4096)
def _date_text(date: dt.date, locale: str) -> str:
    return format_date(date, format="medium", locale=locale)


def country(code: str) -> str:
    """An ISO 3166 country code as its short name in the active language ("IN" → "India", "Indien")."""
    return country_name(code) if code else ""


def language(code: str) -> str:
    """An ISO 639-1 language code as its name in the active language ("da" → "Danish", "Dansk")."""
    return language_name(code) if code else ""
