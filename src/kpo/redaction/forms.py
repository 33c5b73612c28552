"""The sensitive-term form (its rules are checked again in the service)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kpo.redaction.models import TERM_MAX_LENGTH, SensitiveTerm, TermCategory


class SensitiveTermForm(forms.Form):
    term = forms.CharField(
        label=_("Term"),
        max_length=TERM_MAX_LENGTH,
        help_text=_("A word or phrase; matched as whole words, without regard to case."),
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=TermCategory.choices, initial=TermCategory.PRODUCT
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("Optional: why it is sensitive (shown only to the client)."),
    )

    @classmethod
    def for_term(cls, term: SensitiveTerm) -> SensitiveTermForm:
        return cls(initial={"term": term.term, "category": term.category, "note": term.note})
