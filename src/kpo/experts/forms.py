from __future__ import annotations

from functools import cache
from typing import Any

import pycountry
from django import forms
from django.utils.translation import gettext_lazy as _

from kpo.experts.models import DegreeLevelChoice, DomainChoice


@cache
def country_choices() -> list[tuple[str, str]]:
    return sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda item: item[1])


@cache
def language_choices() -> list[tuple[str, str]]:
    return sorted(
        ((lang.alpha_2, lang.name) for lang in pycountry.languages if hasattr(lang, "alpha_2")),
        key=lambda item: item[1],
    )


class ExpertFilterForm(forms.Form):
    """The directory's filters. Invalid values are ignored (the field shows its error)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    domain = forms.ChoiceField(label=_("Domain"), required=False)
    skill = forms.IntegerField(
        label=_("Skill"), required=False, min_value=1, max_value=2**63 - 1, widget=forms.Select
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    degree = forms.ChoiceField(label=_("Degree"), required=False)

    def __init__(self, *args: Any, skill_label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": _("Name or headline")})
        for name, empty, choices in (
            ("domain", _("Any domain"), DomainChoice.choices),
            ("country", _("Any country"), country_choices()),
            ("language", _("Any language"), language_choices()),
            ("degree", _("Any degree"), DegreeLevelChoice.choices),
        ):
            choice_field = self.fields[name]
            assert isinstance(choice_field, forms.ChoiceField)
            choice_field.choices = [("", empty), *choices]
        options: list[tuple[object, object]] = [("", _("Any skill"))]
        current = self.data.get("skill") if self.is_bound else None
        if skill_label and current:
            options.append((current, skill_label))
        skill_widget = self.fields["skill"].widget
        assert isinstance(skill_widget, forms.Select)
        skill_widget.choices = options
