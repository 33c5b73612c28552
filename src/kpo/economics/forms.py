from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kpo.engine.costing import Sourcing, load_reference_data
from kpo.engine.taxonomy import DOMAIN_LABELS

OPTION_KINDS = (Sourcing.ONSHORE, Sourcing.NEARSHORE, Sourcing.OFFSHORE, Sourcing.CAPTIVE)
OPTION_LABELS = {
    Sourcing.ONSHORE: _("Onshore third party"),
    Sourcing.NEARSHORE: _("Nearshore third party"),
    Sourcing.OFFSHORE: _("Offshore third party"),
    Sourcing.CAPTIVE: _("Captive subsidiary"),
}
# The demo manufacturer: Danish in-house against Poland, India and the Philippines.
DEFAULT_COUNTRIES = {
    Sourcing.ONSHORE: "DK",
    Sourcing.NEARSHORE: "PL",
    Sourcing.OFFSHORE: "IN",
    Sourcing.CAPTIVE: "PH",
}
DEFAULT_ON = {Sourcing.NEARSHORE, Sourcing.OFFSHORE, Sourcing.CAPTIVE}


def country_choices() -> list[tuple[str, str]]:
    countries = load_reference_data().countries.values()
    unique = {country.iso2: country.name for country in countries}
    return sorted(unique.items(), key=lambda item: item[1])


def currency_choices() -> list[tuple[str, str]]:
    return [(code, code) for code in sorted(load_reference_data().rates.quoted)]


class MakeOrBuyForm(forms.Form):
    occupation = forms.ChoiceField(
        label=_("Occupation"),
        choices=[(domain.value, label) for domain, label in DOMAIN_LABELS.items()],
        initial="technical_analysis",
    )
    soc_code = forms.CharField(
        label=_("Or a SOC code"),
        required=False,
        max_length=300,
        help_text=_("A US SOC code such as 17-2112 (or an ESCO occupation URI); it replaces the domain."),
    )
    hours_per_year = forms.DecimalField(
        label=_("Hours per year"), initial=1600, max_digits=10, decimal_places=2
    )
    months = forms.IntegerField(label=_("Months"), initial=24)
    recurring = forms.BooleanField(label=_("Recurring need"), required=False, initial=True)
    currency = forms.ChoiceField(label=_("Currency"), initial="DKK")
    client_country = forms.ChoiceField(label=_("In-house country"), initial="DK")
    name = forms.CharField(label=_("Scenario name"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = country_choices()
        self.fields["currency"].choices = currency_choices()  # type: ignore[attr-defined]
        self.fields["client_country"].choices = countries  # type: ignore[attr-defined]
        for kind in OPTION_KINDS:
            self.fields[f"use_{kind.value}"] = forms.BooleanField(
                label=OPTION_LABELS[kind], required=False, initial=kind in DEFAULT_ON
            )
            self.fields[f"country_{kind.value}"] = forms.ChoiceField(
                label=_("Country"), choices=countries, initial=DEFAULT_COUNTRIES[kind]
            )

    def option_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"use_{kind.value}"], self[f"country_{kind.value}"]) for kind in OPTION_KINDS]

    def engine_inputs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "occupation": (data.get("soc_code") or "").strip() or data["occupation"],
            "hours_per_year": data["hours_per_year"],
            "months": data["months"],
            "recurring": bool(data.get("recurring")),
            "currency": data["currency"],
            "client_country": data["client_country"],
            "options": [
                (kind.value, data[f"country_{kind.value}"])
                for kind in OPTION_KINDS
                if data.get(f"use_{kind.value}")
            ],
        }

    def add_engine_errors(self, error_dict: dict[str, list[str]]) -> None:
        """Engine errors next to the fields they name (occupation → the SOC code if one was typed)."""
        for field, messages in error_dict.items():
            target = field
            if field == "occupation" and (self.cleaned_data.get("soc_code") or "").strip():
                target = "soc_code"
            if target not in self.fields:
                target = None  # type: ignore[assignment]
            for message in messages:
                self.add_error(target, message)
