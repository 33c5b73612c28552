"""Make-or-buy: cost in-house against third parties and a captive with the costing engine.

:func:`make_or_buy` reads only the shipped reference data and returns a JSON-ready result. It is the
edge for the page, the API and the command: it validates every input (see
:mod:`kpo.economics.make_or_buy.services.inputs`) and raises ``ValidationError`` naming the field:
``hours_per_year``, ``options.1.country``, ``assumptions.idle_share``,
``overrides.nearshore.rate_card``, ...
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kpo.core.messages import message_text
from kpo.economics.make_or_buy.rate_quotes import RateQuote
from kpo.economics.make_or_buy.services.inputs import (
    MAX_HOURS,
    MAX_MONTHS,
    MAX_OPTIONS,
    assumptions_json,
    parse_assumptions,
    parse_overrides,
    plain,
    to_decimal,
)
from kpo.engine.costing import (
    Assumptions,
    CostingInputError,
    Estimate,
    Money,
    Need,
    Sourcing,
    TornadoBar,
    WageOverrides,
    compare,
    convert,
    estimate_hourly_cost,
    load_reference_data,
    option_from_estimate,
    recommend,
    sensitivity,
)
from kpo.engine.costing.rates import ECB_SOURCE, Conversion
from kpo.engine.costing.tco import option_name
from kpo.engine.costing.wages import (
    SOURCE_COUNTRY,
    SOURCE_ILO,
    SOURCE_MAPPING,
    SOURCE_OEWS,
    SOURCE_PPP,
    Input,
)
from kpo.engine.messages import Figure, Message, message, to_json

NEED_FIELDS = ("occupation", "hours_per_year", "months", "currency", "client_country")
# Where each reference dataset's figures come from, in the order the sources are listed.
SOURCE_KEYS = (
    ("oews", SOURCE_OEWS),
    ("mapping", SOURCE_MAPPING),
    ("ilo", SOURCE_ILO),
    ("ppp", SOURCE_PPP),
    ("ecb", ECB_SOURCE),
    ("country", SOURCE_COUNTRY),
)


def _field_of(error: CostingInputError) -> str:
    """The field of the page / API an engine error on the need is about."""
    name = error.field.rsplit(".", 1)[-1]
    if name == "country":
        return "client_country"
    if name in NEED_FIELDS:
        return name
    if error.field.startswith("assumptions."):
        return error.field
    return "__all__"


def _money(value: Money | None) -> str | None:
    return None if value is None else str(value.amount)


def _value(value: Decimal | Money) -> str:
    return str(value) if isinstance(value, Money) else f"{value.normalize():f}"


def _wage_overrides(figures: Mapping[str, Decimal], currency: str) -> WageOverrides | None:
    salary = figures.get("monthly_salary")
    on_cost = figures.get("on_cost_multiplier")
    if salary is None and on_cost is None:
        return None
    return WageOverrides(
        monthly_salary=None if salary is None else Money(salary, currency),
        on_cost_multiplier=on_cost,
        source=_("the client's own figure"),
    )


def _messages(values: Sequence[Message]) -> tuple[list[str], list[dict[str, Any]]]:
    """The messages in the active language, and as stored, so a page can show them in its reader's."""
    return [message_text(value) for value in values], [to_json(value) for value in values]


def _bar(bar: TornadoBar) -> dict[str, Any]:
    term = bar.term if isinstance(bar.term, Message) else message("%(term)s", term=bar.term)
    return {
        "input": bar.input,
        "label": message_text(term),
        "term": to_json(term),
        "base_value": _value(bar.base_value),
        "low_value": _value(bar.low_value),
        "high_value": _value(bar.high_value),
        "low_total": _money(bar.low_total),
        "high_total": _money(bar.high_total),
        "low_savings": _money(bar.low_savings),
        "high_savings": _money(bar.high_savings),
        "swing": _money(bar.swing),
    }


