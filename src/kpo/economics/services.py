"""Make-or-buy: cost in-house against third parties and a captive with the costing engine.

:func:`make_or_buy` reads only the shipped reference data and returns a JSON-ready result;
:func:`scenario_create` stores one for a client.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kpo.economics.models import MakeOrBuyScenario
from kpo.engine.costing import (
    COMPONENT_LABELS,
    Assumptions,
    CostingInputError,
    Money,
    Need,
    Sourcing,
    SourcingOption,
    TornadoBar,
    compare,
    estimate_hourly_cost,
    option_from_estimate,
    recommend,
    sensitivity,
)
from kpo.engine.taxonomy import Role
from kpo.orgs.models import Organisation, OrganisationKind
from kpo.orgs.selectors import org_ids_with_roles

SCENARIO_ROLES = {Role.CLIENT_ADMIN.value, Role.REQUESTER.value}
NEED_FIELDS = ("occupation", "hours_per_year", "months", "currency", "client_country")


def _field_of(error: CostingInputError, *, option: int | None = None) -> str:
    """The form / command field an engine error is about."""
    name = error.field.rsplit(".", 1)[-1]
    if name in NEED_FIELDS:
        return name
    if option is not None:
        return "options"
    if error.field.startswith("assumptions") or name in {f.name for f in fields(Assumptions)}:
        return "assumptions"
    return name


def _invalid(field: str, error: CostingInputError, prefix: str = "") -> ValidationError:
    return ValidationError({field: [f"{prefix}{error.reason}"]})


def _money(value: Money | None) -> str | None:
    return None if value is None else str(value.amount)


def _value(value: Decimal | Money) -> str:
    return str(value) if isinstance(value, Money) else f"{value.normalize():f}"


def _assumptions(overrides: Mapping[str, object] | None) -> Assumptions:
    if not overrides:
        return Assumptions()
    known = {f.name for f in fields(Assumptions)}
    values: dict[str, Any] = {}
    for name, raw in overrides.items():
        if name not in known:
            raise ValidationError({"assumptions": [_("Unknown assumption: %(name)s.") % {"name": name}]})
        try:
            values[name] = Decimal(str(raw))
        except InvalidOperation:
            raise ValidationError(
                {"assumptions": [_("%(name)s must be a number.") % {"name": name}]}
            ) from None
    try:
        return Assumptions(**values)
    except (CostingInputError, TypeError) as error:
        raise ValidationError({"assumptions": [str(error)]}) from None


def _bar(bar: TornadoBar) -> dict[str, Any]:
    return {
        "input": bar.input,
        "label": bar.label,
        "base_value": _value(bar.base_value),
        "low_value": _value(bar.low_value),
        "high_value": _value(bar.high_value),
        "low_total": _money(bar.low_total),
        "high_total": _money(bar.high_total),
        "low_savings": _money(bar.low_savings),
        "high_savings": _money(bar.high_savings),
        "swing": _money(bar.swing),
    }


def make_or_buy(
    *,
    client_country: str,
    currency: str,
    occupation: str,
    hours_per_year: object,
    months: object,
    recurring: bool = True,
    options: Sequence[tuple[str, str]],
    assumptions: Mapping[str, object] | None = None,
) -> dict[str, Any]:
    """Compare in-house (in ``client_country``) with each (sourcing, country) of ``options``.

    Returns {"need", "currency", "options": [{sourcing, label, country, hourly_cost, cost_source, total,
    cost_per_delivered_hour, break_even_month, savings, savings_share, components, estimate: {inputs,
    fallbacks, ...}, notes}], "tornado": [...], "tornado_target", "recommendation": {option, label,
    reasons, caveats, text}, "client_hourly_cost", "client_hourly_cost_source", "conversions"}.
    Bad input raises ValidationError naming the field (occupation, hours_per_year, months, currency,
    client_country, options, assumptions)."""
    occupation = (occupation or "").strip()
    if not occupation:
        raise ValidationError({"occupation": [_("Give an occupation.")]})
    if not options:
        raise ValidationError({"options": [_("Pick at least one option to compare with in-house.")]})
    try:
        whole_months = int(str(months))
    except ValueError:
        raise ValidationError({"months": [_("Give a whole number of months.")]}) from None
    a = _assumptions(assumptions)
    try:
        hours = Decimal(str(hours_per_year))
    except InvalidOperation:
        raise ValidationError({"hours_per_year": [_("Give a number of hours.")]}) from None
    try:
        need = Need(occupation, hours, whole_months, str(currency).upper(), recurring=recurring)
        home = estimate_hourly_cost(occupation, client_country, need.currency)
    except CostingInputError as error:
        field = "client_country" if error.field == "country" else _field_of(error)
        raise _invalid(field, error) from None
    chosen: list[tuple[Sourcing, str]] = [(Sourcing.IN_HOUSE, home.country)]
    for kind, country in options:
        try:
            sourcing = Sourcing(kind)
        except ValueError:
            raise ValidationError({"options": [_("Unknown sourcing: %(kind)s.") % {"kind": kind}]}) from None
        if sourcing != Sourcing.IN_HOUSE:
            chosen.append((sourcing, str(country).upper()))
    estimates = [home]
    built: list[SourcingOption] = []
    for index, (sourcing, country) in enumerate(chosen):
        try:
            estimate = home if index == 0 else estimate_hourly_cost(occupation, country, need.currency)
            if index:
                estimates.append(estimate)
            built.append(option_from_estimate(sourcing, estimate, client_country=home.country, assumptions=a))
        except CostingInputError as error:
            prefix = f"{sourcing.value} {country}: "
            raise _invalid(_field_of(error, option=index), error, prefix) from None
    try:
        comparison = compare(need, built, a)
        bars = sensitivity(need, built, a)
        recommendation = recommend(comparison, bars)
    except CostingInputError as error:
        raise _invalid(_field_of(error), error) from None
    rows = []
    for result, estimate in zip(comparison.results, estimates, strict=True):
        rows.append(
            {
                "sourcing": result.sourcing.value,
                "label": result.label,
                "country": result.option.country,
                "hourly_cost": _money(result.option.hourly_cost),
                "cost_source": result.option.cost_source,
                "total": _money(result.total),
                "cost_per_delivered_hour": _money(result.cost_per_delivered_hour),
                "break_even_month": result.break_even_month,
                "savings": _money(result.savings_vs_in_house),
                "savings_share": None
                if result.savings_share is None
                else str((result.savings_share * 100).quantize(Decimal("0.1"))),
                "components": {COMPONENT_LABELS[k]: _money(v) for k, v in result.components.items()},
                "notes": list(result.option.notes),
                "estimate": {
                    "occupation_label": estimate.occupation_label,
                    "country_name": estimate.country_name,
                    "amount": _money(estimate.amount),
                    "basis": estimate.basis,
                    "inputs": [item.display() for item in estimate.inputs],
                    "fallbacks": list(estimate.fallbacks),
                },
            }
        )
    target = next((r.label for r in comparison.results if r.sourcing != Sourcing.IN_HOUSE), "")
    others = [r for r in comparison.results if r.sourcing != Sourcing.IN_HOUSE]
    if others:
        target = min(others, key=lambda r: r.total.amount).label
    return {
        "need": {
            "occupation": occupation,
            "occupation_label": home.occupation_label,
            "hours_per_year": _value(need.hours_per_year),
            "months": need.months,
            "recurring": need.recurring,
            "client_country": home.country,
        },
        "currency": need.currency,
        "options": rows,
        "tornado": [_bar(bar) for bar in bars],
        "tornado_target": target,
        "recommendation": {
            "option": recommendation.option.value,
            "label": recommendation.label,
            "reasons": list(recommendation.reasons),
            "caveats": list(recommendation.caveats),
            "text": recommendation.text(),
        },
        "client_hourly_cost": _money(comparison.client_hourly_cost),
        "client_hourly_cost_source": comparison.client_hourly_cost_source,
        "conversions": [c.describe() for c in comparison.conversions],
    }


def scenario_clients(user: User) -> list[Organisation]:
    """The clients whose make-or-buy scenarios ``user`` may read and save (admins, requesters)."""
    ids = org_ids_with_roles(user, SCENARIO_ROLES)
    return list(Organisation.objects.filter(id__in=ids, kind=OrganisationKind.CLIENT).order_by("id"))


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
) -> MakeOrBuyScenario:
    """Compute and store a scenario for ``client``; only its admins and requesters may."""
    if client.pk not in {org.pk for org in scenario_clients(user)}:
        raise ValidationError({"client": [_("You may save scenarios only for your own client.")]})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the scenario a name.")]})
    pairs = [[str(kind), str(country).upper()] for kind, country in options]
    inputs: dict[str, Any] = {
        "occupation": (occupation or "").strip(),
        "hours_per_year": str(hours_per_year),
        "months": str(months),
        "recurring": bool(recurring),
        "currency": str(currency).upper(),
        "client_country": str(client_country).upper(),
        "options": pairs,
        "assumptions": {k: str(v) for k, v in (assumptions or {}).items()},
    }
    result = make_or_buy(
        client_country=str(client_country).upper(),
        currency=str(currency).upper(),
        occupation=(occupation or "").strip(),
        hours_per_year=hours_per_year,
        months=months,
        recurring=bool(recurring),
        options=[(kind, country) for kind, country in pairs],
        assumptions=assumptions,
    )
    with transaction.atomic():
        return MakeOrBuyScenario.objects.create(
            client=client, created_by=user, name=name[:200], inputs=inputs, result=result
        )
