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
    COST_MODEL,
    Comparison,
    Need,
    OptionResult,
    SourcingOption,
    compare,
    option_name,
)
from kpo.engine.messages import Message, Percent, Term, message

NO_TERM = Term("input", "")
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
    term: Message | Term = NO_TERM  # what the input is called, for the reader


@dataclass(frozen=True)
class Recommendation:
    option: Sourcing
    label: str
    reasons: tuple[Message, ...]
    caveats: tuple[Message, ...]

    def text(self) -> str:
        lines = [f"Recommendation: {self.label}.", *(reason.english() for reason in self.reasons)]
        if self.caveats:
            lines.append("Caveats: " + " ".join(caveat.english() for caveat in self.caveats))
        return "\n".join(lines)


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
    candidates: list[tuple[str, str, Decimal | Money, Message | Term]] = [
        (
            "need.hours_per_year",
            "hours needed per year",
            need.hours_per_year,
            Term("input", "hours_per_year", "hours needed per year"),
        )
    ]
    if need.client_hourly_cost is not None:
        candidates.append(
            (
                "need.client_hourly_cost",
                "client staff hourly cost",
                need.client_hourly_cost,
                Term("input", "client_hourly_cost", "client staff hourly cost"),
            )
        )
    for i, option in enumerate(opts):
        called = option_name(option)
        candidates.append(
            (
                f"options[{i}].hourly_cost",
                f"{option.label}: hourly cost",
                option.hourly_cost,
                message("%(option)s: hourly cost", option=called),
            )
        )
        if option.rework_rate is not None:
            candidates.append(
                (
                    f"options[{i}].rework_rate",
                    f"{option.label}: rework rate",
                    option.rework_rate,
                    message("%(option)s: rework", option=called),
                )
            )
        if option.setup_cost is not None:
            candidates.append(
                (
                    f"options[{i}].setup_cost",
                    f"{option.label}: set-up cost",
                    option.setup_cost,
                    message("%(option)s: set-up cost", option=called),
                )
            )
    for spec in fields(a):
        if spec.metadata.get("sensitive", True):
            candidates.append(
                (
                    f"assumptions.{spec.name}",
                    spec.name.replace("_", " "),
                    getattr(a, spec.name),
                    Term("assumption", spec.name),
                )
            )

    bars: list[TornadoBar] = []
    compared_to_in_house = base.baseline is not None and base.results[index] is not base.baseline
    for name, label, base_value, term in candidates:
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
                term=term,
            )
        )
    bars.sort(key=lambda bar: (-bar.swing.amount, bar.input))
    return bars


def _option(result: OptionResult) -> Message:
    return option_name(result.option)


