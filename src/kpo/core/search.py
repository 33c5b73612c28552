"""The search box of a long list of people: one text field, read from the query string, so it works
without JavaScript; an invalid value is ignored (the field shows its error)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MAX_SEARCH = 100
NAME_OR_EMAIL = _("Name or e-mail")


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label=_("Find people"), required=False, max_length=MAX_SEARCH, strip=True)

    def __init__(self, *args: Any, placeholder: str | Promise = NAME_OR_EMAIL, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": placeholder})

    def text(self) -> str:
        """The valid search text, or "" (call after `is_valid`)."""
        return str(getattr(self, "cleaned_data", {}).get("q") or "")
