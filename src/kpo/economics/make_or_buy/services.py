"""Make-or-buy: cost in-house against third parties and a captive with the costing engine.

:func:`make_or_buy` reads only the shipped reference data and returns a JSON-ready result;
:func:`scenario_create` stores one for a client, :func:`scenario_delete` removes it.

Every number of the model is an input: the need (occupation, hours, months, currency, countries),
the assumptions (:class:`kpo.engine.costing.Assumptions`, every one editable; shares are fractions,
0.10 = 10 %) and the client's own figures (``overrides``: a monthly salary and on-cost multiplier
for in-house or captive staff, a rate card per third-party option, amounts in the scenario's
currency). This module validates them all (it is the edge for the page, the API and the command)
and raises ``ValidationError`` naming the field: ``hours_per_year``, ``options.1.country``,
``assumptions.idle_share``, ``overrides.nearshore.rate_card``, ...
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kpo.core.errors import DomainError
from kpo.economics.models import MakeOrBuyScenario
from kpo.engine.costing import (
    COMPONENT_LABELS,
    Assumptions,
    CostingInputError,
    Estimate,
    Money,
    Need,
    Sourcing,
    TornadoBar,
    WageOverrides,
    check_currency,
    compare,
    estimate_hourly_cost,
    option_from_estimate,
    recommend,
    sensitivity,
)
from kpo.engine.costing.rates import ECB_SOURCE
from kpo.engine.costing.wages import (
    SOURCE_COUNTRY,
    SOURCE_ILO,
    SOURCE_MAPPING,
    SOURCE_OEWS,
    SOURCE_PPP,
)
from kpo.engine.taxonomy import Role
from kpo.orgs.models import Organisation, OrganisationKind
from kpo.orgs.selectors import org_ids_with_roles

SCENARIO_ROLES = {Role.CLIENT_ADMIN.value, Role.REQUESTER.value}
NEED_FIELDS = ("occupation", "hours_per_year", "months", "currency", "client_country")
MAX_MONTHS = 120  # ten years: enough for any make-or-buy horizon, and the sensitivity stays quick
MAX_HOURS = Decimal(1_000_000)  # hours a year: some 600 full-time people
MAX_OPTIONS = 4  # onshore, nearshore, offshore and captive, each once
MAX_AMOUNT = Decimal(10_000_000_000)
OPTION_KINDS = (Sourcing.ONSHORE, Sourcing.NEARSHORE, Sourcing.OFFSHORE, Sourcing.CAPTIVE)
# The client's own figures that replace the reference model, per sourcing (amounts in the scenario's
# currency): what its staff earn (in-house, its own captive) and what a provider charges (rate card).
OVERRIDE_FIELDS: dict[str, tuple[str, ...]] = {
    Sourcing.IN_HOUSE.value: ("monthly_salary", "on_cost_multiplier"),
    Sourcing.CAPTIVE.value: ("monthly_salary", "on_cost_multiplier"),
    Sourcing.ONSHORE.value: ("rate_card",),
    Sourcing.NEARSHORE.value: ("rate_card",),
    Sourcing.OFFSHORE.value: ("rate_card",),
}
OVERRIDE_LIMITS: dict[str, tuple[Decimal, Decimal]] = {  # (exclusive minimum, inclusive maximum)
    "monthly_salary": (Decimal(0), Decimal(100_000_000)),
    "on_cost_multiplier": (Decimal("0.999999"), Decimal(5)),
    "rate_card": (Decimal(0), Decimal(1_000_000)),
}
# Where each reference dataset's figures come from, in the order the sources are listed.
SOURCE_KEYS = (
    ("oews", SOURCE_OEWS),
    ("mapping", SOURCE_MAPPING),
    ("ilo", SOURCE_ILO),
    ("ppp", SOURCE_PPP),
    ("ecb", ECB_SOURCE),
    ("country", SOURCE_COUNTRY),
)


@dataclass(frozen=True)
class AssumptionSpec:
    """One editable assumption: its kind (share, ratio, months, money), default, upper bound, reason."""

    name: str
    kind: str
    default: Decimal | Money
    maximum: Decimal  # inclusive; shares as fractions (0.95 = 95 %)
    why: str


def _maximum(name: str, kind: str) -> Decimal:
    if name in ("paid_absence_share", "idle_share"):
        return Decimal("0.95")
    if name in ("ramp_up_productivity", "min_savings_share"):
        return Decimal(1)
    return {"share": Decimal(5), "ratio": Decimal(20), "months": Decimal(60)}.get(kind, MAX_AMOUNT)


ASSUMPTION_SPECS: dict[str, AssumptionSpec] = {
    spec.name: AssumptionSpec(
        name=spec.name,
        kind=str(spec.metadata["kind"]),
        default=getattr(Assumptions(), spec.name),
        maximum=_maximum(spec.name, str(spec.metadata["kind"])),
        why=str(spec.metadata["why"]),
    )
    for spec in fields(Assumptions)
}


def _field_of(error: CostingInputError) -> str:
    """The field of the page / API an engine error on the need is about."""
    name = error.field.rsplit(".", 1)[-1]
    if name == "country":
        return "client_country"
    if name in NEED_FIELDS:
        return name
    if error.field.startswith("assumptions."):
        return error.field
    return "__all__"


def _money(value: Money | None) -> str | None:
    return None if value is None else str(value.amount)


def _value(value: Decimal | Money) -> str:
    return str(value) if isinstance(value, Money) else f"{value.normalize():f}"


def _plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 0.10 -> "0.1", 1E+1 -> "10"."""
    return f"{value.normalize():f}"