def recommend(comparison: Comparison, bars: Sequence[TornadoBar] = ()) -> Recommendation:
    """The option to choose, with its reasons as messages (``Message.english()`` reads them)."""
    if not isinstance(comparison, Comparison):
        raise CostingInputError("comparison", "must be the result of compare()")
    need = comparison.need
    a = comparison.assumptions
    base = comparison.baseline
    best = comparison.cheapest()
    months = need.months
    reasons: list[Message] = []
    caveats: list[Message] = []

    def line(result: OptionResult) -> Message:
        return message(
            "%(total)s over %(months)s months (%(per_hour)s per delivered hour)",
            total=result.total,
            months=months,
            per_hour=result.cost_per_delivered_hour,
        )

    def drivers(result: OptionResult) -> Message:
        top = sorted(
            ((name, value) for name, value in result.components.items() if value.amount > 0),
            key=lambda item: -item[1].amount,
        )[:3]
        parts = [
            message("%(line)s %(amount)s", line=Term("component", name, COMPONENT_LABELS[name]), amount=value)
            for name, value in top
        ]
        joined = parts[0] if parts else message("none")
        for part in parts[1:]:
            joined = message("%(first)s, %(rest)s", first=joined, rest=part)
        return joined

    if base is None:
        chosen = best
        reasons.append(
            message("%(option)s is the cheapest option: %(line)s.", option=_option(best), line=line(best))
        )
        reasons.append(
            message("There is no in-house option to compare with, so no savings or break-even are shown.")
        )
    elif best is base:
        chosen = base
        reasons.append(
            message("Keeping the work in-house is the cheapest option: %(line)s.", line=line(base))
        )
        others = [r for r in comparison.results if r is not base]
        if others:
            runner = min(others, key=lambda r: r.total.amount)
            reasons.append(
                message(
                    "The cheapest alternative, %(option)s, would cost %(extra)s more (%(share)s).",
                    option=_option(runner),
                    extra=runner.total - base.total,
                    share=Percent(-(runner.savings_share or Decimal(0))),
                )
            )
    else:
        share = best.savings_share if best.savings_share is not None else Decimal(0)
        savings = best.savings_vs_in_house or Money.zero(need.currency)
        if share < a.min_savings_share:
            chosen = base
            reasons.append(
                message(
                    "%(option)s is the cheapest option but saves only %(savings)s (%(share)s) "
                    "against in-house "
                    "over %(months)s months, below the %(threshold)s needed to cover risks the model "
                    "does not "
                    "price: IP and confidentiality, dependency on a provider, quality.",
                    option=_option(best),
                    savings=savings,
                    share=Percent(share),
                    months=months,
                    threshold=Percent(a.min_savings_share),
                )
            )
            reasons.append(message("In-house: %(line)s.", line=line(base)))
        else:
            chosen = best
            reasons.append(
                message(
                    "%(option)s saves %(savings)s (%(share)s) against in-house over %(months)s months: "
                    "%(total)s against %(base)s.",
                    option=_option(best),
                    savings=savings,
                    share=Percent(share),
                    months=months,
                    total=best.total,
                    base=base.total,
                )
            )
            reasons.append(
                message(
                    "Cost per delivered hour: %(option)s against %(base)s in-house.",
                    option=best.cost_per_delivered_hour,
                    base=base.cost_per_delivered_hour,
                )
            )
            if best.break_even_month == 1:
                reasons.append(message("It is cheaper than in-house from the first month."))
            elif best.break_even_month is not None:
                reasons.append(
                    message(
                        "It breaks even with in-house in month %(month)s: its one-off costs "
                        "(transition and set-up) are recovered by then."
                        if best.sourcing == Sourcing.CAPTIVE
                        else "It breaks even with in-house in month %(month)s: its one-off transition "
                        "costs are recovered by then.",
                        month=best.break_even_month,
                    )
                )
            reasons.append(message("Its largest cost lines: %(lines)s.", lines=drivers(best)))
            others = [r for r in comparison.results if r is not best and r is not base]
            if others:
                runner = min(others, key=lambda r: r.total.amount)
                reasons.append(
                    message("Next best: %(option)s, %(line)s.", option=_option(runner), line=line(runner))
                )
            if best.sourcing == Sourcing.CAPTIVE and not need.recurring:
                caveats.append(message("A captive subsidiary is rarely worth setting up for a one-off need."))
    if chosen is base and base is not None:
        reasons.append(message("In-house cost lines: %(lines)s.", lines=drivers(base)))

    if bars:
        top = bars[0]
        if top.low_savings is not None and top.high_savings is not None:
            reasons.append(
                message(
                    "The answer is most sensitive to %(input)s: between its low and high values the savings "
                    "range from %(low)s to %(high)s.",
                    input=top.term,
                    low=top.low_savings,
                    high=top.high_savings,
                )
            )
            flips = [
                bar
                for bar in bars
                if bar.low_savings is not None
                and bar.high_savings is not None
                and (bar.low_savings.amount < 0) != (bar.high_savings.amount < 0)
            ]
            if flips:
                names = flips[0].term
                for bar in flips[1:3]:
                    names = message("%(first)s, %(rest)s", first=names, rest=bar.term)
                reasons.append(
                    message(
                        "Savings change sign within the tested range of: %(names)s; check these inputs "
                        "first.",
                        names=names,
                    )
                )
            else:
                reasons.append(
                    message(
                        "The direction of the savings holds across every input varied in the sensitivity "
                        "analysis."
                    )
                )
        else:
            reasons.append(message("The total is most sensitive to %(input)s.", input=top.term))

    for result in {id(r): r for r in (chosen, best, base) if r is not None}.values():
        option = result.option
        caveats.extend(option.notes)
        if option.cost_basis == COST_MODEL:
            caveats.append(
                message(
                    "%(option)s: the hourly cost is a reference-model estimate; a provider's rate "
                    "card or the "
                    "client's own salary figures would be better.",
                    option=_option(result),
                )
            )
        if result.rework_rate and option.rework_rate is None:
            caveats.append(
                message(
                    "%(option)s: rework of %(share)s is a planning assumption, not measured quality data.",
                    option=_option(result),
                    share=Percent(result.rework_rate),
                )
            )
    return Recommendation(
        option=chosen.sourcing, label=chosen.label, reasons=tuple(reasons), caveats=tuple(caveats)
    )
