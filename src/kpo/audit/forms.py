"""The audit page's filters. Invalid values are ignored (the field shows its error)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kpo.audit.models import AuditEvent
from kpo.audit.objects import object_kind_choices

MAX_SEARCH = 100
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2999, 12, 31)


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Who"), required=False, max_length=MAX_SEARCH, strip=True)
    event = forms.ChoiceField(label=_("Action"), required=False)
    kind = forms.ChoiceField(label=_("Object"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].widget.attrs.update({"type": "search", "placeholder": _("Name or e-mail")})
        event = self.fields["event"]
        assert isinstance(event, forms.ChoiceField)
        event.choices = [("", _("All actions")), *AuditEvent.choices]
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("All objects")), *object_kind_choices()]

    def clean_since(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("since"))

    def clean_until(self) -> dt.date | None:
        return _in_range(self.cleaned_data.get("until"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data


def _in_range(day: dt.date | None) -> dt.date | None:
    if day is not None and not EARLIEST <= day <= LATEST:
        raise forms.ValidationError(_("Give a date between the years 2000 and 2999."))
    return day