def _number(raw: object) -> Decimal | None:
    """A finite Decimal from a Decimal, int, float or numeric string; None if it is not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, float):
        raw = repr(raw)
    if isinstance(raw, str):
        raw = raw.strip().replace(",", "")
    if not isinstance(raw, Decimal | int | str):
        return None
    try:
        number = Decimal(raw)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _money_input(raw: object, key: str, errors: dict[str, list[str]]) -> Money | None:
    """Money from Money, {"amount", "currency"} or "150000 EUR"."""
    if isinstance(raw, Money):
        amount: object = raw.amount
        currency: object = raw.currency
    elif isinstance(raw, Mapping):
        amount, currency = raw.get("amount"), raw.get("currency")
    elif isinstance(raw, str) and len(raw.split()) == 2:
        amount, currency = raw.split()
    else:
        errors[key] = [_("Give an amount and a currency, such as 150000 EUR.")]
        return None
    number = _number(amount)
    if number is None or number < 0 or number > MAX_AMOUNT:
        errors[key] = [_("Give an amount between 0 and %(max)s.") % {"max": f"{MAX_AMOUNT:,}"}]
        return None
    try:
        code = check_currency(currency, key)
    except CostingInputError as error:
        errors[key] = [error.reason]
        return None
    return Money(number, code)


def parse_assumptions(raw: Mapping[str, object] | None) -> Assumptions:
    """The engine's Assumptions from {name: value}; a missing or empty value keeps the default.

    Shares are fractions (0.10 = 10 %). Every bad value is reported at once, under
    ``assumptions.<name>``."""
    if raw is not None and not isinstance(raw, Mapping):
        raise ValidationError({"assumptions": [_("Give the assumptions as names and values.")]})
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for name, value in (raw or {}).items():
        key = f"assumptions.{name}"
        spec = ASSUMPTION_SPECS.get(str(name))
        if spec is None:
            errors["assumptions"] = [_("Unknown assumption: %(name)s.") % {"name": str(name)[:100]}]
            continue
        if value is None or value == "":
            continue
        if spec.kind == "money":
            money = _money_input(value, key, errors)
            if money is not None:
                values[spec.name] = money
            continue
        number = _number(value)
        if number is None:
            errors[key] = [_("Give a number.")]
        elif number < 0 or number > spec.maximum:
            message = (
                _("Give a share between 0 and %(max)s (0.1 = 10 %%).")
                if spec.kind == "share"
                else _("Give a value between 0 and %(max)s.")
            )
            errors[key] = [message % {"max": _plain(spec.maximum)}]
        else:
            values[spec.name] = number
    if errors:
        raise ValidationError(errors)
    try:
        return Assumptions(**values)
    except CostingInputError as error:
        raise ValidationError({error.field: [error.reason]}) from None


def assumptions_json(assumptions: Assumptions) -> dict[str, Any]:
    """Every assumption as stored with a scenario: numbers as strings, money as {amount, currency}."""
    stored: dict[str, Any] = {}
    for name in ASSUMPTION_SPECS:
        value = getattr(assumptions, name)
        if isinstance(value, Money):
            stored[name] = {"amount": _plain(value.amount), "currency": value.currency}
        else:
            stored[name] = _plain(value)
    return stored


def parse_overrides(
    raw: Mapping[str, Mapping[str, object]] | None, kinds: Iterable[str]
) -> dict[str, dict[str, Decimal]]:
    """The client's own figures per sourcing, checked; only for sourcings being compared."""
    if raw is not None and not isinstance(raw, Mapping):
        raise ValidationError({"overrides": [_("Give the client's own figures per option.")]})
    compared = set(kinds)
    errors: dict[str, list[str]] = {}
    parsed: dict[str, dict[str, Decimal]] = {}
    for kind, figures in (raw or {}).items():
        kind = str(kind)
        if kind not in OVERRIDE_FIELDS:
            errors["overrides"] = [_("Unknown option: %(kind)s.") % {"kind": kind[:50]}]
            continue
        if not isinstance(figures, Mapping):
            errors[f"overrides.{kind}"] = [_("Give the figures as names and values.")]
            continue
        for name, value in figures.items():
            key = f"overrides.{kind}.{name}"
            if name not in OVERRIDE_FIELDS[kind]:
                errors[key] = [
                    _("Not a figure for this option; give one of: %(names)s.")
                    % {"names": ", ".join(OVERRIDE_FIELDS[kind])}
                ]
                continue
            if value is None or value == "":
                continue
            if kind not in compared:
                errors[key] = [_("This option is not being compared.")]
                continue
            number = _number(value)
            low, high = OVERRIDE_LIMITS[str(name)]
            if number is None:
                errors[key] = [_("Give a number.")]
            elif not low < number <= high:
                errors[key] = [
                    _("Give a value from 1 to %(high)s.") % {"high": _plain(high)}
                    if name == "on_cost_multiplier"
                    else _("Give a value above 0 and at most %(high)s.") % {"high": f"{high:,}"}
                ]
            else:
                parsed.setdefault(kind, {})[str(name)] = number
    if errors:
        raise ValidationError(errors)
    return parsed


