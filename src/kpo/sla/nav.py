"""Service levels' entry in the main navigation: disputes, for whoever `disputes_visible_to` reads."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpo.core.nav import NavLink, link, register_nav
from kpo.core.types import AnyUser
from kpo.sla.access import reads_disputes


def disputes_link(user: AnyUser) -> NavLink | None:
    if not reads_disputes(user):
        return None
    return link(_("Disputes"), reverse("dispute_list"), "dispute_list", "dispute_detail", "dispute_create")


def register() -> None:
    register_nav("work", 40, disputes_link)
