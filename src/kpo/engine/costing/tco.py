"""Make-or-buy / total cost of ownership: in-house hiring against third parties and a captive.

For a :class:`Need` (an occupation, hours a year, a horizon in months, one-off or recurring) and a
list of :class:`SourcingOption` (who would do the work, where, at what hourly cost or price),
:func:`compare` costs every option month by month over the horizon. All amounts are ``Decimal``
money in the need's currency; every monthly cost line is rounded half-even to the currency's minor
unit, and totals are sums of those lines, so every figure adds up.

Cost lines (``h`` = need hours per month, ``r`` = rework share, ``work = h * (1 + r)``):

* **labour** and **rework**: employees (in-house, captive) are paid for
  ``work / ((1 - paid_absence_share) * (1 - idle_share))`` hours at their fully loaded hourly cost;
  third parties bill ``work`` hours at their price. The part due to rework is shown separately.
* **recruitment** (employees): ``recruitment_share`` of a year's labour cost when hiring in
  month 1, and again for every leaver (``attrition`` a year) spread over the months.
* **ramp-up** (in-house): for ``ramp_up_months`` a new hire delivers only
  ``ramp_up_productivity``; the shortfall is paid for (``(1 - productivity)`` of monthly labour),
  at the start and, spread over the months, for every replacement hire.
* **management** (in-house): ``management_share`` of the work hours in manager time.
* **transition** (third parties, captive): for ``transition_months`` the provider is paid while it
  learns (``(1 - ramp_up_productivity)`` of monthly labour) and the client's staff spend
  ``knowledge_transfer_share`` of the need hours transferring knowledge.
* **governance** (third parties, captive): a share of the labour cost (vendor management, SLA and
  invoice reviews, audits), rising with distance.
* **communication** (all): client staff hours per work hour, ``communication_base`` plus
  ``communication_per_timezone_hour`` per hour of time-zone gap plus
  ``communication_per_language_step`` per step of language distance, at most ``communication_cap``.
* **set-up** and **site overhead** (captive): a one-off set-up cost and a monthly overhead on
  labour (local management, office, IT, HR and payroll).
* **exit** (one-off needs, employees): ``exit_months`` of labour for notice / severance at the end.

Client staff time (management, transition, communication) is costed at ``need.client_hourly_cost``
or, by default, the in-house option's hourly cost times ``manager_cost_ratio``.

Results: total over the horizon, cost per delivered hour, the break-even month against in-house
(the first month from which the option's cumulative cost stays at or below in-house's) and the
savings against in-house. :mod:`kpo.engine.costing.analysis` adds the tornado sensitivity and a
plain-language recommendation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_EVEN, Decimal
from itertools import accumulate

from kpo.engine.costing.assumptions import (
    EMPLOYED,
    SOURCING_LABELS,
    Assumptions,
    Sourcing,
)
from kpo.engine.costing.errors import CostingInputError
from kpo.engine.costing.money import Money, check_currency, quantum, to_decimal
from kpo.engine.costing.rates import Conversion, EcbRates, convert
from kpo.engine.costing.reference import load_reference_data
from kpo.engine.messages import CountryRef, Message, Percent, Term, message

COMPONENTS = (
    "labour",
    "rework",
    "recruitment",
    "ramp_up",
    "management",
    "transition",
    "governance",
    "communication",
    "setup",
    "site_overhead",
    "exit",
)
COMPONENT_LABELS = {
    "labour": "labour",
    "rework": "rework",
    "recruitment": "recruitment",
    "ramp_up": "ramp-up",
    "management": "management time",
    "transition": "transition",
    "governance": "governance",
    "communication": "communication",
    "setup": "set-up",
    "site_overhead": "site overhead",
    "exit": "exit (notice)",
}


COST_MODEL = "model"  # the reference wage model (times the provider markup for a third party)
COST_RATE_CARD = "rate_card"  # a provider's rate card
COST_GIVEN = "given"  # the client's own figures or an amount given by the caller


@dataclass(frozen=True)
class Need:
    """Work to be done: ``hours_per_year`` delivered hours, for ``months`` months."""

    occupation: str  # SOC code, kpo domain or ESCO occupation URI (for labels and estimates)
    hours_per_year: Decimal
    months: int
    currency: str  # the client's currency: every result is in it
    recurring: bool = True  # False: a one-off project that ends after ``months``
    client_hourly_cost: Money | None = None  # client staff time; default: in-house cost x manager_cost_ratio
    label: str = ""

    def __post_init__(self) -> None:
        hours = to_decimal(self.hours_per_year, "need.hours_per_year")
        if hours < 0:
            raise CostingInputError("need.hours_per_year", f"must not be negative, got {hours}")
        if hours == 0:
            raise CostingInputError("need.hours_per_year", "must be more than zero")
        object.__setattr__(self, "hours_per_year", hours)
        if isinstance(self.months, bool) or not isinstance(self.months, int):
            raise CostingInputError("need.months", f"must be a whole number of months, got {self.months!r}")
        if not 1 <= self.months <= 600:
            raise CostingInputError("need.months", f"must be between 1 and 600, got {self.months}")
        object.__setattr__(self, "currency", check_currency(self.currency, "need.currency"))
        if self.client_hourly_cost is not None:
            if not isinstance(self.client_hourly_cost, Money):
                raise CostingInputError(
                    "need.client_hourly_cost", "must be an amount with a currency (Money)"
                )
            if self.client_hourly_cost.amount < 0:
                raise CostingInputError("need.client_hourly_cost", "must not be negative")

    @property
    def delivered_hours(self) -> Decimal:
        return self.hours_per_year * self.months / 12


@dataclass(frozen=True)
class SourcingOption:
    """One way to get the work done.

    ``hourly_cost``: for employees (in-house, captive) the fully loaded cost per *paid* hour
    (:func:`kpo.engine.costing.wages.estimate_hourly_cost`, or the client's salary figures); for a
    third party its price per billed hour (its rate card, or an estimate)."""

    sourcing: Sourcing
    country: str
    hourly_cost: Money
    cost_source: str = ""
    timezone_gap_hours: Decimal = Decimal(0)
    language_distance: int = 0  # 0 same working language, 1 a shared second language, 2 translation
    rework_rate: Decimal | None = None  # measured share of hours redone (quality data); None: assumption
    setup_cost: Money | None = None  # captive: None = assumptions.captive_setup_cost; zero if it exists
    label: str = ""
    notes: tuple[Message, ...] = ()  # caveats carried into the results (e.g. wage-estimate fallbacks)
    cost_basis: str = COST_GIVEN  # COST_MODEL, COST_RATE_CARD or COST_GIVEN
    explanation: Message | None = None  # how the hourly cost was arrived at

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "sourcing", Sourcing(self.sourcing))
        except ValueError:
            choices = ", ".join(s.value for s in Sourcing)
            raise CostingInputError(
                "option.sourcing", f"unknown sourcing {self.sourcing!r} ({choices})"
            ) from None
        if not isinstance(self.hourly_cost, Money):
            raise CostingInputError("option.hourly_cost", "must be an amount with a currency (Money)")
        if self.hourly_cost.amount < 0:
            raise CostingInputError("option.hourly_cost", f"must not be negative, got {self.hourly_cost}")
        gap = to_decimal(self.timezone_gap_hours, "option.timezone_gap_hours")
        if not 0 <= gap <= 24:
            raise CostingInputError("option.timezone_gap_hours", f"must be between 0 and 24, got {gap}")
        object.__setattr__(self, "timezone_gap_hours", gap)
        if self.language_distance not in (0, 1, 2):
            raise CostingInputError("option.language_distance", "must be 0, 1 or 2")
        if self.rework_rate is not None:
            rework = to_decimal(self.rework_rate, "option.rework_rate")
            if not 0 <= rework < 5:
                raise CostingInputError(
                    "option.rework_rate", f"must be a share between 0 and 5, got {rework}"
                )
            object.__setattr__(self, "rework_rate", rework)
        if self.setup_cost is not None and (
            not isinstance(self.setup_cost, Money) or self.setup_cost.amount < 0
        ):
            raise CostingInputError(
                "option.setup_cost", "must be a non-negative amount with a currency (Money)"
            )
        if not self.label:
            object.__setattr__(self, "label", f"{SOURCING_LABELS[self.sourcing]} ({self.country})")


def option_name(option: SourcingOption) -> Message:
    """ "Offshore third party (India)", named in the reader's language at the edge."""
    return message(
        "%(sourcing)s (%(country)s)",
        sourcing=Term("sourcing", option.sourcing.value, SOURCING_LABELS[option.sourcing]),
        country=CountryRef(option.country),
    )


@dataclass(frozen=True)
class OptionResult:
    option: SourcingOption
    total: Money
    monthly: tuple[Money, ...]  # cost of each month, month 1 first
    cumulative: tuple[Money, ...]
    components: dict[str, Money]  # total of each cost line over the horizon
    cost_per_delivered_hour: Money
    delivered_hours: Decimal
    rework_rate: Decimal
    break_even_month: int | None = None  # vs in-house; None if never within the horizon
    savings_vs_in_house: Money | None = None
    savings_share: Decimal | None = None  # savings / in-house total
    explained: dict[str, Message] = field(default_factory=dict)  # how each cost line is computed

    @property
    def sourcing(self) -> Sourcing:
        return self.option.sourcing

    @property
    def label(self) -> str:
        return self.option.label


@dataclass(frozen=True)
class Comparison:
    need: Need
    assumptions: Assumptions
    results: tuple[OptionResult, ...]
    baseline: OptionResult | None  # the (first) in-house option
    client_hourly_cost: Money
    client_hourly_cost_source: Message
    conversions: tuple[Conversion, ...]

    def cheapest(self) -> OptionResult:
        return min(self.results, key=lambda r: r.total.amount)

    def by_sourcing(self, sourcing: Sourcing) -> OptionResult:
        for result in self.results:
            if result.sourcing == sourcing:
                return result
        raise CostingInputError("sourcing", f"no {sourcing.value} option in this comparison")


def _spread(months: Decimal, horizon: int) -> list[Decimal]:
    """Share of a per-month amount falling in each month when it lasts ``months`` (may be fractional)."""
    return [min(max(months - k, Decimal(0)), Decimal(1)) for k in range(horizon)]


def _in_currency(
    value: Money, currency: str, name: str, rates: EcbRates | None, on: dt.date | None, used: list[Conversion]
) -> Money:
    if value.currency == currency:
        return value
    if rates is None:
        rates = load_reference_data().rates
    conversion = convert(value, currency, rates, on=on)
    if all((c.original.currency, c.basis) != (value.currency, conversion.basis) for c in used):
        used.append(conversion)
    return Money(value.amount * conversion.rate, currency)


def _cost_option(
    need: Need,
    option: SourcingOption,
    rate: Money,
    setup: Money,
    client_rate: Money,
    a: Assumptions,
) -> OptionResult:
    months = need.months
    currency = need.currency
    h = need.hours_per_year / 12
    rework = option.rework_rate if option.rework_rate is not None else a.rework(option.sourcing)
    work = h * (1 + rework)
    employed = option.sourcing in EMPLOYED
    paid_hours = work / ((1 - a.paid_absence_share) * (1 - a.idle_share)) if employed else work
    labour = paid_hours * rate.amount  # per month, includes rework
    labour_base = labour / (1 + rework)
    client = client_rate.amount
    lines: dict[str, list[Decimal]] = {name: [Decimal(0)] * months for name in COMPONENTS}

    def add(name: str, month: int, amount: Decimal) -> None:
        lines[name][month] += amount

    ramp_loss = 1 - a.ramp_up_productivity
    comm_share = min(
        a.communication_base
        + a.communication_per_timezone_hour * option.timezone_gap_hours
        + a.communication_per_language_step * option.language_distance,
        a.communication_cap,
    )
    for m in range(months):
        add("labour", m, labour_base)
        add("rework", m, labour - labour_base)
        add("communication", m, work * comm_share * client)
    if employed:
        attrition = a.attrition_in_house if option.sourcing == Sourcing.IN_HOUSE else a.attrition_captive
        add("recruitment", 0, labour * 12 * a.recruitment_share)
        for m in range(months):
            add("recruitment", m, labour * attrition * a.recruitment_share)
            add("ramp_up", m, labour * attrition / 12 * a.ramp_up_months * ramp_loss)
        if not need.recurring:
            add("exit", months - 1, labour * a.exit_months)
    if option.sourcing == Sourcing.IN_HOUSE:
        for m, share in enumerate(_spread(a.ramp_up_months, months)):
            add("ramp_up", m, labour * ramp_loss * share)
        for m in range(months):
            add("management", m, work * a.management_share * client)
    else:
        for m, share in enumerate(_spread(a.transition_months(option.sourcing), months)):
            add("transition", m, (labour * ramp_loss + h * a.knowledge_transfer_share * client) * share)
        for m in range(months):
            add("governance", m, labour * a.governance(option.sourcing))
    if option.sourcing == Sourcing.CAPTIVE:
        add("setup", 0, setup.amount)
        for m in range(months):
            add("site_overhead", m, labour * a.captive_overhead_share)

    # Round every monthly line to the currency's minor unit, then add up the rounded lines (plain
    # Decimals here: this runs for every month of every option of every sensitivity case).
    unit = quantum(currency)
    nil = Decimal(0).quantize(unit)
    rounded = {
        name: [value.quantize(unit, rounding=ROUND_HALF_EVEN) if value else nil for value in values]
        for name, values in lines.items()
    }
    monthly_amounts = [sum(month, Decimal(0)) for month in zip(*rounded.values(), strict=True)]
    monthly = tuple(Money.trusted(amount, currency) for amount in monthly_amounts)
    cumulative = [Money.trusted(amount, currency) for amount in accumulate(monthly_amounts)]
    total = cumulative[-1]
    components = {name: Money(sum(values, Decimal(0)), currency) for name, values in rounded.items()}
    explained = _explain(need, option, rate, setup, client_rate, a, work, paid_hours, rework, comm_share)
    return OptionResult(
        option=option,
        total=total,
        monthly=monthly,
        cumulative=tuple(cumulative),
        components=components,
        cost_per_delivered_hour=(total / need.delivered_hours).rounded(),
        delivered_hours=need.delivered_hours,
        rework_rate=rework,
        explained={name: text for name, text in explained.items() if components[name].amount},
    )


def _hours(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"))


def _explain(
    need: Need,
    option: SourcingOption,
    rate: Money,
    setup: Money,
    client_rate: Money,
    a: Assumptions,
    work: Decimal,
    paid_hours: Decimal,
    rework: Decimal,
    comm_share: Decimal,
) -> dict[str, Message]:
    """How each cost line follows from the inputs, per month unless it says otherwise."""
    h = need.hours_per_year / 12
    client = client_rate.rounded()
    employed = option.sourcing in EMPLOYED
    lost = Percent(1 - a.ramp_up_productivity)
    texts = {
        "labour": message(
            "%(hours)s paid hours a month (%(work)s work hours, grossed up for paid absence and idle time) "
            "\u00d7 %(rate)s an hour",
            hours=_hours(paid_hours / (1 + rework)),
            work=_hours(h),
            rate=rate.rounded(),
        )
        if employed
        else message(
            "%(hours)s billed hours a month \u00d7 %(rate)s an hour", hours=_hours(h), rate=rate.rounded()
        ),
        "rework": message("%(share)s of the hours are redone, at the same rate", share=Percent(rework)),
        "communication": message(
            "client staff spend %(share)s of the %(hours)s work hours a month briefing and clarifying "
            "(at most %(cap)s), at %(rate)s an hour",
            share=Percent(comm_share),
            hours=_hours(work),
            cap=Percent(a.communication_cap),
            rate=client,
        ),
        "management": message(
            "%(share)s of the %(hours)s work hours a month in manager time, at %(rate)s an hour",
            share=Percent(a.management_share),
            hours=_hours(work),
            rate=client,
        ),
        "governance": message(
            "%(share)s of the labour cost",
            share=Percent(a.governance(option.sourcing))
            if option.sourcing != Sourcing.IN_HOUSE
            else Percent(Decimal(0)),
        ),
        "transition": message(
            "for %(months)s months: %(lost)s of the labour cost while the provider learns, plus client staff "
            "for %(share)s of the need hours at %(rate)s an hour",
            months=a.transition_months(option.sourcing)
            if option.sourcing != Sourcing.IN_HOUSE
            else Decimal(0),
            lost=lost,
            share=Percent(a.knowledge_transfer_share),
            rate=client,
        ),
        "recruitment": message(
            "%(share)s of a year's labour cost for the first hire and for each leaver (%(attrition)s a year)",
            share=Percent(a.recruitment_share),
            attrition=Percent(
                a.attrition_in_house if option.sourcing == Sourcing.IN_HOUSE else a.attrition_captive
            ),
        ),
        "ramp_up": message(
            "%(months)s months at %(productivity)s of full output, for the first hire and each replacement",
            months=a.ramp_up_months,
            productivity=Percent(a.ramp_up_productivity),
        ),
        "setup": message("one-off set-up cost of %(amount)s in the first month", amount=setup),
        "site_overhead": message("%(share)s of the labour cost", share=Percent(a.captive_overhead_share)),
        "exit": message("%(months)s months of labour cost at the end (notice)", months=a.exit_months),
    }
    return texts


def _break_even(option: OptionResult, baseline: OptionResult) -> int | None:
    """First month from which the option's cumulative cost stays at or below the baseline's."""
    month: int | None = None
    for index, (mine, theirs) in enumerate(zip(option.cumulative, baseline.cumulative, strict=True)):
        if mine <= theirs:
            if month is None:
                month = index + 1
        else:
            month = None
    return month


def compare(
    need: Need,
    options: Sequence[SourcingOption],
    assumptions: Assumptions | None = None,
    *,
    rates: EcbRates | None = None,
    on: dt.date | None = None,
) -> Comparison:
    """Cost every option over the need's horizon and compare each with the (first) in-house option.

    Amounts not in the need's currency (rate cards, the captive set-up cost) are converted with
    ``rates`` (default: the shipped ECB table) on ``on`` (default: its latest date); the conversions
    used are returned in :attr:`Comparison.conversions`."""
    if not isinstance(need, Need):
        raise CostingInputError("need", "must be a Need")
    a = assumptions if assumptions is not None else Assumptions()
    if not options:
        raise CostingInputError("options", "give at least one sourcing option")
    used: list[Conversion] = []
    costs: list[Money] = []
    for index, option in enumerate(options):
        if not isinstance(option, SourcingOption):
            raise CostingInputError(f"options[{index}]", "must be a SourcingOption")
        costs.append(
            _in_currency(option.hourly_cost, need.currency, f"options[{index}].hourly_cost", rates, on, used)
        )
    in_house = [i for i, o in enumerate(options) if o.sourcing == Sourcing.IN_HOUSE]
    if need.client_hourly_cost is not None:
        client_rate = _in_currency(
            need.client_hourly_cost, need.currency, "need.client_hourly_cost", rates, on, used
        )
        client_source = message("given with the need")
    elif in_house:
        client_rate = costs[in_house[0]] * a.manager_cost_ratio
        client_source = message(
            "the in-house hourly cost \u00d7 %(ratio)s, the client staff cost against the specialist's",
            ratio=a.manager_cost_ratio,
        )
    else:
        raise CostingInputError("need.client_hourly_cost", "required when there is no in-house option")
    results: list[OptionResult] = []
    for index, option in enumerate(options):
        setup = Money.zero(need.currency)
        if option.sourcing == Sourcing.CAPTIVE:
            given = option.setup_cost if option.setup_cost is not None else a.captive_setup_cost
            name = (
                f"options[{index}].setup_cost"
                if option.setup_cost is not None
                else "assumptions.captive_setup_cost"
            )
            setup = _in_currency(given, need.currency, name, rates, on, used)
        results.append(_cost_option(need, option, costs[index], setup, client_rate, a))
    baseline = results[in_house[0]] if in_house else None
    if baseline is not None:
        for index, result in enumerate(results):
            if result is baseline:
                continue
            savings = baseline.total - result.total
            share = (
                (savings.amount / baseline.total.amount).quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)
                if baseline.total.amount
                else None
            )
            results[index] = replace(
                result,
                break_even_month=_break_even(result, baseline),
                savings_vs_in_house=savings,
                savings_share=share,
            )
        baseline = results[in_house[0]]
    return Comparison(
        need=need,
        assumptions=a,
        results=tuple(results),
        baseline=baseline,
        client_hourly_cost=client_rate.rounded(),
        client_hourly_cost_source=client_source,
        conversions=tuple(used),
    )
