"""Quality's entry in the main navigation: the quality dashboard, for whoever has a scope on it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpo.core.nav import NavLink, link, register_nav
from kpo.core.types import AnyUser
from kpo.quality.access import dashboard_scope


def quality_link(user: AnyUser) -> NavLink | None:
    if not dashboard_scope(user):
        return None
    return link(_("Quality"), reverse("quality_dashboard"), "quality_dashboard")


def register() -> None:
    register_nav("work", 35, quality_link)
