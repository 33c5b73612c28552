"""Template helpers: form fields with accessible errors, the display filters of kpo.core.formatting,
navigation, panels, and the block tags table, plain_list and postform (each wraps its body in an
includes/ template)."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from kpo.core import formatting
from kpo.core.nav import NavGroup, nav_for
from kpo.core.panels import Panel, panels_for
from kpo.notices.selectors import unread_count
from kpo.orgs import break_glass
from kpo.orgs.models import RoleChoice

register = template.Library()

register.filter("money", formatting.money)
register.filter("number", formatting.number)
register.filter("when", formatting.when, expects_localtime=True)
register.filter("day", formatting.day, expects_localtime=True)
register.filter("country", formatting.country)
register.filter("language", formatting.language)

CHECK_WIDGETS = {"checkbox"}


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


ACCOUNT_SECTIONS = {
    "password_change": "account",
    "password_change_done": "account",
    "two_factor": "two_factor",
    "two_factor_recovery_codes": "two_factor",
    "two_factor_off": "two_factor",
    "notice_list": "notices",
    "email_preferences": "email",
}


def _url_name(context: template.Context) -> str:
    if "request_path" in context or "exception" in context:
        return ""  # an error page: the URL matched, but the user is not on that page
    match = getattr(context.get("request"), "resolver_match", None)
    return getattr(match, "url_name", "") or ""


@register.simple_tag(takes_context=True)
def nav_section(context: template.Context) -> str:
    """Which account link (top right) the current page belongs to (for aria-current)."""
    return ACCOUNT_SECTIONS.get(_url_name(context), "")


@register.simple_tag(takes_context=True)
def current_url_name(context: template.Context) -> str:
    """The URL name of the page being shown ("" on error pages), which marks the main menu's entry."""
    return _url_name(context)


@register.simple_tag(takes_context=True)
def main_nav(context: template.Context) -> list[NavGroup]:
    """The menus of pages this user may use, as the apps registered them (kpo.core.nav); asking does not
    count as using a break-glass grant."""
    user = context.get("user")
    if user is None:
        return []
    with break_glass.peeking():
        return nav_for(user)


@register.simple_tag(takes_context=True)
def unread_notices(context: template.Context) -> int:
    """How many notices the signed-in user has not read (one query, kept for the rest of the request)."""
    request = context.get("request")
    user = context.get("user")
    if request is None or user is None or not user.is_authenticated:
        return 0
    cached: int | None = getattr(request, "_kpo_unread_notices", None)
    if cached is None:
        cached = unread_count(user)
        request._kpo_unread_notices = cached
    return cached


@register.filter
def nav_current(group: NavGroup, url_name: str) -> bool:
    """Whether the page being shown is one of the group's (its menu is then marked)."""
    return group.is_current(url_name)


@register.filter
def role_label(value: str) -> str:
    """The translated name of a membership role ("operator" for the platform's staff)."""
    if value == "operator":
        return gettext("Platform operator")
    try:
        return str(RoleChoice(value).label)
    except ValueError:
        return value.replace("_", " ").capitalize()


@register.simple_tag(takes_context=True)
def panels(context: template.Context, slot: str, obj: Any) -> list[Panel]:
    """The panels other apps registered for `slot` of this page (see kpo.core.panels)."""
    request = context.get("request")
    if request is None:
        return []
    return panels_for(slot, request, obj)


class WrapperNode(template.Node):
    """The markup between a tag and its end tag, placed in a wrapper template with the tag's arguments."""

    def __init__(
        self,
        wrapper: str,
        nodelist: NodeList,
        arguments: dict[str, FilterExpression],
        defaults: dict[str, Any],
    ):
        self.wrapper = wrapper
        self.nodelist = nodelist
        self.arguments = arguments
        self.defaults = defaults

    def render(self, context: template.Context) -> str:
        values = self.defaults | {name: value.resolve(context) for name, value in self.arguments.items()}
        values |= {"body": self.nodelist.render(context), "csrf_token": context.get("csrf_token")}
        engine = context.template.engine if context.template is not None else template.Engine.get_default()
        wrapper = engine.get_template(self.wrapper)
        return wrapper.render(template.Context(values, autoescape=context.autoescape))


def _wrapper_tag(
    parser: Parser, token: Token, wrapper: str, positional: str | None, keywords: dict[str, Any]
) -> WrapperNode:
    bits = token.split_contents()
    name, given = bits[0], bits[1:]
    arguments: dict[str, FilterExpression] = {}
    if positional is not None:
        if not given:
            raise template.TemplateSyntaxError(f"{name} needs its {positional}")
        arguments[positional] = parser.compile_filter(given.pop(0))
    count = len(given)
    named = template.base.token_kwargs(given, parser)  # consumes what it parses
    if len(named) != count or set(named) - set(keywords):
        allowed = ", ".join(f"{keyword}=" for keyword in keywords)
        raise template.TemplateSyntaxError(f"{name} takes {positional or 'nothing'} and then only {allowed}")
    nodelist = parser.parse((f"end{name}",))
    parser.delete_first_token()
    return WrapperNode(wrapper, nodelist, arguments | named, keywords)


@register.tag
def table(parser: Parser, token: Token) -> WrapperNode:
    """A scrollable table with a caption for screen readers, its head and body between the tags:

        {% table _("Caption") rows=items empty=_("Nothing yet.") %}<thead>…</thead>…{% endtable %}

    With ``rows`` the table shows only when it has rows, else the ``empty`` note (if any); ``class``
    styles the table."""
    defaults = {"rows": True, "empty": "", "class": ""}
    return _wrapper_tag(parser, token, "includes/table.html", "caption", defaults)


@register.tag
def plain_list(parser: Parser, token: Token) -> WrapperNode:
    """An unstyled list of the items between the tags, or the ``empty`` note when ``rows`` has none:

    {% plain_list rows=items empty=_("None yet.") %}<li>…</li>…{% endplain_list %}
    """
    return _wrapper_tag(parser, token, "includes/plain_list.html", None, {"rows": True, "empty": ""})


@register.tag
def postform(parser: Parser, token: Token) -> WrapperNode:
    """A form that posts `form` (its CSRF token and errors first), its fields between the tags:

        {% postform form action=url multipart=True submit=_("Save") %}{% field form.name %}{% endpostform %}

    ``action`` defaults to the page itself; ``submit`` is the label of the primary button (a danger
    button with ``danger=True``; without it the fields bring their own buttons); ``cancel=url`` adds a
    Cancel link beside it; ``fold=_("Summary")`` folds the form under that summary, open when the
    form has errors."""
    defaults = {"action": "", "multipart": False, "submit": "", "cancel": "", "danger": False, "fold": ""}
    return _wrapper_tag(parser, token, "includes/postform.html", "form", defaults)
