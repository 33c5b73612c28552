"""The make-or-buy form: the need, the options, and every assumption of the model (editable).

Shares show as percentages on the page (10 = 10 %) and go to the service as fractions (0.1), the
engine's unit. Blank assumption fields keep the model's default; the defaults are the initial values,
so the page shows what the model would use.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kpo.economics.make_or_buy import labels
from kpo.economics.make_or_buy.selectors import country_choices, currency_choices, priceable_occupations
from kpo.economics.make_or_buy.services.inputs import (
    ASSUMPTION_SPECS,
    MAX_HOURS,
    MAX_MONTHS,
    OPTION_KINDS,
    OVERRIDE_FIELDS,
    OVERRIDE_LIMITS,
)
from kpo.engine.costing import CostingInputError, Money, Sourcing, load_reference_data

OPTION_LABELS = {kind: labels.SOURCING_NAMES[kind.value] for kind in OPTION_KINDS}
# The demo manufacturer: Danish in-house against Poland, India and the Philippines.
DEFAULT_OCCUPATION = "business consultant"  # an ESCO preferred label the SOC mapping prices
DEFAULT_COUNTRIES = {
    Sourcing.ONSHORE: "DK",
    Sourcing.NEARSHORE: "PL",
    Sourcing.OFFSHORE: "IN",
    Sourcing.CAPTIVE: "PH",
}
DEFAULT_ON = {Sourcing.NEARSHORE, Sourcing.OFFSHORE, Sourcing.CAPTIVE}
HUNDRED = Decimal(100)

# The assumptions section, in groups a client manager recognises.
ASSUMPTION_GROUPS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    (
        "in_house",
        _("In-house hire"),
        (
            "paid_absence_share",
            "idle_share",
            "recruitment_share",
            "ramp_up_months",
            "ramp_up_productivity",
            "management_share",
            "manager_cost_ratio",
            "attrition_in_house",
            "exit_months",
            "rework_in_house",
        ),
    ),
    (
        "transition",
        _("Transition to a provider or a captive"),
        (
            "knowledge_transfer_share",
            "transition_months_onshore",
            "transition_months_nearshore",
            "transition_months_offshore",
            "transition_months_captive",
        ),
    ),
    (
        "governance",
        _("Governance overhead"),
        ("governance_onshore", "governance_nearshore", "governance_offshore", "governance_captive"),
    ),
    (
        "communication",
        _("Communication overhead"),
        (
            "communication_base",
            "communication_per_timezone_hour",
            "communication_per_language_step",
            "communication_cap",
        ),
    ),
    (
        "rework",
        _("Rework (replace with quality data)"),
        ("rework_onshore", "rework_nearshore", "rework_offshore", "rework_captive"),
    ),
    (
        "captive",
        _("Captive subsidiary"),
        ("captive_setup_cost", "captive_overhead_share", "attrition_captive"),
    ),
    ("decision", _("Prices and the decision"), ("vendor_markup", "min_savings_share")),
)
# The client's own figures: form field -> (sourcing, figure)
OVERRIDE_FORM_FIELDS: dict[str, tuple[str, str]] = {
    f"{short}_{kind}": (kind, figure)
    for kind, figures in OVERRIDE_FIELDS.items()
    for figure, short in (
        ("monthly_salary", "salary"),
        ("on_cost_multiplier", "on_cost"),
        ("rate_card", "rate"),
    )
    if figure in figures
}


def _shown(value: Decimal, kind: str) -> Decimal:
    """An assumption as the page shows it: shares in percent."""
    shown = value * HUNDRED if kind == "share" else value
    return Decimal(f"{shown.normalize():f}")


class MakeOrBuyForm(forms.Form):
    occupation = forms.CharField(
        label=_("Occupation"),
        max_length=300,
        initial=DEFAULT_OCCUPATION,
        help_text=_("An ESCO occupation: start typing and pick one from the list."),
        widget=forms.TextInput(attrs={"list": "esco-occupations", "autocomplete": "off"}),
    )
    hours_per_year = forms.DecimalField(
        label=_("Hours per year"),
        initial=1600,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_HOURS,
        help_text=_("Hours of work delivered a year; one full-time specialist delivers about 1,600."),
    )
    months = forms.IntegerField(
        label=_("Months"),
        initial=24,
        min_value=1,
        max_value=MAX_MONTHS,
        help_text=_("The horizon of the comparison."),
    )
    recurring = forms.BooleanField(label=_("Recurring need"), required=False, initial=True)
    currency = forms.ChoiceField(label=_("Currency"), initial="DKK")
    client_country = forms.ChoiceField(label=_("In-house country"), initial="DK")
    name = forms.CharField(label=_("Scenario name"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.occupations = priceable_occupations()
        countries = country_choices()
        currencies = currency_choices()
        self.fields["currency"].choices = currencies  # type: ignore[attr-defined]
        self.fields["client_country"].choices = countries  # type: ignore[attr-defined]
        for kind in OPTION_KINDS:
            self.fields[f"use_{kind.value}"] = forms.BooleanField(
                label=OPTION_LABELS[kind], required=False, initial=kind in DEFAULT_ON
            )
            self.fields[f"country_{kind.value}"] = forms.ChoiceField(
                label=_("Country"), choices=countries, initial=DEFAULT_COUNTRIES[kind]
            )
        for name, spec in ASSUMPTION_SPECS.items():
            label, why = labels.ASSUMPTIONS[name]
            if spec.kind == "money":
                assert isinstance(spec.default, Money)
                self.fields[name] = forms.DecimalField(
                    label=label,
                    help_text=why,
                    required=False,
                    min_value=Decimal(0),
                    max_value=spec.maximum,
                    max_digits=14,
                    decimal_places=2,
                    initial=_shown(spec.default.amount, "money"),
                )
                self.fields[f"{name}_currency"] = forms.ChoiceField(
                    label=_("Currency of the set-up cost"),
                    choices=currencies,
                    initial=spec.default.currency,
                    required=False,
                )
                continue
            assert isinstance(spec.default, Decimal)
            unit = labels.UNITS[spec.kind]
            self.fields[name] = forms.DecimalField(
                label=f"{label} ({unit})",
                help_text=why,
                required=False,
                min_value=Decimal(0),
                max_value=_shown(spec.maximum, spec.kind),
                max_digits=10,
                decimal_places=4,
                initial=_shown(spec.default, spec.kind),
            )
        for field_name, (owner, figure) in OVERRIDE_FORM_FIELDS.items():
            label, why = labels.OVERRIDES[figure]
            high = OVERRIDE_LIMITS[figure][1]
            self.fields[field_name] = forms.DecimalField(
                label=f"{labels.SOURCING_NAMES[owner]}: {label}",
                help_text=why,
                required=False,
                min_value=Decimal(1) if figure == "on_cost_multiplier" else Decimal("0.01"),
                max_value=high,
                max_digits=14,
                decimal_places=4 if figure == "on_cost_multiplier" else 2,
            )

    # --- layout helpers for the template -----------------------------------------------------------

    def option_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"use_{kind.value}"], self[f"country_{kind.value}"]) for kind in OPTION_KINDS]

    def assumption_groups(self) -> list[dict[str, Any]]:
        return [
            {"key": key, "title": title, "fields": [self[name] for name in names]}
            for key, title, names in ASSUMPTION_GROUPS
        ]

    def override_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in OVERRIDE_FORM_FIELDS]

    def setup_currency(self) -> forms.BoundField:
        return self["captive_setup_cost_currency"]

    def has_assumption_errors(self) -> bool:
        names = [*ASSUMPTION_SPECS, "captive_setup_cost_currency", *OVERRIDE_FORM_FIELDS]
        return any(self.errors.get(name) for name in names)

    # --- to and from the service -------------------------------------------------------------------

    def chosen_kinds(self) -> list[str]:
        return [kind.value for kind in OPTION_KINDS if self.cleaned_data.get(f"use_{kind.value}")]

    def engine_inputs(self) -> dict[str, Any]:
        data = self.cleaned_data
        assumptions: dict[str, Any] = {}
        for name, spec in ASSUMPTION_SPECS.items():
            value = data.get(name)
            if value is None:
                continue
            if spec.kind == "money":
                default = spec.default
                currency = data.get(f"{name}_currency") or getattr(default, "currency", "EUR")
                assumptions[name] = {"amount": str(value), "currency": currency}
            else:
                assumptions[name] = str(value / HUNDRED if spec.kind == "share" else value)
        chosen = {"in_house", *self.chosen_kinds()}
        overrides: dict[str, dict[str, str]] = {}
        for field_name, (kind, figure) in OVERRIDE_FORM_FIELDS.items():
            value = data.get(field_name)
            if value is not None and kind in chosen:
                overrides.setdefault(kind, {})[figure] = str(value)
        return {
            "occupation": data["occupation"],
            "hours_per_year": data["hours_per_year"],
            "months": data["months"],
            "recurring": bool(data.get("recurring")),
            "currency": data["currency"],
            "client_country": data["client_country"],
            "options": [(kind, data[f"country_{kind}"]) for kind in self.chosen_kinds()],
            "assumptions": assumptions,
            "overrides": overrides,
        }

    def clean_occupation(self) -> str:
        """A picked preferred label becomes its ESCO URI; a URI, a SOC code or a KPO domain (a reopened
        older scenario) stays as it is, if the model can price it."""
        text = " ".join(str(self.cleaned_data.get("occupation") or "").split())
        by_label = {label.casefold(): uri for uri, label in self.occupations}
        if text.casefold() in by_label:
            return by_label[text.casefold()]
        try:
            load_reference_data().occupation(text)
        except CostingInputError:
            raise forms.ValidationError(
                _("Pick an occupation from the list: kpo cannot price “%(value)s”."), params={"value": text}
            ) from None
        return text

    def _target(self, field: str) -> str | None:
        """The form field a service error names (``assumptions.idle_share`` -> ``idle_share``)."""
        parts = field.split(".")
        if parts[0] == "assumptions" and len(parts) == 2 and parts[1] in ASSUMPTION_SPECS:
            return parts[1]
        if parts[0] == "overrides" and len(parts) == 3:
            for name, (kind, figure) in OVERRIDE_FORM_FIELDS.items():
                if (kind, figure) == (parts[1], parts[2]):
                    return name
        if parts[0] == "options" and len(parts) == 3 and parts[1].isdigit():
            kinds = self.chosen_kinds()
            index = int(parts[1])
            if index < len(kinds):
                return f"country_{kinds[index]}"
        return field if field in self.fields else None

    def add_engine_errors(self, error_dict: dict[str, list[str]]) -> None:
        """Service errors next to the fields they name; the rest above the form."""
        for field, messages in error_dict.items():
            target = self._target(field)
            for message in messages:
                self.add_error(target, message)


def form_data(inputs: dict[str, Any]) -> dict[str, Any]:
    """A saved scenario's ``inputs`` as form data, to reopen it ("duplicate and edit")."""
    data: dict[str, Any] = {}
    occupation = str(inputs.get("occupation", ""))
    data["occupation"] = dict(priceable_occupations()).get(occupation, occupation)
    for name in ("hours_per_year", "months", "currency", "client_country"):
        if inputs.get(name) not in (None, ""):
            data[name] = str(inputs[name])
    if inputs.get("recurring", True):
        data["recurring"] = "on"
    chosen = {str(pair[0]): str(pair[1]) for pair in inputs.get("options", []) if len(pair) == 2}
    for kind in OPTION_KINDS:
        if kind.value in chosen:
            data[f"use_{kind.value}"] = "on"
        data[f"country_{kind.value}"] = chosen.get(kind.value, DEFAULT_COUNTRIES[kind])
    for name, value in (inputs.get("assumptions") or {}).items():
        spec = ASSUMPTION_SPECS.get(name)
        if spec is None:
            continue
        if spec.kind == "money" and isinstance(value, dict):
            data[name] = str(value.get("amount", ""))
            data[f"{name}_currency"] = str(value.get("currency", ""))
        elif spec.kind != "money":
            try:
                data[name] = str(_shown(Decimal(str(value)), spec.kind))
            except ArithmeticError:
                continue
    for field_name, (owner, figure) in OVERRIDE_FORM_FIELDS.items():
        value = (inputs.get("overrides") or {}).get(owner, {}).get(figure)
        if value not in (None, ""):
            data[field_name] = str(value)
    return data


def initial_data() -> dict[str, Any]:
    """The form's defaults as form data (every assumption at the model's value)."""
    form = MakeOrBuyForm()
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form.get_initial_for_field(field, name)
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    return data
