"""Building sourcing options from wage estimates: time-zone gap, language distance, provider price."""

from __future__ import annotations

from decimal import Decimal

from kpo.engine.costing.assumptions import THIRD_PARTY, Assumptions, Sourcing
from kpo.engine.costing.errors import CostingInputError
from kpo.engine.costing.money import Money
from kpo.engine.costing.reference import Country, ReferenceData, load_reference_data
from kpo.engine.costing.tco import SourcingOption
from kpo.engine.costing.wages import Estimate


def timezone_gap(a: Country, b: Country) -> Decimal:
    """Hours between the two countries' standard (winter) offsets, the short way round the clock."""
    gap = abs(a.utc_offset - b.utc_offset)
    return min(gap, 24 - gap)


def language_distance(client: Country, provider: Country) -> int:
    """0 if the provider's country has the client's working language among its official languages,
    otherwise 1 (the two work in a shared second language, usually English)."""
    if client.iso2 == provider.iso2:
        return 0
    if client.languages and client.languages[0] in provider.languages:
        return 0
    return 1


def option_from_estimate(
    sourcing: Sourcing | str,
    estimate: Estimate,
    *,
    client_country: str,
    assumptions: Assumptions | None = None,
    rate_card: Money | None = None,
    rework_rate: Decimal | None = None,
    setup_cost: Money | None = None,
    label: str = "",
    data: ReferenceData | None = None,
) -> SourcingOption:
    """A :class:`SourcingOption` for ``estimate``'s country, seen from ``client_country``.

    Employees (in-house, captive) cost ``estimate.amount`` per paid hour. A third party charges its
    ``rate_card`` price when given; otherwise ``estimate.amount x assumptions.vendor_markup``."""
    data = data if data is not None else load_reference_data()
    a = assumptions if assumptions is not None else Assumptions()
    try:
        kind = Sourcing(sourcing)
    except ValueError:
        raise CostingInputError("sourcing", f"unknown sourcing {sourcing!r}") from None
    client = data.country(client_country, "client_country")
    provider = data.country(estimate.country, "estimate.country")
    notes = tuple(f"{provider.name}: {note}" for note in estimate.fallbacks)
    if rate_card is not None:
        if kind not in THIRD_PARTY:
            raise CostingInputError("rate_card", f"a rate card applies to third parties, not {kind.value}")
        if not isinstance(rate_card, Money):
            raise CostingInputError("rate_card", "must be an amount with a currency (Money)")
        if rate_card.amount <= 0:
            raise CostingInputError("rate_card", f"must be positive, got {rate_card}")
        hourly, source, notes = rate_card, "provider rate card", ()
    elif kind in THIRD_PARTY:
        hourly = (estimate.amount * a.vendor_markup).rounded()
        source = (
            f"estimate: {estimate.amount} local fully loaded cost ({estimate.basis}) x {a.vendor_markup} "
            "provider markup (assumptions.vendor_markup)"
        )
    else:
        hourly, source = estimate.amount, f"estimate: {estimate.amount} per paid hour ({estimate.basis})"
    return SourcingOption(
        sourcing=kind,
        country=provider.iso2,
        hourly_cost=hourly,
        cost_source=source,
        timezone_gap_hours=timezone_gap(client, provider),
        language_distance=language_distance(client, provider),
        rework_rate=rework_rate,
        setup_cost=setup_cost,
        label=label,
        notes=notes,
    )
