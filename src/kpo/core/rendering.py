"""The form renderer: Django's templates, except select boxes, which are written directly.

A country or language filter has a few hundred options; through the template engine each option is
two template includes, which made select boxes most of the CPU a page with filters costs. The markup
written here is the markup of Django's own `select.html`, `select_option.html` and `attrs.html`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

SELECT_TEMPLATES = frozenset({"django/forms/widgets/select.html"})
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def attrs_html(attrs: Mapping[str, Any]) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _option(option: Mapping[str, Any]) -> str:
    value = conditional_escape(str(option["value"]))
    label = conditional_escape(option["label"])
    return f'<option value="{value}"{attrs_html(option["attrs"])}>{label}</option>'


def render_select(widget: Mapping[str, Any]) -> SafeString:
    """The HTML of a select widget's context, as Django's select templates would write it."""
    out = [f'<select name="{conditional_escape(widget["name"])}"{attrs_html(widget["attrs"])}>']
    groups: Iterable[tuple[Any, list[Mapping[str, Any]], int]] = widget["optgroups"]
    for group_name, options, _index in groups:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        out.extend(f"\n  {_option(option)}\n" for option in options)  # the option template ends in a newline
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def _plain_options(widget: Mapping[str, Any]) -> bool:
    return all(
        option.get("template_name") == OPTION_TEMPLATE
        for _name, options, _index in widget["optgroups"]
        for option in options
    )


class FormRenderer(DjangoTemplates):
    """Django's default renderer, with select boxes written without the template engine."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if template_name in SELECT_TEMPLATES and isinstance(widget, dict) and _plain_options(widget):
            return render_select(widget)
        return super().render(template_name, context, request=request)
