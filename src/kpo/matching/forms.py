"""Forms of the matching pages: the shortlist's query and a client's weights."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kpo.engine.matching import COMPONENTS
from kpo.experts.models import ExpertProfile
from kpo.matching.labels import COMPONENT_HELP, COMPONENT_LABELS
from kpo.matching.models import MAX_WEIGHT
from kpo.matching.selectors import DEFAULT_N, MAX_N


class FindExpertsForm(forms.Form):
    """The query string of the find-experts page: how many to list, the why-not lookup."""

    n = forms.IntegerField(label=_("How many"), min_value=1, max_value=MAX_N, required=False)
    q = forms.CharField(label=_("Expert's name"), max_length=100, required=False, strip=True)
    why_not = forms.IntegerField(label=_("Expert"), min_value=1, max_value=2**63 - 1, required=False)

    def n_or_default(self) -> int:
        """The `n` asked for, or the default when it is missing or out of bounds."""
        self.is_valid()
        if "n" not in self.errors and self.cleaned_data.get("n"):
            return int(self.cleaned_data["n"])
        return DEFAULT_N


class PickerForm(forms.Form):
    """The query string of the staffing picker: words of a name or a skill, and the page."""

    q = forms.CharField(label=_("Name or skill"), max_length=100, required=False, strip=True)
    page = forms.IntegerField(label=_("Page"), min_value=1, max_value=100_000, required=False)

    def query(self) -> str:
        return str(self.cleaned_data.get("q") or "") if "q" not in self.errors else ""

    def page_number(self) -> int:
        return int(self.cleaned_data.get("page") or 1) if "page" not in self.errors else 1


class MatchingWeightsForm(forms.Form):
    """The seven weights (relative: only their proportions count) and the share of skills held."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in COMPONENTS:
            self.fields[name] = forms.FloatField(
                label=str(COMPONENT_LABELS[name]),
                help_text=str(COMPONENT_HELP[name]),
                min_value=0,
                max_value=MAX_WEIGHT,
                widget=forms.NumberInput(attrs={"step": "any", "class": "short"}),
            )
        self.fields["min_skills_share"] = forms.DecimalField(
            label=_("Share of a task's required skills an expert must hold"),
            help_text=_(
                "From 0 to 1. With 0.5 an expert must hold half of the required skills (rounded up) at "
                "the level asked; with 1 all of them; with 0 skills only count in the score."
            ),
            min_value=Decimal(0),
            max_value=Decimal(1),
            max_digits=3,
            decimal_places=2,
            widget=forms.NumberInput(attrs={"step": "0.05", "class": "short"}),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        values = [cleaned.get(name) for name in COMPONENTS]
        if all(value is not None for value in values) and not any(value for value in values):
            raise forms.ValidationError(
                _("The weights are all zero: at least one must be more than zero."), code="all_zero"
            )
        return cleaned

    def weights(self) -> dict[str, float]:
        return {name: float(self.cleaned_data[name]) for name in COMPONENTS}


class BenchForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("e.g. Trusted IFRS reviewers"))


class BenchMemberForm(forms.Form):
    expert = forms.ModelChoiceField(
        label=_("Expert"),
        queryset=ExpertProfile.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _("Choose an expert who delivered a task for you."),
            "required": _("Choose an expert who delivered a task for you."),
        },
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, experts: QuerySet[ExpertProfile] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["expert"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = experts if experts is not None else ExpertProfile.objects.none()