CODE_PATHS = re.compile(r"\s*\((?:kpo/data/|kpo\.engine\.)[^)]*\)")


def _input_row(item: Input) -> dict[str, Any]:
    """One input of an estimate; its source named for a reader, without the file or module behind it.
    The English texts stay for the API and older readers; ``label``, ``figure`` and ``source_key`` let a
    page show the row in its reader's language."""
    shown = f"{item.value:,}" if isinstance(item.value, Decimal) else str(item.value)
    row: dict[str, Any] = {"name": item.name, "value": shown, "source": CODE_PATHS.sub("", item.source)}
    if item.label is not None:
        row["label"] = to_json(item.label)
    row["figure"] = to_json(_figure(item))
    row["source_key"] = _source_key(item.source)
    return row


def _figure(item: Input) -> Message:
    if item.value_label is not None:
        return item.value_label
    if isinstance(item.value, Decimal):
        return message("%(value)s", value=Figure(item.value))
    if isinstance(item.value, Money):
        return message("%(value)s", value=item.value)
    return message("%(value)s", value=str(item.value))


def _source_key(source: str) -> str:
    return next((key for key, known in SOURCE_KEYS if source.startswith(known)), "")


def _explained(conversion: Conversion) -> Message:
    return conversion.explained or message("%(value)s", value=conversion.describe())


def _sources(estimates: Sequence[Estimate], conversions: Sequence[Message]) -> list[dict[str, Any]]:
    """The reference datasets the estimates drew on, each with the data points used from it: in English
    (``items``) and as messages (``item_messages``), so a page shows them in its reader's language."""
    used: dict[str, list[Message]] = {key: [] for key, _source in SOURCE_KEYS}
    for estimate in estimates:
        for item in estimate.inputs:
            key = _source_key(item.source)
            if not key:
                continue
            figure = _figure(item)
            line = (
                figure
                if key == "ecb"
                else message("%(name)s: %(value)s", name=item.label or item.name, value=figure)
            )
            if line.english() not in {known.english() for known in used[key]}:
                used[key].append(line)
    for conversion in conversions:
        if conversion.english() not in {known.english() for known in used["ecb"]}:
            used["ecb"].append(conversion)
    return [
        {
            "key": key,
            "items": [line.english() for line in lines],
            "item_messages": [to_json(line) for line in lines],
        }
        for key, lines in used.items()
        if lines
    ]


