"""Forms of the compliance pages: input parsing only; the services validate and decide."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kpo.compliance.models import MAX_COOLING_OFF_MONTHS, TransferMechanism
from kpo.core.validators import country_codes, country_name
from kpo.orgs.models import Organisation

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise  # dev-only stubs: lazy translated strings


def _months(label: StrPromise, help_text: StrPromise) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=MAX_COOLING_OFF_MONTHS, help_text=help_text)


class PolicyForm(forms.Form):
    cooling_off_months = _months(
        _("Cooling-off period (months)"),
        _("An expert who left one of your competitors less than this long ago is not eligible."),
    )
    sensitive_cooling_off_months = _months(
        _("Cooling-off period for sensitive engagements (months)"),
        _("Used for engagements marked sensitive; at least the normal period."),
    )
    forbid_former_employees = forms.BooleanField(
        label=_("Also exclude our own former employees during the cooling-off period"), required=False
    )


class CompetitorForm(forms.Form):
    name = forms.CharField(label=_("Competitor's name"), max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("On the platform as (optional)"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Link the organisation when it is on the platform: employment there always matches."),
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


def _country_choices() -> list[tuple[str, str]]:
    named = sorted(
        ((code, country_name(code)) for code in country_codes()), key=lambda pair: pair[1].casefold()
    )
    return [("", "—"), *named]


class TransferCountryForm(forms.Form):
    country = forms.CharField(label=_("Country"), max_length=2, widget=forms.Select)
    mechanism = forms.ChoiceField(label=_("Transfer mechanism"), choices=TransferMechanism.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        help_text=_("Required for a derogation or another mechanism: which one, and why it applies."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].widget.choices = _country_choices()  # in the active language


class DeclarationForm(forms.Form):
    name = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("A client, or a company you have worked for or have ties to."),
    )
    client = forms.ModelChoiceField(
        label=_("Or a client you work for"), queryset=Organisation.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, clients: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if clients is not None:
            self.fields["client"].queryset = clients  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("name") or "").strip() and not data.get("client") and not self.errors:
            self.add_error("name", _("Name the organisation you have a conflict with."))
        return data


class ExceptionForm(forms.Form):
    expert = forms.TypedChoiceField(label=_("Expert"), coerce=int, choices=())
    justification = forms.CharField(
        label=_("Justification"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why the conflict is acceptable for this engagement, and who reviewed it."),
    )

    def __init__(self, *args: Any, experts: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = [("", "—"), *experts]  # type: ignore[attr-defined]
