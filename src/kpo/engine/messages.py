"""Sentences the engine produces, as a message id and typed parameters, translated at the edge.

The id is the English sentence with ``%(name)s`` placeholders; it is also the key of the message
catalogue, so the edge (``kpo.core.messages``) looks it up in the reader's language and formats every
parameter for that language (money, percentages, numbers, dates, country names). ``english()`` renders it
plainly for logs, the command line and tests. ``to_json``/``from_json`` keep messages in stored results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol, Union, runtime_checkable


@runtime_checkable
class MoneyLike(Protocol):
    """An amount in a currency (``kpo.engine.costing.Money``); its ``str`` is the English form."""

    @property
    def amount(self) -> Decimal: ...

    @property
    def currency(self) -> str: ...


@dataclass(frozen=True)
class Amount:
    """Money read back from a stored message."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.currency} {self.amount:,.2f}"


@dataclass(frozen=True)
class Percent:
    """A share shown as a percentage: ``Percent(Decimal("0.86"))`` reads "86.0 %"."""

    share: Decimal


@dataclass(frozen=True)
class Figure:
    """A number shown with every digit it has (a rate such as 0.0704489), in the reader's number format."""

    value: Decimal


@dataclass(frozen=True)
class Day:
    """A calendar date, in the reader's date format ("30 Oct 2026", "30. okt. 2026"); ISO in English()."""

    value: dt.date


@dataclass(frozen=True)
class CountryRef:
    """A country by its ISO 3166 alpha-2 code, named in the reader's language."""

    code: str
    english: str = ""  # its English name, for ``Message.english()``


@dataclass(frozen=True)
class Term:
    """A named thing of a model (``Term("assumption", "idle_share")``), called by its label in the
    reader's language; the edge keeps the labels (``kpo.core.messages.register_terms``)."""

    kind: str
    key: str
    english: str = ""  # its English label, for ``Message.english()``


Param = Union[str, int, Decimal, MoneyLike, Percent, Figure, Day, CountryRef, Term, "Message"]


@dataclass(frozen=True)
class Message:
    id: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def english(self) -> str:
        return self.id % {name: english_param(value) for name, value in self.params.items()}


def message(text: str, **params: Param) -> Message:
    return Message(text, params)


def english_param(value: Param) -> str:
    if isinstance(value, Message):
        return value.english()
    if isinstance(value, Percent):
        return f"{(value.share * 100).quantize(Decimal('0.1'))} %"
    if isinstance(value, Figure):
        return str(value.value)
    if isinstance(value, Day):
        return value.value.isoformat()
    if isinstance(value, CountryRef):
        return value.english or value.code
    if isinstance(value, Term):
        return value.english or value.key.replace("_", " ")
    if isinstance(value, Decimal):
        return f"{value.normalize():,f}"
    return str(value)


def to_json(value: Message) -> dict[str, Any]:
    """``{"id": ..., "params": {name: {"money": [amount, currency]} | {"percent": share} | ...}}``;
    a date is ``{"day": "2026-10-30"}``."""
    return {"id": value.id, "params": {name: _param_json(param) for name, param in value.params.items()}}


def _param_json(value: Param) -> Any:
    if isinstance(value, Message):
        return {"message": to_json(value)}
    if isinstance(value, MoneyLike):
        return {"money": [str(value.amount), value.currency]}
    if isinstance(value, Percent):
        return {"percent": str(value.share)}
    if isinstance(value, Figure):
        return {"figure": str(value.value)}
    if isinstance(value, Day):
        return {"day": value.value.isoformat()}
    if isinstance(value, CountryRef):
        return {"country": value.code}
    if isinstance(value, Term):
        return {"term": [value.kind, value.key, value.english]}
    if isinstance(value, Decimal):
        return {"number": str(value)}
    return value


def from_json(data: Mapping[str, Any]) -> Message:
    params: dict[str, Param] = {}
    for name, value in (data.get("params") or {}).items():
        params[str(name)] = _param_from_json(value)
    return Message(str(data.get("id", "")), params)


def _param_from_json(value: Any) -> Param:
    if isinstance(value, Mapping):
        if "message" in value:
            return from_json(value["message"])
        if "money" in value:
            amount, currency = value["money"]
            return Amount(Decimal(str(amount)), str(currency))
        if "percent" in value:
            return Percent(Decimal(str(value["percent"])))
        if "figure" in value:
            return Figure(Decimal(str(value["figure"])))
        if "day" in value:
            return Day(dt.date.fromisoformat(str(value["day"])))
        if "country" in value:
            return CountryRef(str(value["country"]))
        if "term" in value:
            kind, key, english = [*list(value["term"]), "", "", ""][:3]
            return Term(str(kind), str(key), str(english))
        if "number" in value:
            return Decimal(str(value["number"]))
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return str(value)
    plain: str | int = value
    return plain
