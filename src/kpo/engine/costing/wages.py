"""Reference wage model: an estimated fully loaded hourly cost of an occupation in a country.

Method (every number it uses is returned in :attr:`Estimate.inputs` with its source)::

    wage_LCU  = W_US(occupation) x (E_country / E_US) x (H_US / H_country) x PPP_country
    cost_LCU  = wage_LCU x on-cost multiplier(country)
    cost      = cost_LCU converted to the client's currency at the ECB reference rate

* ``W_US``: mean hourly wage of the occupation in the US, BLS OEWS May 2025 (national,
  cross-industry). A KPO domain or an ESCO occupation maps to weighted SOC codes
  (``kpo_domain_soc.csv``) and ``W_US`` is the weighted mean.
* ``E_country / E_US``: the country's average monthly earnings of employees relative to the US,
  both in 2021 PPP $ from ILOSTAT, the country's latest year (or the latest year not after
  ``year``) against the US in the same year. Mean against mean: the ILO figure is an average, so
  the OEWS *mean* (not the median) is the like-for-like anchor, and for the US the model returns
  the OEWS mean exactly.
* ``H_US / H_country``: normal full-time weekly hours (40 unless ``cost_countries.csv`` says
  otherwise, e.g. Denmark 37), turning the monthly-earnings ratio into an hourly one.
* ``PPP_country``: World Bank PPP conversion factor (local currency per international $), latest
  year available (2024 in the shipped table; the OEWS wages are 2025 US dollars, and the US factor
  is 1 by definition), turning US-dollar purchasing power into local currency.
* On-cost multiplier: employer social contributions and customary employer pension, as a multiple
  of gross earnings (indicative table; default 1.25 where a country has no figure, and the
  estimate says so). The result is a cost per *paid* hour; leave, idle time and the like are
  costed by the make-or-buy model (:mod:`kpo.engine.costing.tco`).

Known simplification: the model assumes that the US relative wage structure (how much a data
scientist earns against the average employee) holds in every country. In countries where
graduates are scarce, the premium for specialist knowledge work is usually larger than in the US,
so the model tends to *underestimate* specialist wages in lower-income countries (India, the
Philippines). ILO averages also include part-time employees. Every estimate is therefore a
starting point, overridden wherever better data exists: a provider's rate card or the client's own
salary figures (:class:`WageOverrides`).

Missing data is never a silent zero: a country with no ILO earnings in the requested year uses its
most recent earlier year; a country with no ILO earnings at all uses the median of its price-level
peers (the five countries with ILO data whose price level, PPP factor / market exchange rate, is
closest; price levels track income levels); both say so in :attr:`Estimate.fallbacks`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from kpo.engine.costing.errors import CostingInputError
from kpo.engine.costing.money import MINOR_UNITS, Money, check_currency, to_decimal
from kpo.engine.costing.rates import ECB_SOURCE, Conversion, convert
from kpo.engine.costing.reference import (
    OEWS_YEAR,
    Country,
    IloObservation,
    ReferenceData,
    SocWeight,
    load_reference_data,
)
from kpo.engine.messages import CountryRef, Figure, Message, message

DEFAULT_ON_COST = Decimal("1.25")
DEFAULT_WEEKLY_HOURS = Decimal(40)
WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
PEER_COUNT = 5

SOURCE_OEWS = "US BLS OEWS May 2025, national cross-industry (kpo/data/bls_oews_2025_national.csv)"
SOURCE_MAPPING = "kpo mapping of KPO domains / ESCO occupations to SOC codes (kpo/data/kpo_domain_soc.csv)"
SOURCE_ILO = "ILOSTAT average monthly earnings of employees, 2021 PPP $ (kpo/data/ilo_earnings_ppp2021.csv)"
SOURCE_PPP = "World Bank ICP, PPP conversion factor, GDP, PA.NUS.PPP (kpo/data/ppp_factors.csv)"
SOURCE_COUNTRY = "kpo country table, hand-compiled and indicative (kpo/data/cost_countries.csv)"
SOURCE_MODEL = "kpo reference wage model (kpo.engine.costing.wages)"


@dataclass(frozen=True)
class Input:
    """One number the estimate used, and where it came from."""

    name: str
    value: Decimal | Money | str | int
    source: str
    label: Message | None = None  # the name as a message, for the reader's language
    value_label: Message | None = None  # a value that is a sentence (an exchange rate), likewise

    def display(self) -> str:
        value = str(self.value) if not isinstance(self.value, Decimal) else f"{self.value:,}"
        return f"{self.name}: {value} [{self.source}]"


def _input(label: Message, value: Decimal | Money | str | int, source: str) -> Input:
    return Input(label.english(), value, source, label)


def _country(place: Country) -> CountryRef:
    return CountryRef(place.iso2, place.name)


def _rate_input(conversion: Conversion) -> Input:
    return Input(
        "Exchange rate", conversion.note, conversion.source, message("Exchange rate"), conversion.explained
    )


@dataclass(frozen=True)
class WageOverrides:
    """Better data than the model, used instead of it. Give at most one of the three amounts.

    * ``hourly_cost``: a fully loaded hourly cost or price, e.g. from a provider's rate card;
      used as is (converted to the client's currency if needed).
    * ``hourly_wage`` / ``monthly_salary``: the client's own gross salary figure for the role;
      the employer on-cost multiplier is applied on top.
    * ``on_cost_multiplier``, ``weekly_hours``: replace the country table's figures.
    """

    hourly_cost: Money | None = None
    hourly_wage: Money | None = None
    monthly_salary: Money | None = None
    on_cost_multiplier: Decimal | None = None
    weekly_hours: Decimal | None = None
    source: str = "client data"

    def __post_init__(self) -> None:
        amounts = {
            "overrides.hourly_cost": self.hourly_cost,
            "overrides.hourly_wage": self.hourly_wage,
            "overrides.monthly_salary": self.monthly_salary,
        }
        given = [name for name, value in amounts.items() if value is not None]
        if len(given) > 1:
            raise CostingInputError(given[1], f"give only one of {', '.join(given)}")
        for name, value in amounts.items():
            if value is None:
                continue
            if not isinstance(value, Money):
                raise CostingInputError(name, "must be an amount with a currency (Money)")
            if value.amount <= 0:
                raise CostingInputError(name, f"must be positive, got {value}")
        for name, number in (
            ("overrides.on_cost_multiplier", self.on_cost_multiplier),
            ("overrides.weekly_hours", self.weekly_hours),
        ):
            if number is not None and to_decimal(number, name) <= 0:
                raise CostingInputError(name, f"must be positive, got {number}")
        if self.on_cost_multiplier is not None and self.on_cost_multiplier < 1:
            raise CostingInputError("overrides.on_cost_multiplier", "must be at least 1 (cost / gross pay)")
        if self.weekly_hours is not None and self.weekly_hours > 100:
            raise CostingInputError(
                "overrides.weekly_hours", f"{self.weekly_hours} hours a week is not plausible"
            )


@dataclass(frozen=True)
class Estimate:
    """A fully loaded hourly cost (per paid hour) with everything that went into it."""

    occupation: str
    occupation_label: str
    country: str  # ISO 3166 alpha-2
    country_name: str
    amount: Money  # fully loaded cost per paid hour, client currency, rounded half-even
    wage: Money  # gross hourly wage before employer on-costs, client currency, rounded
    basis: str  # "reference wage model", "client salary figure" or "hourly cost override"
    inputs: tuple[Input, ...]
    fallbacks: tuple[str, ...]
    weekly_hours: Decimal
    on_cost_multiplier: Decimal
    conversion: Conversion | None
    fallback_messages: tuple[Message, ...] = ()  # the fallbacks as messages, for the reader's language

    def explain(self) -> list[str]:
        lines = [
            f"{self.occupation_label} in {self.country_name}: {self.amount} per paid hour ({self.basis})"
        ]
        lines.extend(f"  {item.display()}" for item in self.inputs)
        lines.extend(f"  fallback: {note}" for note in self.fallbacks)
        return lines


def _pick_year(
    series: Mapping[int, IloObservation], year: int | None, name: CountryRef
) -> tuple[IloObservation, Message | None]:
    years = sorted(series)
    if year is None:
        return series[years[-1]], None
    earlier = [y for y in years if y <= year]
    if earlier:
        chosen = earlier[-1]
        note = (
            None
            if chosen == year
            else message(
                "ILO has no %(year)s earnings for %(country)s; used %(chosen)s, the most recent earlier year",
                year=year,
                country=name,
                chosen=chosen,
            )
        )
        return series[chosen], note
    return series[years[0]], message(
        "ILO has no earnings for %(country)s in or before %(year)s; "
        "used %(first)s, the earliest year available",
        country=name,
        year=year,
        first=years[0],
    )


def _ilo_ratio(
    iso2: str, year: int | None, data: ReferenceData
) -> tuple[Decimal, IloObservation, IloObservation, list[Message]]:
    country = data.countries[iso2]
    obs, note = _pick_year(data.ilo[iso2], year, _country(country))
    us_obs, us_note = _pick_year(data.ilo["US"], obs.year, CountryRef("US", "the United States"))
    notes = [n for n in (note, us_note) if n]
    return obs.earnings_ppp / us_obs.earnings_ppp, obs, us_obs, notes


def _latest_ppp(iso2: str, data: ReferenceData, missing: str) -> tuple[int, Decimal]:
    """The latest World Bank PPP factor up to the OEWS year; `missing` is the error when there is none."""
    series = data.ppp.get(iso2, {})
    years = [y for y in series if y <= OEWS_YEAR]
    if not years:
        raise CostingInputError("country", missing)
    return max(years), series[max(years)]


def _price_level(country: Country, year: int, ppp: Decimal, data: ReferenceData) -> Decimal | None:
    values = data.rates.annual.get(year, {})
    usd = values.get("USD")
    per_eur = Decimal(1) if country.currency == "EUR" else values.get(country.currency)
    if usd is None or per_eur is None:
        return None
    return ppp / (per_eur / usd)


def _relative_earnings(
    country: Country, year: int | None, data: ReferenceData
) -> tuple[Decimal, list[Input], list[Message]]:
    if country.iso2 in data.ilo:
        ratio, obs, us_obs, notes = _ilo_ratio(country.iso2, year, data)
        survey = f"{SOURCE_ILO}; survey {obs.survey}" + (f", {obs.obs_status}" if obs.obs_status else "")
        inputs = [
            _input(
                message(
                    "Average monthly earnings, %(country)s, %(year)s (2021 PPP $)",
                    country=_country(country),
                    year=obs.year,
                ),
                obs.earnings_ppp,
                survey,
            ),
        ]
        if country.iso2 == "US":
            return ratio, inputs, notes
        inputs += [
            _input(
                message(
                    "Average monthly earnings, %(country)s, %(year)s (2021 PPP $)",
                    country=CountryRef("US", "United States"),
                    year=us_obs.year,
                ),
                us_obs.earnings_ppp,
                f"{SOURCE_ILO}; survey {us_obs.survey}",
            ),
            _input(message("Earnings relative to the US"), ratio.quantize(Decimal("0.0001")), SOURCE_MODEL),
        ]
        return ratio, inputs, notes
    # No ILO data: median of the price-level peers.
    ppp_year, ppp = _latest_ppp(
        country.iso2,
        data,
        f"{country.name} has neither ILO earnings nor a World Bank PPP factor; give the client's salary "
        "figure or a rate card (overrides)",
    )
    rate_years = [y for y in data.rates.annual if y <= ppp_year]
    rate_year = max(rate_years) if rate_years else ppp_year
    level = _price_level(country, rate_year, ppp, data)
    if level is None:
        raise CostingInputError(
            "country",
            f"{country.name} has no ILO earnings data and its currency {country.currency} has no ECB rate, "
            "so no peer estimate is possible; give the client's salary figure or a rate card (overrides)",
        )
    candidates: list[tuple[Decimal, str, Decimal]] = []
    for iso2 in sorted(data.ilo):
        peer = data.countries.get(iso2)
        peer_ppp = data.ppp.get(iso2, {}).get(ppp_year)
        if iso2 == country.iso2 or peer is None or peer_ppp is None:
            continue
        peer_level = _price_level(peer, rate_year, peer_ppp, data)
        if peer_level is None:
            continue
        peer_ratio = _ilo_ratio(iso2, year, data)[0]
        candidates.append((abs((peer_level / level).ln()), iso2, peer_ratio))
    candidates.sort()
    peers = candidates[:PEER_COUNT]
    if not peers:
        raise CostingInputError("country", f"no peer countries with ILO data for {country.name}")
    ratios = sorted(r for _, _, r in peers)
    middle = len(ratios) // 2
    ratio = ratios[middle] if len(ratios) % 2 else (ratios[middle - 1] + ratios[middle]) / 2
    names = ", ".join(data.countries[iso2].name for _, iso2, _ in peers)
    inputs = [
        _input(
            message(
                "Price level, %(country)s, %(year)s (PPP factor / market rate)",
                country=_country(country),
                year=ppp_year,
            ),
            level.quantize(Decimal("0.001")),
            f"{SOURCE_PPP}; {ECB_SOURCE} ({rate_year} average)",
        ),
        _input(message("Price-level peers with ILO earnings"), names, f"{SOURCE_ILO}; {SOURCE_PPP}"),
        _input(
            message("Earnings relative to the US (peer median)"),
            ratio.quantize(Decimal("0.0001")),
            SOURCE_MODEL,
        ),
    ]
    note = message(
        "ILO has no earnings data for %(country)s; used the median earnings relative to the US "
        "(%(ratio)s) of the %(n)s countries with ILO data whose price level is closest to "
        "that of %(country)s in %(year)s (%(peers)s). Price levels track income levels, so these are its "
        "nearest income peers; replace with local salary data when you have it",
        country=_country(country),
        ratio=Figure(ratio.quantize(Decimal("0.001"))),
        n=len(peers),
        year=ppp_year,
        peers=names,
    )
    return ratio, inputs, [note]


def estimate_hourly_cost(
    occupation: str,
    country: str,
    currency: str,
    *,
    year: int | None = None,
    on: dt.date | None = None,
    overrides: WageOverrides | None = None,
    data: ReferenceData | None = None,
) -> Estimate:
    """Estimated fully loaded hourly cost (per paid hour) of ``occupation`` in ``country``.

    ``occupation``: a SOC code ("15-2051"), a kpo domain ("data_analysis") or a mapped ESCO occupation
    URI. ``country``: ISO 3166 alpha-2 or alpha-3. ``currency``: the client's ISO 4217 currency.
    ``year``: use ILO earnings of this year or the most recent earlier one (default: latest).
    ``on``: date of the exchange rate (default: the latest shipped ECB rate; the engine never reads
    the clock). ``overrides``: better data (see :class:`WageOverrides`).
    """
    data = data if data is not None else load_reference_data()
    target = check_currency(currency, "currency")
    place = data.country(country, "country")
    key, label, socs = data.occupation(occupation, "occupation")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100):
        raise CostingInputError("year", f"must be a year such as {OEWS_YEAR}, got {year!r}")
    if overrides is not None and not isinstance(overrides, WageOverrides):
        raise CostingInputError("overrides", "must be WageOverrides")
    over = overrides or WageOverrides()
    inputs: list[Input] = []
    fallbacks: list[Message] = []

    if over.weekly_hours is not None:
        hours, hours_source = over.weekly_hours, over.source
    elif place.weekly_hours is not None:
        hours, hours_source = place.weekly_hours, SOURCE_COUNTRY
    else:
        hours, hours_source = (
            DEFAULT_WEEKLY_HOURS,
            f"default 40-hour week ({SOURCE_COUNTRY} lists exceptions)",
        )
    if over.on_cost_multiplier is not None:
        on_cost, on_cost_source = over.on_cost_multiplier, over.source
    elif place.on_cost_multiplier is not None:
        on_cost, on_cost_source = place.on_cost_multiplier, SOURCE_COUNTRY
    else:
        on_cost, on_cost_source = DEFAULT_ON_COST, "default (no figure for this country)"

    if over.hourly_cost is not None:
        conversion = convert(over.hourly_cost, target, data.rates, on=on)
        inputs.append(_input(message("Fully loaded hourly cost (given)"), over.hourly_cost, over.source))
        if conversion.original.currency != target:
            inputs.append(_rate_input(conversion))
        amount = conversion.result
        return Estimate(
            key, label, place.iso2, place.name, amount, amount, "hourly cost override",
            tuple(inputs), (), hours, Decimal(1), conversion,
        )  # fmt: skip

    if over.on_cost_multiplier is None and place.on_cost_multiplier is None:
        fallbacks.append(
            message(
                "No employer on-cost figure for %(country)s; used the default multiplier %(multiplier)s",
                country=_country(place),
                multiplier=Figure(DEFAULT_ON_COST),
            )
        )
    if over.hourly_wage is not None or over.monthly_salary is not None:
        if over.hourly_wage is not None:
            wage_local = over.hourly_wage
            inputs.append(_input(message("Gross hourly wage (given)"), over.hourly_wage, over.source))
        else:
            assert over.monthly_salary is not None
            wage_local = over.monthly_salary / (hours * WEEKS_PER_MONTH)
            inputs.append(_input(message("Gross monthly salary (given)"), over.monthly_salary, over.source))
            inputs.append(_hours_input(place, hours, hours_source))
        basis = "client salary figure"
    else:
        basis = "reference wage model"
        wage_local = _model_wage(place, socs, year, data, inputs, fallbacks, hours, hours_source)

    inputs.append(_input(message("Employer on-cost multiplier"), on_cost, on_cost_source))
    cost_local = wage_local * on_cost
    conversion = convert(cost_local, target, data.rates, on=on)
    inputs.append(
        _input(
            message("Fully loaded hourly cost in %(currency)s", currency=cost_local.currency),
            cost_local.rounded(),
            SOURCE_MODEL,
        )
    )
    if cost_local.currency != target:
        inputs.append(_rate_input(conversion))
    wage = Money(wage_local.amount * conversion.rate, target).rounded()
    return Estimate(
        key, label, place.iso2, place.name, conversion.result, wage, basis,
        tuple(inputs), tuple(f.english() for f in fallbacks), hours, on_cost, conversion, tuple(fallbacks),
    )  # fmt: skip


def _hours_input(place: Country, hours: Decimal, source: str) -> Input:
    return _input(message("Normal weekly hours, %(country)s", country=_country(place)), hours, source)


def _model_wage(
    place: Country,
    socs: tuple[SocWeight, ...],
    year: int | None,
    data: ReferenceData,
    inputs: list[Input],
    fallbacks: list[Message],
    hours: Decimal,
    hours_source: str,
) -> Money:
    local = place.currency
    if local not in MINOR_UNITS or local not in data.rates.quoted:
        raise CostingInputError(
            "country",
            f"{place.name}'s currency {local or '(unknown)'} has no ECB reference rate, so the model cannot "
            "price it; give the client's salary figure or a rate card in a supported currency (overrides)",
        )
    w_us = Decimal(0)
    for item in socs:
        soc, weight = item.soc, item.weight
        occ = data.oews[soc]
        w_us += weight * occ.mean_hourly
        label = (
            message(
                "US mean hourly wage, %(occupation)s (weight %(weight)s)",
                occupation=f"{soc} {occ.title}",
                weight=weight,
            )
            if weight != 1
            else message("US mean hourly wage, %(occupation)s", occupation=f"{soc} {occ.title}")
        )
        inputs.append(_input(label, Money(occ.mean_hourly, "USD"), SOURCE_OEWS))
    if len(socs) > 1:
        inputs.append(
            _input(message("US reference wage (weighted mean)"), Money(w_us, "USD").rounded(), SOURCE_MAPPING)
        )
    ratio, ratio_inputs, notes = _relative_earnings(place, year, data)
    inputs.extend(ratio_inputs)
    fallbacks.extend(notes)
    us = data.countries["US"]
    us_hours = us.weekly_hours or DEFAULT_WEEKLY_HOURS
    inputs.append(_hours_input(place, hours, hours_source))
    if place.iso2 != "US":
        inputs.append(_hours_input(us, us_hours, SOURCE_COUNTRY))
    ppp_year, ppp = _latest_ppp(
        place.iso2,
        data,
        f"no World Bank PPP factor for {place.name}; "
        "give the client's salary figure or a rate card (overrides)",
    )
    inputs.append(
        _input(
            message(
                "PPP conversion factor, %(country)s, %(year)s (%(currency)s per international $)",
                country=_country(place),
                year=ppp_year,
                currency=local,
            ),
            ppp,
            SOURCE_PPP,
        )
    )
    wage = Money(w_us * ratio * us_hours / hours * ppp, local)
    inputs.append(
        _input(message("Gross hourly wage in %(currency)s", currency=local), wage.rounded(), SOURCE_MODEL)
    )
    return wage
