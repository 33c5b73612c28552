"""Template helpers: form fields with accessible errors, money, and small display filters."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import format_decimal
from django import template
from django.forms import BoundField
from django.utils import formats
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


NAV_SECTIONS = {
    "dashboard": "dashboard",
    "engagement_list": "engagements",
    "engagement_create": "engagements",
    "engagement_detail": "engagements",
    "engagement_edit": "engagements",
    "task_create": "engagements",
    "task_list": "tasks",
    "task_detail": "tasks",
    "task_edit": "tasks",
    "expert_list": "experts",
    "expert_detail": "experts",
    "my_profile": "me",
    "organisation_detail": "organisation",
    "token_list": "tokens",
    "password_change": "account",
    "password_change_done": "account",
}


@register.simple_tag(takes_context=True)
def nav_section(context: template.Context) -> str:
    """Which main-nav entry the current page belongs to (for aria-current)."""
    if "request_path" in context or "exception" in context:
        return ""  # an error page: the URL matched, but the user is not on that page
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return NAV_SECTIONS.get(getattr(match, "url_name", "") or "", "")


@register.filter
def role_label(value: str) -> str:
    """The translated name of a membership role ("operator" for the platform's staff)."""
    from django.utils.translation import gettext

    from kpo.orgs.models import RoleChoice

    if value == "operator":
        return gettext("Platform operator")
    try:
        return str(RoleChoice(value).label)
    except ValueError:
        return value.replace("_", " ").capitalize()


@register.filter(expects_localtime=True)
def when(value: Any) -> str:
    """A moment in the viewer's time zone, the same way on every page: "15 Jan 2027, 12:00 CET"."""
    if not value:
        return ""
    return formats.date_format(value, "j M Y, H:i T")


@register.filter(expects_localtime=True)
def day(value: Any) -> str:
    """A calendar date: "15 Jan 2027" (month names follow the active language)."""
    if not value:
        return ""
    return formats.date_format(value, "j M Y")


@register.filter
def country(code: str) -> str:
    """An ISO 3166 country code as its English short name ("IN" → "India")."""
    from kpo.core.validators import country_name

    return country_name(code) if code else ""


@register.filter
def language(code: str) -> str:
    """An ISO 639-1 language code as its English name ("da" → "Danish")."""
    from kpo.core.validators import language_name

    return language_name(code) if code else ""


@register.simple_tag(takes_context=True)
def home_organisation(context: template.Context) -> Any:
    """The organisation the nav's "Organisation" link opens: the user's first (memberships are cached)."""
    from kpo.orgs.selectors import organisations_of

    user = context.get("user")
    if user is None or not user.is_authenticated:
        return None
    organisations = organisations_of(user)
    return organisations[0] if organisations else None
