"""A StaticSelect writes exactly what Django's own select box writes, and a form may share its choices."""

from __future__ import annotations

import copy

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from kpo.core.static_choices import StaticChoices, StaticSelect

PAIRS = [("", "Any country"), ("DK", "Denmark"), ("IN", "India"), ('"x"&<y>', "Tom & <Jerry>")]


@pytest.mark.parametrize("value", [None, "", "DK", "IN", '"x"&<y>', "missing", ["DK", "IN"]])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_country"}, {"id": "c", "required": True, "disabled": False}]
)
def test_markup_is_djangos(value: object, attrs: dict[str, object] | None) -> None:
    django_select = forms.Select(choices=PAIRS)
    ours = StaticSelect(choices=StaticChoices(PAIRS))
    expected = django_select.render("country", value, attrs, renderer=DjangoTemplates())
    assert ours.render("country", value, attrs) == expected


def test_a_field_keeps_the_shared_choices_through_a_form_copy() -> None:
    shared = StaticChoices(PAIRS)

    class CountryForm(forms.Form):
        country = forms.ChoiceField(required=False, widget=StaticSelect)

    form = CountryForm({"country": "XX"})
    field = form.fields["country"]
    assert isinstance(field, forms.ChoiceField)
    field.choices = shared
    assert field.choices is shared and copy.deepcopy(field).choices is shared
    assert not form.is_valid()
    assert "country" in form.errors
    valid = CountryForm({"country": "IN"})
    valid_field = valid.fields["country"]
    assert isinstance(valid_field, forms.ChoiceField)
    valid_field.choices = shared
    assert valid.is_valid(), valid.errors
    assert 'value="IN" selected' in str(valid["country"])
