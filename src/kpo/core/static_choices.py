"""Long, fixed choice lists (countries, languages) shared by every form of a process.

Given a plain list, Django normalises a choice field's choices each time a form is made and writes
each option of its select box through the template engine: for a few hundred countries that was most
of what a filter form cost. `StaticChoices` is normalised once (Django passes its own iterator type
through untouched) and keeps each option's markup, so `StaticSelect` writes the box by joining
strings. The markup is the markup of Django's `select.html` and `select_option.html` (and of
`kpo.core.rendering`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from kpo.core.rendering import attrs_html


class StaticChoices(BaseChoiceIterator):
    """An immutable list of (value, label) pairs with each option's markup written once."""

    def __init__(self, pairs: Iterable[tuple[object, object]]) -> None:
        self.pairs: tuple[tuple[str, str], ...] = tuple((str(value), str(label)) for value, label in pairs)
        self._markup: tuple[tuple[str, str, str], ...] = tuple(
            (value, f'<option value="{conditional_escape(value)}"', f">{conditional_escape(label)}</option>")
            for value, label in self.pairs
        )

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)

    def __deepcopy__(self, memo: dict[int, Any]) -> StaticChoices:
        return self  # immutable: every form may share it

    def options_html(self, selected: set[str], *, multiple: bool) -> str:
        """The options' markup; without `multiple`, only the first option whose value is selected is."""
        parts = []
        for value, opening, closing in self._markup:
            chosen = value in selected
            if chosen and not multiple:
                selected = set()
            parts.append(f"\n  {opening}{' selected' if chosen else ''}{closing}\n")
        return "".join(parts)


class StaticSelect(forms.Select):
    """A select box over `StaticChoices`, written without the template engine."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        choices = self.choices
        if not isinstance(choices, StaticChoices):
            return super().render(name, value, attrs, renderer)
        final_attrs = self.build_attrs(self.attrs, attrs)
        selected = set(self.format_value(value))
        opening = f'<select name="{conditional_escape(name)}"{attrs_html(final_attrs)}>'
        options = choices.options_html(selected, multiple=self.allow_multiple_selected)
        return mark_safe(f"{opening}{options}\n</select>")  # noqa: S308 - every part is escaped
