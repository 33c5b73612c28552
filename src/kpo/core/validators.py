"""Validators for codes that come from standard lists (countries, currencies, languages, time zones)."""

from __future__ import annotations

import gettext
import zoneinfo
from functools import cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _


@cache
def country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def currency_codes() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


@cache
def language_codes() -> frozenset[str]:
    return frozenset(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))


@cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_country(value: str) -> None:
    if value not in country_codes():
        raise ValidationError(_("%(value)s is not an ISO 3166 country code."), params={"value": value})


def validate_currency(value: str) -> None:
    if value not in currency_codes():
        raise ValidationError(_("%(value)s is not an ISO 4217 currency code."), params={"value": value})


def validate_language(value: str) -> None:
    if value not in language_codes():
        raise ValidationError(_("%(value)s is not an ISO 639-1 language code."), params={"value": value})


def validate_time_zone(value: str) -> None:
    if value not in time_zones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


@cache
def _iso_catalogue(domain: str, locale: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[locale], fallback=True)


def iso_name(domain: str, english: str) -> str:
    """A pycountry name ("iso3166-1" countries, "iso639-3" languages) in the active language."""
    language = get_language() or "en"
    if language.startswith("en"):
        return english
    return _iso_catalogue(domain, to_locale(language)).gettext(english)


def country_name(code: str) -> str:
    """The country's short name in the active language ("DK" → "Denmark", in Danish "Danmark")."""
    country = pycountry.countries.get(alpha_2=code)
    return iso_name("iso3166-1", country.name) if country else code


def language_name(code: str) -> str:
    """The language's name in the active language ("da" → "Danish", in Danish "Dansk")."""
    language = pycountry.languages.get(alpha_2=code)
    return iso_name("iso639-3", language.name) if language else code


NORDIC_ORDER = str.maketrans(
    {"Æ": "Z\x01", "Ø": "Z\x02", "Å": "Z\x03", "æ": "z\x01", "ø": "z\x02", "å": "z\x03"}
)


def name_sort_key(name: str) -> str:
    """Sort names alphabetically, with Æ, Ø, Å after Z as Danish (and Norwegian) readers expect."""
    return name.casefold().translate(NORDIC_ORDER)
