"""The forecast page's filter: how many weeks ahead."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DEFAULT_WEEKS = 12
MIN_WEEKS = 4
MAX_WEEKS = 26


class ForecastFilterForm(forms.Form):
    weeks = forms.IntegerField(
        label=_("Weeks ahead"),
        min_value=MIN_WEEKS,
        max_value=MAX_WEEKS,
        required=False,
        error_messages={
            "invalid": _("Weeks ahead: enter a whole number from 4 to 26."),
            "min_value": _("Weeks ahead: enter a whole number from 4 to 26."),
            "max_value": _("Weeks ahead: enter a whole number from 4 to 26."),
        },
    )

    def chosen_weeks(self) -> int:
        if not self.is_valid():
            return DEFAULT_WEEKS
        return self.cleaned_data.get("weeks") or DEFAULT_WEEKS


class ScaleUpForm(forms.Form):
    experts = forms.IntegerField(label=_("Experts to add"), min_value=1, max_value=20, initial=1)
    skills = forms.MultipleChoiceField(label=_("Skills"), widget=forms.CheckboxSelectMultiple)
    starts = forms.DateField(label=_("From the week of"), widget=forms.DateInput(attrs={"type": "date"}))
    hours_per_week = forms.DecimalField(
        label=_("Hours per week each"), min_value=1, max_value=40, decimal_places=1, initial=20
    )
    until = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, skill_choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["skills"].choices = skill_choices  # type: ignore[attr-defined]


class ReleaseForm(forms.Form):
    expert = forms.ChoiceField(label=_("Expert"))
    on_date = forms.DateField(label=_("Release on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: object, expert_choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["expert"].choices = expert_choices  # type: ignore[attr-defined]
