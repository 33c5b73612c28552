"""Cost model: money, dated currency conversion, reference wages, make-or-buy (pure Python).

    est = estimate_hourly_cost("17-2112", "PL", "DKK")          # fully loaded cost per paid hour
    est.amount, est.inputs, est.fallbacks                        # the figure, what went in, what was missing
    option = option_from_estimate(Sourcing.NEARSHORE, est, client_country="DK")
    comparison = compare(Need("17-2112", Decimal(1600), 24, "DKK"), [in_house, option, ...])
    bars = sensitivity(need, options)                            # tornado, largest swing first
    recommend(comparison, bars).text()                           # plain-language recommendation
    convert(Money.of("100", "EUR"), "DKK", rates, on=date(2026, 10, 30))

Reference data (BLS OEWS, ILOSTAT, World Bank PPP, ECB rates) ships in ``kpo/data``; see
``kpo/data/SOURCES.md``. The engine never reads the clock: dates are passed in, and "latest" means
the latest date in the shipped tables.
"""

from kpo.engine.costing.analysis import Recommendation, TornadoBar, recommend, sensitivity
from kpo.engine.costing.assumptions import SOURCING_LABELS, Assumptions, Sourcing, describe_assumptions
from kpo.engine.costing.errors import CostingInputError
from kpo.engine.costing.money import MINOR_UNITS, Money, check_currency, money_sum, quantum
from kpo.engine.costing.options import language_distance, option_from_estimate, timezone_gap
from kpo.engine.costing.rates import Conversion, EcbRates, convert
from kpo.engine.costing.reference import (
    Country,
    OewsOccupation,
    ReferenceData,
    load_reference_data,
)
from kpo.engine.costing.tco import (
    COMPONENT_LABELS,
    COMPONENTS,
    Comparison,
    Need,
    OptionResult,
    SourcingOption,
    compare,
)
from kpo.engine.costing.wages import (
    DEFAULT_ON_COST,
    Estimate,
    Input,
    WageOverrides,
    estimate_hourly_cost,
)

__all__ = [
    "COMPONENTS",
    "COMPONENT_LABELS",
    "DEFAULT_ON_COST",
    "MINOR_UNITS",
    "SOURCING_LABELS",
    "Assumptions",
    "Comparison",
    "Conversion",
    "CostingInputError",
    "Country",
    "EcbRates",
    "Estimate",
    "Input",
    "Money",
    "Need",
    "OewsOccupation",
    "OptionResult",
    "Recommendation",
    "ReferenceData",
    "Sourcing",
    "SourcingOption",
    "TornadoBar",
    "WageOverrides",
    "check_currency",
    "compare",
    "convert",
    "describe_assumptions",
    "estimate_hourly_cost",
    "language_distance",
    "load_reference_data",
    "money_sum",
    "option_from_estimate",
    "quantum",
    "recommend",
    "sensitivity",
    "timezone_gap",
]
