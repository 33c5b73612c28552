from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import pycountry
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kpo.core.static_choices import StaticChoices, StaticSelect
from kpo.core.validators import country_name, language_name, name_sort_key
from kpo.experts.models import DegreeLevelChoice, DomainChoice


@cache
def country_choices(language: str = "en") -> list[tuple[str, str]]:
    """Countries named and sorted in `language` (the active language when the cache was filled)."""
    names = ((c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries)
    return sorted(names, key=lambda item: name_sort_key(item[1]))


@cache
def language_choices(language: str = "en") -> list[tuple[str, str]]:
    """Languages named and sorted in `language` (the active language when the cache was filled)."""
    names = (
        (lang.alpha_2, language_name(lang.alpha_2))
        for lang in pycountry.languages
        if hasattr(lang, "alpha_2")
    )
    return sorted(names, key=lambda item: name_sort_key(item[1]))


@cache
def filter_choices(name: str, language: str) -> StaticChoices:
    """The directory filter's options for `name`, in `language` (the active language on first use)."""
    options: dict[str, tuple[object, Sequence[tuple[object, object]]]] = {
        "domain": (_("Any domain"), DomainChoice.choices),
        "country": (_("Any country"), country_choices(language)),
        "language": (_("Any language"), language_choices(language)),
        "degree": (_("Any degree"), DegreeLevelChoice.choices),
    }
    empty, choices = options[name]
    return StaticChoices([("", empty), *choices])


class ExpertFilterForm(forms.Form):
    """The directory's filters. Invalid values are ignored (the field shows its error)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    domain = forms.ChoiceField(label=_("Domain"), required=False, widget=StaticSelect)
    skill = forms.IntegerField(
        label=_("Skill"), required=False, min_value=1, max_value=2**63 - 1, widget=forms.Select
    )
    country = forms.ChoiceField(label=_("Country"), required=False, widget=StaticSelect)
    language = forms.ChoiceField(label=_("Language"), required=False, widget=StaticSelect)
    degree = forms.ChoiceField(label=_("Degree"), required=False, widget=StaticSelect)

    def __init__(self, *args: Any, skill_label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": _("Name or headline")})
        language = get_language() or "en"
        for name in ("domain", "country", "language", "degree"):
            choice_field = self.fields[name]
            assert isinstance(choice_field, forms.ChoiceField)
            choice_field.choices = filter_choices(name, language)
        options: list[tuple[object, object]] = [("", _("Any skill"))]
        current = self.data.get("skill") if self.is_bound else None
        if skill_label and current:
            options.append((current, skill_label))
        skill_widget = self.fields["skill"].widget
        assert isinstance(skill_widget, forms.Select)
        skill_widget.choices = options
