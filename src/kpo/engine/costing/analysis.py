"""Sensitivity (tornado) analysis and a plain-language make-or-buy recommendation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from typing import Any

from kpo.engine.costing.assumptions import Assumptions, Sourcing
from kpo.engine.costing.errors import CostingInputError
from kpo.engine.costing.money import Money, to_decimal
from kpo.engine.costing.rates import EcbRates
from kpo.engine.costing.tco import (
    COMPONENT_LABELS,
    Comparison,
    Need,
    OptionResult,
    SourcingOption,
    compare,
)

BELOW_ONE = ("paid_absence_share", "idle_share")
MAX_SHARE = Decimal("0.95")


@dataclass(frozen=True)
class TornadoBar:
    """One input varied low and high, the others held at their base values.

    ``low_total`` / ``high_total``: total cost over the horizon of the target option;
    ``low_savings`` / ``high_savings``: its savings against in-house (None without an in-house
    option); ``swing``: how far the savings (or, without in-house, the total) move."""

    input: str  # "need.hours_per_year", "options[1].hourly_cost", "assumptions.idle_share", ...
    label: str
    base_value: Decimal | Money
    low_value: Decimal | Money
    high_value: Decimal | Money
    low_total: Money
    high_total: Money
    low_savings: Money | None
    high_savings: Money | None
    swing: Money


@dataclass(frozen=True)
class Recommendation:
    option: Sourcing
    label: str
    reasons: tuple[str, ...]
    caveats: tuple[str, ...]

    def text(self) -> str:
        lines = [f"Recommendation: {self.label}.", *self.reasons]
        if self.caveats:
            lines.append("Caveats: " + " ".join(self.caveats))
        return "\n".join(lines)


def _pct(share: Decimal | None) -> str:
    return "n/a" if share is None else f"{(share * 100).quantize(Decimal('0.1'))} %"


def _target_index(base: Comparison, target: Sourcing | str | None) -> int:
    if target is not None:
        try:
            wanted = Sourcing(target)
        except ValueError:
            raise CostingInputError("target", f"unknown sourcing {target!r}") from None
        for index, result in enumerate(base.results):
            if result.sourcing == wanted:
                return index
        raise CostingInputError("target", f"no {wanted.value} option to analyse")
    candidates = [i for i, r in enumerate(base.results) if r is not base.baseline]
    if not candidates:
        candidates = list(range(len(base.results)))
    return min(candidates, key=lambda i: base.results[i].total.amount)


def _apply(
    name: str, value: Decimal, need: Need, opts: list[SourcingOption], a: Assumptions
) -> tuple[Need, list[SourcingOption], Assumptions]:
    """The inputs with the one named by ``name`` set to ``value`` (a Money keeps its currency)."""
    owner, attr = name.rsplit(".", 1)

    def as_before(old: object) -> Decimal | Money:
        return Money(value, old.currency) if isinstance(old, Money) else value

    changes: dict[str, Any]
    if owner == "need":
        changes = {attr: as_before(getattr(need, attr))}
        return replace(need, **changes), opts, a
    if owner == "assumptions":
        changes = {attr: as_before(getattr(a, attr))}
        return need, opts, replace(a, **changes)
    index = int(owner[len("options[") : -1])
    copy = list(opts)
    changes = {attr: as_before(getattr(opts[index], attr))}
    copy[index] = replace(opts[index], **changes)
    return need, copy, a


def _magnitude(value: Money) -> Money:
    return value if value.amount >= 0 else -value


def sensitivity(
    need: Need,
    options: Sequence[SourcingOption],
    assumptions: Assumptions | None = None,
    *,
    spread: Decimal = Decimal("0.2"),
    target: Sourcing | str | None = None,
    rates: EcbRates | None = None,
    on: dt.date | None = None,
) -> list[TornadoBar]:
    """Vary each input by ``-spread`` and ``+spread`` (0.2 = 20 %) and rank the inputs by how far
    they move the target option's savings against in-house (largest swing first).

    The target defaults to the cheapest option other than in-house. Shares that must stay below 1
    are capped at 0.95; inputs that are zero are skipped (they cannot swing)."""
    spread = to_decimal(spread, "spread")
    if not 0 < spread < 1:
        raise CostingInputError("spread", f"must be between 0 and 1, got {spread}")
    a = assumptions if assumptions is not None else Assumptions()
    opts = list(options)
    base = compare(need, opts, a, rates=rates, on=on)
    index = _target_index(base, target)
    candidates: list[tuple[str, str, Decimal | Money]] = [
        ("need.hours_per_year", "hours needed per year", need.hours_per_year)
    ]
    if need.client_hourly_cost is not None:
        candidates.append(("need.client_hourly_cost", "client staff hourly cost", need.client_hourly_cost))
    for i, option in enumerate(opts):
        candidates.append((f"options[{i}].hourly_cost", f"{option.label}: hourly cost", option.hourly_cost))
        if option.rework_rate is not None:
            candidates.append(
                (f"options[{i}].rework_rate", f"{option.label}: rework rate", option.rework_rate)
            )
        if option.setup_cost is not None:
            candidates.append((f"options[{i}].setup_cost", f"{option.label}: set-up cost", option.setup_cost))
    for spec in fields(a):
        if spec.metadata.get("sensitive", True):
            candidates.append(
                (f"assumptions.{spec.name}", spec.name.replace("_", " "), getattr(a, spec.name))
            )

    bars: list[TornadoBar] = []
    compared_to_in_house = base.baseline is not None and base.results[index] is not base.baseline
    for name, label, base_value in candidates:
        number = base_value.amount if isinstance(base_value, Money) else base_value
        if number == 0:
            continue
        low, high = number * (1 - spread), number * (1 + spread)
        short = name.rsplit(".", 1)[-1]
        if short in BELOW_ONE:
            high = min(high, MAX_SHARE)
        if short == "ramp_up_productivity":
            high = min(high, Decimal(1))
        low_r, high_r = (
            compare(*_apply(name, value, need, opts, a), rates=rates, on=on).results[index]
            for value in (low, high)
        )
        if compared_to_in_house:
            assert low_r.savings_vs_in_house is not None and high_r.savings_vs_in_house is not None
            swing = _magnitude(high_r.savings_vs_in_house - low_r.savings_vs_in_house)
        else:
            swing = _magnitude(high_r.total - low_r.total)

        def shown(v: Decimal, like: Decimal | Money = base_value) -> Decimal | Money:
            return Money(v, like.currency) if isinstance(like, Money) else v

        bars.append(
            TornadoBar(
                input=name,
                label=label,
                base_value=base_value,
                low_value=shown(low),
                high_value=shown(high),
                low_total=low_r.total,
                high_total=high_r.total,
                low_savings=low_r.savings_vs_in_house if compared_to_in_house else None,
                high_savings=high_r.savings_vs_in_house if compared_to_in_house else None,
                swing=swing,
            )
        )
    bars.sort(key=lambda bar: (-bar.swing.amount, bar.input))
    return bars


def recommend(comparison: Comparison, bars: Sequence[TornadoBar] = ()) -> Recommendation:
    """The option to choose, with its reasons in plain English."""
    if not isinstance(comparison, Comparison):
        raise CostingInputError("comparison", "must be the result of compare()")
    need = comparison.need
    a = comparison.assumptions
    base = comparison.baseline
    best = comparison.cheapest()
    horizon = f"{need.months} months"
    reasons: list[str] = []
    caveats: list[str] = []

    def line(result: OptionResult) -> str:
        return f"{result.total} over {horizon} ({result.cost_per_delivered_hour} per delivered hour)"

    def drivers(result: OptionResult) -> str:
        top = sorted(
            ((name, value) for name, value in result.components.items() if value.amount > 0),
            key=lambda item: -item[1].amount,
        )[:3]
        return ", ".join(f"{COMPONENT_LABELS[name]} {value}" for name, value in top)

    if base is None:
        chosen = best
        reasons.append(f"{best.label} is the cheapest option: {line(best)}.")
        reasons.append("There is no in-house option to compare with, so no savings or break-even are shown.")
    elif best is base:
        chosen = base
        reasons.append(f"Keeping the work in-house is the cheapest option: {line(base)}.")
        others = [r for r in comparison.results if r is not base]
        if others:
            runner = min(others, key=lambda r: r.total.amount)
            extra = runner.total - base.total
            reasons.append(
                f"The cheapest alternative, {runner.label}, would cost {extra} more "
                f"({_pct(-(runner.savings_share or Decimal(0)))})."
            )
    else:
        share = best.savings_share if best.savings_share is not None else Decimal(0)
        savings = best.savings_vs_in_house or Money.zero(need.currency)
        if share < a.min_savings_share:
            chosen = base
            reasons.append(
                f"{best.label} is the cheapest option but saves only {savings} ({_pct(share)}) "
                f"against in-house over {horizon}, below the {_pct(a.min_savings_share)} threshold "
                "(assumptions.min_savings_share) needed to cover risks the model does not price: "
                "IP and confidentiality, dependency on a provider, quality."
            )
            reasons.append(f"In-house: {line(base)}.")
        else:
            chosen = best
            reasons.append(
                f"{best.label} saves {savings} ({_pct(share)}) against in-house over {horizon}: "
                f"{best.total} against {base.total}."
            )
            reasons.append(
                f"Cost per delivered hour: {best.cost_per_delivered_hour} against "
                f"{base.cost_per_delivered_hour} in-house."
            )
            if best.break_even_month == 1:
                reasons.append("It is cheaper than in-house from the first month.")
            elif best.break_even_month is not None:
                reasons.append(
                    f"It breaks even with in-house in month {best.break_even_month}: its one-off costs "
                    f"(transition{', set-up' if best.sourcing == Sourcing.CAPTIVE else ''}) "
                    "are recovered by then."
                )
            reasons.append(f"Its largest cost lines: {drivers(best)}.")
            others = [r for r in comparison.results if r is not best and r is not base]
            if others:
                runner = min(others, key=lambda r: r.total.amount)
                reasons.append(f"Next best: {runner.label}, {line(runner)}.")
            if best.sourcing == Sourcing.CAPTIVE and not need.recurring:
                caveats.append("A captive subsidiary is rarely worth setting up for a one-off need.")
    if chosen is base and base is not None:
        reasons.append(f"In-house cost lines: {drivers(base)}.")

    if bars:
        top = bars[0]
        if top.low_savings is not None and top.high_savings is not None:
            reasons.append(
                f"The answer is most sensitive to {top.label} ({top.input}): between its low and high values "
                f"the savings range from {top.low_savings} to {top.high_savings}."
            )
            flips = [
                bar
                for bar in bars
                if bar.low_savings is not None
                and bar.high_savings is not None
                and (bar.low_savings.amount < 0) != (bar.high_savings.amount < 0)
            ]
            if flips:
                names = ", ".join(bar.label for bar in flips[:3])
                reasons.append(
                    f"Savings change sign within the tested range of: {names}; check these inputs first."
                )
            else:
                reasons.append(
                    "The direction of the savings holds across every input varied "
                    "in the sensitivity analysis."
                )
        else:
            reasons.append(f"The total is most sensitive to {top.label} ({top.input}).")

    for result in {id(r): r for r in (chosen, best, base) if r is not None}.values():
        caveats.extend(result.option.notes)
        if result.option.cost_source.startswith("estimate"):
            caveats.append(
                f"{result.label}: the hourly cost is a reference-model estimate; a provider's rate card or "
                "the client's own salary figures would be better (the model tends to underestimate "
                "specialist pay in lower-income countries)."
            )
        if result.option.rework_rate is None:
            caveats.append(
                f"{result.label}: rework of {_pct(result.rework_rate)} is a planning assumption, "
                "not measured quality data."
            )
    return Recommendation(
        option=chosen.sourcing, label=chosen.label, reasons=tuple(reasons), caveats=tuple(caveats)
    )
