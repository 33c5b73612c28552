"""Building sourcing options from wage estimates: time-zone gap, language distance, provider price."""

from __future__ import annotations

from decimal import Decimal

from kpo.engine.costing.assumptions import THIRD_PARTY, Assumptions, Sourcing
from kpo.engine.costing.errors import CostingInputError
from kpo.engine.costing.money import Money
from kpo.engine.costing.reference import Country, ReferenceData, load_reference_data
from kpo.engine.costing.tco import COST_GIVEN, COST_MODEL, COST_RATE_CARD, SourcingOption
from kpo.engine.costing.wages import Estimate
from kpo.engine.messages import CountryRef, Message, Term, message

SANITY_FACTOR = Decimal(2)  # a rate card this many times above or below the model is worth a warning


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
    rate_card_source: Message | str = "",
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
    notes: tuple[Message, ...] = tuple(
        message("%(country)s: %(note)s", country=CountryRef(provider.iso2, provider.name), note=note)
        for note in estimate.fallback_messages or estimate.fallbacks
    )
    model_price = (estimate.amount * a.vendor_markup).rounded() if kind in THIRD_PARTY else estimate.amount
    basis = COST_MODEL if estimate.basis == "reference wage model" else COST_GIVEN
    if rate_card is not None:
        if kind == Sourcing.IN_HOUSE:
            raise CostingInputError("rate_card", "a rate card applies to providers, not in-house")
        if not isinstance(rate_card, Money):
            raise CostingInputError("rate_card", "must be an amount with a currency (Money)")
        if rate_card.amount <= 0:
            raise CostingInputError("rate_card", f"must be positive, got {rate_card}")
        hourly, source, notes, basis = rate_card, "provider rate card", (), COST_RATE_CARD
        explanation = message(
            "%(rate)s an hour from %(source)s",
            rate=rate_card,
            source=rate_card_source or message("the rate card"),
        )
        if basis == COST_RATE_CARD and rate_card.currency == model_price.currency and model_price.amount > 0:
            ratio = rate_card.amount / model_price.amount
            if ratio > SANITY_FACTOR or ratio < 1 / SANITY_FACTOR:
                notes = (
                    message(
                        "%(option)s: the rate card (%(rate)s an hour) is %(ratio)s times the reference "
                        "model's "
                        "price (%(model)s an hour); check that the card and the occupation match.",
                        option=message(
                            "%(sourcing)s (%(country)s)",
                            sourcing=Term("sourcing", kind.value, kind.label),
                            country=CountryRef(provider.iso2),
                        ),
                        rate=rate_card,
                        ratio=ratio.quantize(Decimal("0.1")),
                        model=model_price,
                    ),
                )
    elif kind in THIRD_PARTY:
        hourly = model_price
        source = (
            f"estimate: {estimate.amount} local fully loaded cost ({estimate.basis}) x {a.vendor_markup} "
            "provider markup"
        )
        explanation = message(
            "reference wage model: %(cost)s fully loaded cost an hour \u00d7 %(markup)s provider markup",
            cost=estimate.amount,
            markup=a.vendor_markup,
        )
    else:
        hourly, source = estimate.amount, f"estimate: {estimate.amount} per paid hour ({estimate.basis})"
        explanation = (
            message("reference wage model: %(cost)s fully loaded cost per paid hour", cost=estimate.amount)
            if basis == COST_MODEL
            else message(
                "the client's own salary figures: %(cost)s fully loaded cost per paid hour",
                cost=estimate.amount,
            )
        )
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
        cost_basis=basis,
        explanation=explanation,
    )
