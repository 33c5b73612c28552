"""An invoice line's own texts, kept at issue in no language and read in the reader's.

A time line says whose hours it bills and where its unit rate came from: "Mette Hansen, hours" and
"rate card line 12: €100.00; 1 EUR = 7.46038 DKK (ECB reference rate of 30 Oct 2026)". Issuing keeps both
as messages (:mod:`kpo.engine.messages`: the English sentence, which is the catalogue's id, and its
parameters: the expert's name, the rate-card line, the bill rate in its currency, the ECB rate and its
date, all as they were on the issue day) in ``InvoiceLine.wording``, and their English form in
``description`` and ``rate_source`` as the record. The invoice page, the commercials page, the PDF, the
CSV and the API show the messages in the reader's language (:func:`kpo.core.messages.message_text`, numbers
and dates formatted for it): a Danish reader reads "Mette Hansen, timer" on an invoice issued in English,
and renaming the expert or changing the rate card afterwards changes nothing on it.

Expense and milestone lines have no wording: their description is what a user typed (the expense, the
milestone's title) and is shown as typed. So are the texts of lines issued before wording was kept that
the migration ``economics/0004_invoice_line_wording`` could not read.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_noop

from kpo.core.messages import message_text
from kpo.economics.commercials.money import Converted
from kpo.engine.messages import Amount, Day, Figure, Message, message, to_json

HOURS = gettext_noop("%(expert)s, hours")
PROFILE_RATE = gettext_noop("profile bill rate")
CARD_RATE = gettext_noop("rate card line %(id)s")
CONVERTED_RATE = gettext_noop("%(source)s: %(amount)s; %(conversion)s")
ECB_CONVERSION = gettext_noop("1 %(source)s = %(rate)s %(target)s (%(when)s)")
ECB_DAY = gettext_noop("ECB reference rate of %(date)s")


def hours_of(expert_name: str) -> Message:
    """A time line's description: "<expert>, hours"."""
    return message(HOURS, expert=expert_name)


def rate_source(
    *, card_line: int | None, amount: Decimal, currency: str, target: str, converted: Converted
) -> Message:
    """Where a time line's unit rate came from: a rate-card line (by id) or the expert's profile, and,
    when the rate is in another currency than the invoice, the rate as found and the ECB conversion
    (the rate to six significant digits, as the note has always shown it, and the rate's date)."""
    source = message(PROFILE_RATE) if card_line is None else message(CARD_RATE, id=card_line)
    if converted.rate_date is None:
        return source
    conversion = message(
        ECB_CONVERSION,
        source=currency,
        rate=Figure(Decimal(f"{converted.rate:.6g}")),
        target=target,
        when=message(ECB_DAY, date=Day(converted.rate_date)),
    )
    return message(CONVERTED_RATE, source=source, amount=Amount(amount, currency), conversion=conversion)


def text(value: Message | str) -> str:
    """A draft line's text in the active language (a typed text stays as it is)."""
    return message_text(value)


def english(value: Message | str) -> str:
    """The English form stored beside the wording: the record of what was issued."""
    return value.english() if isinstance(value, Message) else value


def wording(**parts: Message | str) -> dict[str, Any]:
    """``InvoiceLine.wording`` for a line's texts: the messages among them, stored; typed texts left out."""
    return {name: to_json(value) for name, value in parts.items() if isinstance(value, Message)}


def shown(stored: str, wording: Mapping[str, Any], part: str) -> str:
    """An issued line's `part` in the active language: its wording's, else the text as stored."""
    found = wording.get(part) if isinstance(wording, Mapping) else None
    return message_text(found) if isinstance(found, Mapping) and found.get("id") else stored