def make_or_buy(
    *,
    client_country: str,
    currency: str,
    occupation: str,
    hours_per_year: object,
    months: object,
    recurring: bool = True,
    options: Sequence[tuple[str, str]],
    assumptions: Mapping[str, object] | None = None,
    overrides: Mapping[str, Mapping[str, object]] | None = None,
    rate_cards: Mapping[str, RateQuote] | None = None,
) -> dict[str, Any]:
    """Compare in-house (in ``client_country``) with each (sourcing, country) of ``options``.

    Returns {"need", "currency", "options": [{sourcing, label, country, hourly_cost, cost_source, total,
    cost_per_delivered_hour, break_even_month, savings, savings_share, components, estimate: {inputs,
    input_rows, fallbacks, ...}, notes}], "tornado": [...], "tornado_target", "tornado_target_sourcing",
    "recommendation": {option, label, reasons, caveats, text}, "client_hourly_cost",
    "client_hourly_cost_source", "conversions", "assumptions" (every value used), "overrides",
    "sources": [{key, items}]}.
    Bad input raises ValidationError naming the field (see the module docstring)."""
    occupation = (occupation or "").strip() if isinstance(occupation, str) else ""
    errors: dict[str, list[str]] = {}
    if not occupation:
        errors["occupation"] = [_("Give an occupation.")]
    if len(occupation) > 300:
        errors["occupation"] = [_("Give a SOC code, a KPO domain or an ESCO occupation URI.")]
    hours = to_decimal(hours_per_year)
    if hours is None:
        errors["hours_per_year"] = [_("Give a number of hours.")]
    elif hours <= 0 or hours > MAX_HOURS:
        errors["hours_per_year"] = [
            _("Give more than 0 and at most %(max)s hours a year.") % {"max": f"{MAX_HOURS:,}"}
        ]
    whole_months = to_decimal(months)
    if whole_months is None or whole_months != whole_months.to_integral_value():
        errors["months"] = [_("Give a whole number of months.")]
    elif not 1 <= whole_months <= MAX_MONTHS:
        errors["months"] = [_("Give from 1 to %(max)s months.") % {"max": MAX_MONTHS}]
    if not options:
        errors["options"] = [_("Pick at least one option to compare with in-house.")]
    elif len(options) > MAX_OPTIONS:
        errors["options"] = [_("Compare at most %(max)s options.") % {"max": MAX_OPTIONS}]
    chosen: list[tuple[Sourcing, str]] = []
    for index, (kind, country) in enumerate(options[:MAX_OPTIONS] if options else []):
        try:
            sourcing = Sourcing(kind)
        except ValueError:
            sourcing = None
        if sourcing is None or sourcing == Sourcing.IN_HOUSE:
            errors[f"options.{index}.sourcing"] = [
                _("Unknown option %(kind)s: give onshore, nearshore, offshore or captive.")
                % {"kind": str(kind)[:50]}
            ]
            continue
        if any(sourcing == seen for seen, _country in chosen):
            errors[f"options.{index}.sourcing"] = [
                _("Each kind of option may be compared once; %(kind)s is there already.")
                % {"kind": sourcing.value}
            ]
            continue
        chosen.append((sourcing, str(country).strip().upper()))
    kinds = [Sourcing.IN_HOUSE.value] + [sourcing.value for sourcing, _country in chosen]
    try:
        a = parse_assumptions(assumptions)
    except ValidationError as error:
        errors.update(error.message_dict)
        a = Assumptions()
    try:
        figures = parse_overrides(overrides, kinds)
    except ValidationError as error:
        errors.update(error.message_dict)
        figures = {}
    if errors:
        raise ValidationError(errors)
    assert hours is not None and whole_months is not None
    try:
        need = Need(occupation, hours, int(whole_months), str(currency).strip().upper(), recurring=recurring)
        home = estimate_hourly_cost(
            occupation,
            client_country,
            need.currency,
            overrides=_wage_overrides(figures.get(Sourcing.IN_HOUSE.value, {}), need.currency),
        )
    except CostingInputError as error:
        raise ValidationError({_field_of(error): [error.reason]}) from None
    estimates = [home]
    quoted: list[Message] = []
    built = [option_from_estimate(Sourcing.IN_HOUSE, home, client_country=home.country, assumptions=a)]
    for index, (sourcing, country) in enumerate(chosen):
        mine = figures.get(sourcing.value, {})
        try:
            estimate = estimate_hourly_cost(
                occupation, country, need.currency, overrides=_wage_overrides(mine, need.currency)
            )
            rate = mine.get("rate_card")
            quote = (rate_cards or {}).get(sourcing.value)
            card: Money | None = None
            card_source: Message | str = ""
            if rate is not None:
                card, card_source = Money(rate, need.currency).rounded(), message("your own figure")
            elif quote is not None:
                conversion = convert(quote.amount, need.currency, load_reference_data().rates)
                card = conversion.result
                card_source = message(
                    "the current rate card of %(provider)s (median of %(lines)s lines, %(original)s an hour)"
                    if quote.kind == "bill"
                    else "the cost rates of %(provider)s (median of %(lines)s lines, %(original)s an hour)",
                    provider=quote.provider,
                    lines=quote.lines,
                    original=quote.amount,
                )
                if conversion.original.currency != need.currency:
                    quoted.append(_explained(conversion))
            built.append(
                option_from_estimate(
                    sourcing,
                    estimate,
                    client_country=home.country,
                    assumptions=a,
                    rate_card=card,
                    rate_card_source=card_source,
                )
            )
        except CostingInputError as error:
            name = "country" if error.field in ("country", "estimate.country") else "sourcing"
            raise ValidationError({f"options.{index}.{name}": [error.reason]}) from None
        estimates.append(estimate)
    try:
        comparison = compare(need, built, a)
        bars = sensitivity(need, built, a)
        recommendation = recommend(comparison, bars)
    except CostingInputError as error:
        raise ValidationError({_field_of(error): [error.reason]}) from None
    rows = []
    for result, estimate in zip(comparison.results, estimates, strict=True):
        notes, note_messages = _messages(result.option.notes)
        explanation = result.option.explanation
        rows.append(
            {
                "sourcing": result.sourcing.value,
                "label": result.label,
                "name": to_json(option_name(result.option)),
                "country": result.option.country,
                "hourly_cost": _money(result.option.hourly_cost),
                "cost_basis": result.option.cost_basis,
                "cost_source": message_text(explanation) if explanation else result.option.cost_source,
                "cost_explained": to_json(explanation) if explanation else None,
                "total": _money(result.total),
                "cost_per_delivered_hour": _money(result.cost_per_delivered_hour),
                "break_even_month": result.break_even_month,
                "savings": _money(result.savings_vs_in_house),
                "savings_share": None
                if result.savings_share is None
                else str((result.savings_share * 100).quantize(Decimal("0.1"))),
                "components": {k: _money(v) for k, v in result.components.items()},
                "explained": {k: to_json(v) for k, v in result.explained.items()},
                "cumulative": [_money(value) for value in result.cumulative],
                "notes": notes,
                "note_messages": note_messages,
                "estimate": {
                    "occupation_label": estimate.occupation_label,
                    "country_name": estimate.country_name,
                    "amount": _money(estimate.amount),
                    "basis": estimate.basis,
                    "inputs": [item.display() for item in estimate.inputs],
                    "input_rows": [_input_row(i) for i in estimate.inputs],
                    "fallbacks": list(estimate.fallbacks),
                    "fallback_messages": [to_json(note) for note in estimate.fallback_messages],
                    "country": estimate.country,
                },
            }
        )
    others = [r for r in comparison.results if r.sourcing != Sourcing.IN_HOUSE]
    target = min(others, key=lambda r: r.total.amount) if others else None
    conversions = [_explained(c) for c in comparison.conversions] + quoted
    reasons, reason_messages = _messages(recommendation.reasons)
    caveats, caveat_messages = _messages(recommendation.caveats)
    return {
        "need": {
            "occupation": occupation,
            "occupation_label": home.occupation_label,
            "hours_per_year": _value(need.hours_per_year),
            "months": need.months,
            "recurring": need.recurring,
            "client_country": home.country,
        },
        "currency": need.currency,
        "options": rows,
        "tornado": [_bar(bar) for bar in bars],
        "tornado_target": target.label if target else "",
        "tornado_target_sourcing": target.sourcing.value if target else "",
        "recommendation": {
            "option": recommendation.option.value,
            "label": recommendation.label,
            "reasons": reasons,
            "caveats": caveats,
            "reason_messages": reason_messages,
            "caveat_messages": caveat_messages,
            "text": recommendation.text(),
        },
        "client_hourly_cost": _money(comparison.client_hourly_cost),
        "client_hourly_cost_source": message_text(comparison.client_hourly_cost_source),
        "client_hourly_cost_explained": to_json(comparison.client_hourly_cost_source),
        "conversions": [line.english() for line in conversions],
        "conversion_messages": [to_json(line) for line in conversions],
        "assumptions": assumptions_json(a),
        "overrides": {kind: {k: plain(v) for k, v in values.items()} for kind, values in figures.items()},
        "sources": _sources(estimates, conversions),
    }
