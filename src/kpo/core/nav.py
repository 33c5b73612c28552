"""The main navigation: each app registers the pages it owns, and decides with its own access helpers
whether this user may use them, so the menus cannot drift from the pages' doors.

An app registers an entry in its AppConfig.ready():

    register_nav("money", 20, rate_cards_link)

where `rate_cards_link(user)` returns a `NavLink` (label, URL and the URL names that count as this page)
or None when the user may not use the page. Groups are shown in GROUPS order, links by their `order`;
a group with one link is shown as that link, a group with none is left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kpo.core.types import AnyUser

GROUPS: dict[str, Promise] = {
    "home": _("Dashboard"),
    "work": _("Work"),
    "people": _("People"),
    "money": _("Money"),
    "organisation": _("Organisation"),
}


@dataclass(frozen=True)
class NavLink:
    label: str | Promise
    url: str
    url_names: frozenset[str]

    def is_current(self, url_name: str) -> bool:
        return url_name in self.url_names


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str | Promise
    links: list[NavLink]

    def is_current(self, url_name: str) -> bool:
        return any(link.is_current(url_name) for link in self.links)


NavProvider = Callable[[AnyUser], NavLink | None]

_ENTRIES: list[tuple[str, int, NavProvider]] = []


def register_nav(group: str, order: int, provider: NavProvider) -> None:
    if group not in GROUPS:
        raise ValueError(f"Unknown navigation group {group!r}; expected one of {', '.join(GROUPS)}.")
    if all(entry[2] is not provider for entry in _ENTRIES):
        _ENTRIES.append((group, order, provider))


def nav_for(user: AnyUser) -> list[NavGroup]:
    """The groups of links this user may use, in order; empty for someone not signed in."""
    if not user.is_authenticated:
        return []
    groups: list[NavGroup] = []
    for key, label in GROUPS.items():
        entries = sorted((entry for entry in _ENTRIES if entry[0] == key), key=lambda entry: entry[1])
        links = [link for _group, _order, provider in entries if (link := provider(user)) is not None]
        if links:
            groups.append(NavGroup(key=key, label=label, links=links))
    return groups


def link(label: str | Promise, url: str, *url_names: str) -> NavLink:
    return NavLink(label=label, url=url, url_names=frozenset(url_names))


def organisation_link(label: str | Promise, url_name: str, organisation_id: int | None) -> NavLink | None:
    """The link to an organisation's page named `url_name`, or None when the user has no such page."""
    if organisation_id is None:
        return None
    return link(label, reverse(url_name, args=[organisation_id]), url_name)
