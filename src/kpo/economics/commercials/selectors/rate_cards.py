"""Reading rate cards: the bill rate valid on a day, for one expert or every rate-card line at once.

The effective bill rate of an expert on a day is the line valid that day for the expert's provider,
occupation and seniority when one exists, else the bill rate on the expert's profile.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from kpo.economics.models import RateCardLine
from kpo.experts.models import EscoOccupation, ExpertProfile
from kpo.orgs.models import Organisation

RateKey = tuple[int, int, str]  # (provider id, occupation id, seniority)


@dataclass(frozen=True)
class EffectiveRate:
    amount: Decimal
    currency: str
    line_id: int | None  # None: the profile's bill rate


def bill_rates_on(day: dt.date) -> dict[RateKey, tuple[Decimal, str]]:
    """Every rate-card bill rate valid on `day`, in ONE query:
    {(provider, occupation, seniority): (rate, currency)}."""
    rows = (
        RateCardLine.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .values_list("provider_id", "occupation_id", "seniority", "bill_rate", "currency")
    )
    return {
        (provider, occupation, seniority): (rate, currency)
        for provider, occupation, seniority, rate, currency in rows
    }


class RateBook:
    """The rate-card lines of some providers, to find the bill rate valid on any day (one query)."""

    def __init__(self, provider_ids: set[int]) -> None:
        self._lines: dict[RateKey, list[tuple[dt.date, dt.date | None, Decimal, str, int]]] = defaultdict(
            list
        )
        rows = RateCardLine.objects.filter(provider_id__in=provider_ids).values_list(
            "provider_id",
            "occupation_id",
            "seniority",
            "valid_from",
            "valid_to",
            "bill_rate",
            "currency",
            "id",
        )
        for provider, occupation, seniority, start, end, rate, currency, pk in rows:
            self._lines[(provider, occupation, seniority)].append((start, end, rate, currency, pk))

    def bill_rate(self, *, provider_id: int, expert: ExpertProfile, day: dt.date) -> EffectiveRate:
        if expert.occupation_id is not None:
            for start, end, rate, currency, pk in self._lines.get(
                (provider_id, expert.occupation_id, expert.seniority), ()
            ):
                if start <= day and (end is None or day <= end):
                    return EffectiveRate(rate, currency, pk)
        return EffectiveRate(expert.bill_rate, expert.rate_currency, None)


def rate_card_choices(provider_ids: set[int]) -> tuple[QuerySet[Organisation], QuerySet[EscoOccupation]]:
    """What a new rate-card line may name: the providers, and the occupations their experts hold."""
    providers = Organisation.objects.filter(pk__in=provider_ids).order_by("name")
    held = ExpertProfile.objects.filter(organisation_id__in=provider_ids, occupation__isnull=False).values(
        "occupation_id"
    )
    return providers, EscoOccupation.objects.filter(pk__in=held).order_by("label")
