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
