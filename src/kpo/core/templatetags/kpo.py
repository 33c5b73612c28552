"""Template helpers: form fields with accessible errors, money, and small display filters."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import format_decimal
from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString
from django.utils.translation import get_language, to_locale

register = template.Library()

CHECK_WIDGETS = {"checkbox"}


def _babel_locale() -> str:
    return to_locale(get_language() or "en")


@register.filter
def money(amount: Any, currency: str = "") -> str:
    """`1234.5|money:"DKK"` → "1,234.50 DKK" (grouping and decimal mark follow the active language)."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return str(amount)
    text = format_decimal(value, format="#,##0.00", locale=_babel_locale())
    return f"{text} {currency}".strip()


@register.filter
def number(amount: Any, digits: int = 1) -> str:
    """A localised number with up to `digits` decimals: 1.5, 1,5 in Danish."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return str(amount)
    pattern = "#,##0." + "#" * int(digits) if int(digits) > 0 else "#,##0"
    return format_decimal(value, format=pattern, locale=_babel_locale())


@register.inclusion_tag("includes/field.html")
def field(bound: BoundField, **attrs: Any) -> dict[str, Any]:
    """One labelled form field, its help text and its errors, tied together with aria attributes."""
    described = []
    if bound.help_text:
        described.append(f"{bound.auto_id}_help")
    if bound.errors:
        described.append(f"{bound.auto_id}_errors")
    widget_attrs: dict[str, Any] = dict(attrs)
    if described:
        widget_attrs["aria-describedby"] = " ".join(described)
    if bound.errors:
        widget_attrs["aria-invalid"] = "true"
    widget: SafeString = bound.as_widget(attrs=widget_attrs)
    return {
        "field": bound,
        "widget": widget,
        "is_check": bound.widget_type in CHECK_WIDGETS,
    }
