"""The price a provider's own rate card gives for a need: what make-or-buy prices an option from.

For a third-party option in a country, the client's providers there (those it has engagements with,
else any third-party firm or freelance pool there; a captive option looks at the client's own captive
subsidiaries and takes their cost rates) are searched for rate-card lines valid on the day whose role
maps to the need's occupation (through the SOC codes of ``kpo_domain_soc.csv``). The median of the
matching lines is the price. No matching line: no quote, and the reference wage model prices the option.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from kpo.economics.models import RateCardLine
from kpo.engine.costing import CostingInputError, Money, Sourcing, load_reference_data
from kpo.orgs.models import Organisation, ProviderType
from kpo.work.models import Engagement


@dataclass(frozen=True)
class RateQuote:
    provider: str  # the provider's name
    amount: Money  # per hour, in the card's currency
    lines: int  # how many rate-card lines the median is taken over
    day: dt.date
    kind: str  # "bill" (a third party's price) or "cost" (a captive's cost rate)


def _socs(occupation: str) -> set[str]:
    try:
        _key, _label, weights = load_reference_data().occupation(occupation)
    except CostingInputError:
        return set()
    return {weight.soc for weight in weights}


def rate_quotes(
    client: Organisation, occupation: str, options: Sequence[tuple[str, str]], day: dt.date
) -> dict[str, RateQuote]:
    """{sourcing: quote} for the options whose country has a provider of the client with a matching line."""
    wanted = _socs(occupation)
    if not wanted:
        return {}
    quotes: dict[str, RateQuote] = {}
    engaged = set(Engagement.objects.filter(client=client).values_list("provider_id", flat=True))
    for sourcing, country in options:
        captive = sourcing == Sourcing.CAPTIVE.value
        providers = Organisation.objects.filter(country=str(country).upper(), kind="provider")
        if captive:
            providers = providers.filter(provider_type=ProviderType.CAPTIVE, parent=client)
        else:
            providers = providers.exclude(provider_type=ProviderType.CAPTIVE)
        ordered = sorted(providers, key=lambda p: (p.pk not in engaged, p.name))
        for provider in ordered:
            lines = (
                RateCardLine.objects.filter(provider=provider, valid_from__lte=day)
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
                .select_related("occupation")
            )
            rates: dict[str, list[Decimal]] = {}
            for line in lines:
                if _socs(line.occupation.uri) & wanted:
                    rates.setdefault(line.currency, []).append(line.cost_rate if captive else line.bill_rate)
            if not rates:
                continue
            currency, amounts = max(rates.items(), key=lambda item: len(item[1]))
            median = Decimal(statistics.median(amounts)).quantize(Decimal("0.01"))
            quotes[sourcing] = RateQuote(
                provider.name, Money(median, currency), len(amounts), day, "cost" if captive else "bill"
            )
            break
    return quotes
