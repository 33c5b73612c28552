"""The make-or-buy model's inputs: limits, the editable assumptions and the client's own figures.

Every number of the model is an input: the need (occupation, hours, months, currency, countries),
the assumptions (:class:`kpo.engine.costing.Assumptions`, every one editable; shares are fractions,
0.10 = 10 %) and the client's own figures (``overrides``: a monthly salary and on-cost multiplier
for in-house or captive staff, a rate card per third-party option, amounts in the scenario's
currency). The parsers here check them and raise ``ValidationError`` naming the field:
``assumptions.idle_share``, ``overrides.nearshore.rate_card``, ...
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kpo.engine.costing import Assumptions, CostingInputError, Money, Sourcing, check_currency

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


def plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 0.10 -> "0.1", 1E+1 -> "10"."""
    return f"{value.normalize():f}"


def to_decimal(raw: object) -> Decimal | None:
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
    number = to_decimal(amount)
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
        number = to_decimal(value)
        if number is None:
            errors[key] = [_("Give a number.")]
        elif number < 0 or number > spec.maximum:
            message = (
                _("Give a share between 0 and %(max)s (0.1 = 10 %%).")
                if spec.kind == "share"
                else _("Give a value between 0 and %(max)s.")
            )
            errors[key] = [message % {"max": plain(spec.maximum)}]
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
            stored[name] = {"amount": plain(value.amount), "currency": value.currency}
        else:
            stored[name] = plain(value)
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
            number = to_decimal(value)
            low, high = OVERRIDE_LIMITS[str(name)]
            if number is None:
                errors[key] = [_("Give a number.")]
            elif not low < number <= high:
                errors[key] = [
                    _("Give a value from 1 to %(high)s.") % {"high": plain(high)}
                    if name == "on_cost_multiplier"
                    else _("Give a value above 0 and at most %(high)s.") % {"high": f"{high:,}"}
                ]
            else:
                parsed.setdefault(kind, {})[str(name)] = number
    if errors:
        raise ValidationError(errors)
    return parsed
