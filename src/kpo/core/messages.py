"""The edge of the engine's messages (``kpo.engine.messages``): each in the reader's language.

The message id is looked up in the catalogue and every parameter is formatted for the active language:
money, numbers and dates with babel, percentages, country names from pycountry, and terms (an assumption, a
cost line, a kind of option) by the label an app registered for their kind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from kpo.core.formatting import day, money, number
from kpo.core.validators import country_name
from kpo.engine.messages import CountryRef, Day, Figure, Message, MoneyLike, Param, Percent, Term, from_json

_TERMS: dict[str, Callable[[str], str | None]] = {}


def register_terms(kind: str, label: Callable[[str], str | None]) -> None:
    """``label(key)`` names a term of ``kind`` in the active language (None: not known)."""
    _TERMS[kind] = label


def message_text(value: Message | Mapping[str, Any] | str) -> str:
    """A message (or its stored JSON form) in the active language; a plain string stays as it is."""
    if isinstance(value, str):
        return value
    found = value if isinstance(value, Message) else from_json(value)
    params = {name: _param(param) for name, param in found.params.items()}
    try:
        return gettext(found.id) % params
    except (KeyError, TypeError, ValueError):
        return found.english()


def _param(value: Param) -> str:
    if isinstance(value, Message):
        return message_text(value)
    if isinstance(value, Percent):
        return f"{number(value.share * 100, 1)} %"
    if isinstance(value, Figure):
        return number(value.value, max(0, -int(value.value.as_tuple().exponent)))
    if isinstance(value, Day):
        return day(value.value)
    if isinstance(value, CountryRef):
        return country_name(value.code)
    if isinstance(value, Term):
        named = _TERMS.get(value.kind)
        label = named(value.key) if named is not None else None
        return label if label is not None else value.english or value.key.replace("_", " ")
    if isinstance(value, MoneyLike):
        return money(value.amount, value.currency)
    if isinstance(value, Decimal):
        return number(value, 2)
    return str(value)
