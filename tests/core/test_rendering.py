"""Select boxes written by kpo's form renderer are the markup Django's templates write."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy

from kpo.core.rendering import FormRenderer

HOSTILE = "<script>alert(\"x\")</script> & 'quotes'"


class ChoicesForm(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "Any"), ("a", "Alpha"), ("b", HOSTILE), (3, gettext_lazy("Three"))]
    )
    grouped = forms.ChoiceField(
        choices=[
            ("Nordic", [("dk", "Denmark"), ("se", "Sweden")]),
            ("Asia", [("in", "India")]),
            ("x", "Other"),
        ]
    )
    many = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two"), ("3", "Three")])
    flagged = forms.ChoiceField(
        choices=[("y", "Yes")],
        widget=forms.Select(attrs={"disabled": True, "hidden": False, "data-x": HOSTILE, "class": "short"}),
    )
    optional_number = forms.TypedChoiceField(choices=[(None, "None"), (1, "One")], coerce=int, required=False)


def _render(form: forms.Form, renderer: object) -> list[str]:
    form.renderer = renderer  # type: ignore[assignment]
    return [str(form[name].as_widget(attrs={"aria-describedby": "help"})) for name in form.fields]


def test_select_markup_matches_django_for_bound_and_unbound_forms() -> None:
    for data in (None, {"plain": "b", "grouped": "se", "many": ["1", "3"], "flagged": "y"}):
        expected = _render(ChoicesForm(data), DjangoTemplates())
        written = _render(ChoicesForm(data), FormRenderer())
        assert written == expected


def test_hostile_labels_and_attributes_are_escaped() -> None:
    html = "".join(_render(ChoicesForm(), FormRenderer()))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_other_widgets_still_render_through_templates() -> None:
    class Other(forms.Form):
        name = forms.CharField()
        choice = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)

    assert _render(Other(), FormRenderer()) == _render(Other(), DjangoTemplates())
