"""The glossary term form (its rules are checked again in the service)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kpo.glossary.models import DEFINITION_MAX_LENGTH, FORM_MAX_LENGTH, GlossaryTerm


class GlossaryTermForm(forms.Form):
    english = forms.CharField(label=_("English"), max_length=FORM_MAX_LENGTH)
    danish = forms.CharField(label=_("Danish"), max_length=FORM_MAX_LENGTH)
    definition = forms.CharField(
        label=_("Definition"),
        max_length=DEFINITION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the term means in this engagement, in a sentence or two."),
    )

    @classmethod
    def for_term(cls, term: GlossaryTerm) -> GlossaryTermForm:
        return cls(initial={"english": term.english, "danish": term.danish, "definition": term.definition})
