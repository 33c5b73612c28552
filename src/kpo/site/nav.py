"""The site's entry in the main navigation: the dashboard."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpo.core.nav import NavLink, link, register_nav
from kpo.core.types import AnyUser


def dashboard_link(user: AnyUser) -> NavLink:
    return link(_("Dashboard"), reverse("dashboard"), "dashboard")


def register() -> None:
    register_nav("home", 10, dashboard_link)