def _wage_overrides(figures: Mapping[str, Decimal], currency: str) -> WageOverrides | None:
    salary = figures.get("monthly_salary")
    on_cost = figures.get("on_cost_multiplier")
    if salary is None and on_cost is None:
        return None
    return WageOverrides(
        monthly_salary=None if salary is None else Money(salary, currency),
        on_cost_multiplier=on_cost,
        source=_("the client's own figure"),
    )


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


def _input_row(name: str, value: object, source: str) -> dict[str, str]:
    shown = f"{value:,}" if isinstance(value, Decimal) else str(value)
    return {"name": name, "value": shown, "source": source}


def _sources(estimates: Sequence[Estimate], conversions: Sequence[str]) -> list[dict[str, Any]]:
    """The reference datasets the estimates drew on, each with the data points used from it."""
    used: dict[str, list[str]] = {key: [] for key, _source in SOURCE_KEYS}
    for estimate in estimates:
        for item in estimate.inputs:
            for key, source in SOURCE_KEYS:
                if item.source.startswith(source):
                    value = f"{item.value:,}" if isinstance(item.value, Decimal) else str(item.value)
                    line = value if key == "ecb" else f"{item.name}: {value}"
                    if line not in used[key]:
                        used[key].append(line)
                    break
    for line in conversions:
        if line not in used["ecb"]:
            used["ecb"].append(line)
    return [{"key": key, "items": items} for key, items in used.items() if items]


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
    overrides: Mapping[str, Mapping[str, object]] | None = None,
) -> dict[str, Any]:
    """Compare in-house (in ``client_country``) with each (sourcing, country) of ``options``.

    Returns {"need", "currency", "options": [{sourcing, label, country, hourly_cost, cost_source, total,
    cost_per_delivered_hour, break_even_month, savings, savings_share, components, estimate: {inputs,
    input_rows, fallbacks, ...}, notes}], "tornado": [...], "tornado_target", "tornado_target_sourcing",
    "recommendation": {option, label, reasons, caveats, text}, "client_hourly_cost",
    "client_hourly_cost_source", "conversions", "assumptions" (every value used), "overrides",
    "sources": [{key, items}]}.
    Bad input raises ValidationError naming the field (see the module docstring)."""
    occupation = (occupation or "").strip() if isinstance(occupation, str) else ""
    errors: dict[str, list[str]] = {}
    if not occupation:
        errors["occupation"] = [_("Give an occupation.")]
    if len(occupation) > 300:
        errors["occupation"] = [_("Give a SOC code, a KPO domain or an ESCO occupation URI.")]
    hours = _number(hours_per_year)
    if hours is None:
        errors["hours_per_year"] = [_("Give a number of hours.")]
    elif hours <= 0 or hours > MAX_HOURS:
        errors["hours_per_year"] = [
            _("Give more than 0 and at most %(max)s hours a year.") % {"max": f"{MAX_HOURS:,}"}
        ]
    whole_months = _number(months)
    if whole_months is None or whole_months != whole_months.to_integral_value():
        errors["months"] = [_("Give a whole number of months.")]
    elif not 1 <= whole_months <= MAX_MONTHS:
        errors["months"] = [_("Give from 1 to %(max)s months.") % {"max": MAX_MONTHS}]
    if not options:
        errors["options"] = [_("Pick at least one option to compare with in-house.")]
    elif len(options) > MAX_OPTIONS:
        errors["options"] = [_("Compare at most %(max)s options.") % {"max": MAX_OPTIONS}]
    chosen: list[tuple[Sourcing, str]] = []
    for index, (kind, country) in enumerate(options[:MAX_OPTIONS] if options else []):
        try:
            sourcing = Sourcing(kind)
        except ValueError:
            sourcing = None
        if sourcing is None or sourcing == Sourcing.IN_HOUSE:
            errors[f"options.{index}.sourcing"] = [
                _("Unknown option %(kind)s: give onshore, nearshore, offshore or captive.")
                % {"kind": str(kind)[:50]}
            ]
            continue
        if any(sourcing == seen for seen, _country in chosen):
            errors[f"options.{index}.sourcing"] = [
                _("Each kind of option may be compared once; %(kind)s is there already.")
                % {"kind": sourcing.value}
            ]
            continue
        chosen.append((sourcing, str(country).strip().upper()))
    kinds = [Sourcing.IN_HOUSE.value] + [sourcing.value for sourcing, _country in chosen]
    try:
        a = parse_assumptions(assumptions)
    except ValidationError as error:
        errors.update(error.message_dict)
        a = Assumptions()
    try:
        figures = parse_overrides(overrides, kinds)
    except ValidationError as error:
        errors.update(error.message_dict)
        figures = {}
    if errors:
        raise ValidationError(errors)
    assert hours is not None and whole_months is not None
    try:
        need = Need(occupation, hours, int(whole_months), str(currency).strip().upper(), recurring=recurring)
        home = estimate_hourly_cost(
            occupation,
            client_country,
            need.currency,
            overrides=_wage_overrides(figures.get(Sourcing.IN_HOUSE.value, {}), need.currency),
        )
    except CostingInputError as error:
        raise ValidationError({_field_of(error): [error.reason]}) from None
    estimates = [home]
    built = [option_from_estimate(Sourcing.IN_HOUSE, home, client_country=home.country, assumptions=a)]
    for index, (sourcing, country) in enumerate(chosen):
        mine = figures.get(sourcing.value, {})
        try:
            estimate = estimate_hourly_cost(
                occupation, country, need.currency, overrides=_wage_overrides(mine, need.currency)
            )
            rate = mine.get("rate_card")
            built.append(
                option_from_estimate(
                    sourcing,
                    estimate,
                    client_country=home.country,
                    assumptions=a,
                    rate_card=None if rate is None else Money(rate, need.currency).rounded(),
                )
            )
        except CostingInputError as error:
            name = "country" if error.field in ("country", "estimate.country") else "sourcing"
            raise ValidationError({f"options.{index}.{name}": [error.reason]}) from None
        estimates.append(estimate)
    try:
        comparison = compare(need, built, a)
        bars = sensitivity(need, built, a)
        recommendation = recommend(comparison, bars)
    except CostingInputError as error:
        raise ValidationError({_field_of(error): [error.reason]}) from None
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
                "cumulative": [_money(value) for value in result.cumulative],
                "notes": list(result.option.notes),
                "estimate": {
                    "occupation_label": estimate.occupation_label,
                    "country_name": estimate.country_name,
                    "amount": _money(estimate.amount),
                    "basis": estimate.basis,
                    "inputs": [item.display() for item in estimate.inputs],
                    "input_rows": [_input_row(i.name, i.value, i.source) for i in estimate.inputs],
                    "fallbacks": list(estimate.fallbacks),
                },
            }
        )
    others = [r for r in comparison.results if r.sourcing != Sourcing.IN_HOUSE]
    target = min(others, key=lambda r: r.total.amount) if others else None
    conversions = [c.describe() for c in comparison.conversions]
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
        "tornado_target": target.label if target else "",
        "tornado_target_sourcing": target.sourcing.value if target else "",
        "recommendation": {
            "option": recommendation.option.value,
            "label": recommendation.label,
            "reasons": list(recommendation.reasons),
            "caveats": list(recommendation.caveats),
            "text": recommendation.text(),
        },
        "client_hourly_cost": _money(comparison.client_hourly_cost),
        "client_hourly_cost_source": comparison.client_hourly_cost_source,
        "conversions": conversions,
        "assumptions": assumptions_json(a),
        "overrides": {kind: {k: _plain(v) for k, v in values.items()} for kind, values in figures.items()},
        "sources": _sources(estimates, conversions),
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
    overrides: Mapping[str, Mapping[str, object]] | None = None,
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


def scenario_inputs(scenario: MakeOrBuyScenario) -> dict[str, Any]:
    """A saved scenario's inputs as keyword arguments of :func:`make_or_buy` (to recompute it)."""
    inputs = scenario.inputs or {}
    return {
        "occupation": str(inputs.get("occupation", "")),
        "hours_per_year": inputs.get("hours_per_year", ""),
        "months": inputs.get("months", ""),
        "recurring": bool(inputs.get("recurring", True)),
        "currency": str(inputs.get("currency", "")),
        "client_country": str(inputs.get("client_country", "")),
        "options": [(str(pair[0]), str(pair[1])) for pair in inputs.get("options", []) if len(pair) == 2],
        "assumptions": dict(inputs.get("assumptions") or {}),
        "overrides": dict(inputs.get("overrides") or {}),
    }


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
