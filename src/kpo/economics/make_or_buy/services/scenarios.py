"""Saving and deleting a client's make-or-buy scenarios."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.core.clock import installation_date
from kpo.core.errors import DomainError
from kpo.economics.make_or_buy.access import scenario_clients
from kpo.economics.make_or_buy.rate_quotes import rate_quotes
from kpo.economics.make_or_buy.services.comparison import make_or_buy
from kpo.economics.models import MakeOrBuyScenario
from kpo.orgs.models import Organisation


def scenario_create(
    *,
    user: User,
    client: Organisation,
    name: str,
    occupation: str,
    hours_per_year: object,
    months: object,
    recurring: bool = True,
    currency: str,
    client_country: str,
    options: Sequence[tuple[str, str]],
    assumptions: Mapping[str, object] | None = None,
    overrides: Mapping[str, Mapping[str, object]] | None = None,
    day: dt.date | None = None,
) -> MakeOrBuyScenario:
    """Compute and store a scenario for ``client``; only its admins and requesters may.

    ``inputs`` keeps every value the model used, defaults included, so that reopening the scenario
    computes the same answer even if the defaults change later."""
    if client.pk not in {org.pk for org in scenario_clients(user)}:
        raise ValidationError({"client": [_("You may save scenarios only for your own client.")]})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the scenario a name.")]})
    if len(name) > 200:
        raise ValidationError({"name": [_("Give a name of at most 200 characters.")]})
    pairs = [(str(kind), str(country).strip().upper()) for kind, country in options]
    result = make_or_buy(
        client_country=str(client_country),
        currency=str(currency),
        occupation=occupation,
        hours_per_year=hours_per_year,
        months=months,
        recurring=bool(recurring),
        options=pairs,
        assumptions=assumptions,
        overrides=overrides,
        rate_cards=rate_quotes(
            client, occupation, pairs, day if day is not None else installation_date(timezone.now())
        ),
    )
    need = result["need"]
    inputs: dict[str, Any] = {
        "occupation": need["occupation"],
        "hours_per_year": need["hours_per_year"],
        "months": need["months"],
        "recurring": need["recurring"],
        "currency": result["currency"],
        "client_country": need["client_country"],
        "options": [[row["sourcing"], row["country"]] for row in result["options"][1:]],
        "assumptions": result["assumptions"],
        "overrides": result["overrides"],
    }
    with transaction.atomic():
        scenario = MakeOrBuyScenario(client=client, created_by=user, name=name, inputs=inputs, result=result)
        scenario.full_clean()
        scenario.save()
    return scenario


def scenario_delete(*, user: User, scenario: MakeOrBuyScenario) -> None:
    """Delete a saved scenario (the caller has checked access with ``access_scenario``).

    A scenario that engagements use as their in-house baseline (realised savings) is kept: deleting
    it would silently empty their savings reports. Unlink it from the engagements first."""
    if scenario.client_id not in {org.pk for org in scenario_clients(user)}:
        raise ValidationError({"scenario": [_("You may delete scenarios only of your own client.")]})
    with transaction.atomic():
        linked = getattr(scenario, "engagements", None)  # economics.CommercialTerms.scenario
        if linked is not None:
            titles = list(linked.values_list("engagement__title", flat=True)[:5])
            if titles:
                raise DomainError(
                    _(
                        "This scenario is the in-house baseline of the realised savings of: %(titles)s. "
                        "Link those engagements to another scenario first."
                    )
                    % {"titles": ", ".join(titles)},
                    field="scenario",
                )
        scenario.delete()
