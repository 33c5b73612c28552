"""Template helpers: form fields with accessible errors, money, and small display filters."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from django import template
from django.forms import BoundField
from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, to_locale

from kpo.core.panels import Panel, panels_for

register = template.Library()

CHECK_WIDGETS = {"checkbox"}


BABEL_LOCALES = {"en": "en_GB"}  # the interface is written in British English: "15 Jan 2027"
CODE_NEXT_TO_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def _babel_locale() -> str:
    language = get_language() or "en"
    return BABEL_LOCALES.get(language, to_locale(language))


@register.filter
def money(amount: Any, currency: str = "") -> str:
    """`100000|money:"DKK"` → "DKK 100,000.00" in English, "100.000,00 kr." in Danish (babel, CLDR).

    A currency code written next to the digits gets a no-break space ("DKK 100,000.00"), which CLDR asks
    for and babel leaves out; symbols stay attached ("€60.00").
    """
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return str(amount)
    if not currency:
        return format_decimal(value, format="#,##0.00", locale=_babel_locale())
    text = format_currency(value, currency.upper(), locale=_babel_locale())
    return CODE_NEXT_TO_DIGIT.sub("\u00a0", text)


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
    "member_edit": "organisation",
    "matching_weights": "organisation",
    "find_experts": "tasks",
    "staffing_runs": "staffing",
    "staffing_run_detail": "staffing",
    "token_list": "tokens",
    "password_change": "account",
    "password_change_done": "account",
    "notice_list": "notices",
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
    """A moment in the viewer's time zone: "15 Jan 2027, 12:00 CET" (Danish "15. jan. 2027 kl. 12:00 CET")."""
    if not value:
        return ""
    # Translators: a date and a time of day: "15 Jan 2027, 12:00 CET".
    return gettext("%(date)s, %(time)s") % {"date": day(value), "time": formats.date_format(value, "H:i T")}


@register.filter(expects_localtime=True)
def day(value: Any) -> str:
    """A calendar date in the active language's medium form: "15 Jan 2027", "15. jan. 2027"."""
    if not value:
        return ""
    return format_date(value, format="medium", locale=_babel_locale())


@register.filter
def country(code: str) -> str:
    """An ISO 3166 country code as its short name in the active language ("IN" → "India", "Indien")."""
    from kpo.core.validators import country_name

    return country_name(code) if code else ""


@register.filter
def language(code: str) -> str:
    """An ISO 639-1 language code as its name in the active language ("da" → "Danish", "Dansk")."""
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


@register.simple_tag(takes_context=True)
def manages_a_provider(context: template.Context) -> bool:
    """Whether the signed-in user is a provider manager somewhere (the staffing plans are theirs)."""
    from kpo.engine.taxonomy import Role
    from kpo.orgs.selectors import roles_of

    return Role.PROVIDER_MANAGER.value in roles_of(context["request"].user)


@register.simple_tag(takes_context=True)
def panels(context: template.Context, slot: str, obj: Any) -> list[Panel]:
    """The panels other apps registered for `slot` of this page (see kpo.core.panels)."""
    request = context.get("request")
    if request is None:
        return []
    return panels_for(slot, request, obj)
