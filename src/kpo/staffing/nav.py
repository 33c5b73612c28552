"""Staffing's entry in the main navigation: the runs, for the providers' managers."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpo.core.nav import NavLink, link, register_nav
from kpo.core.types import AnyUser
from kpo.staffing.access import managed_provider_ids


def staffing_link(user: AnyUser) -> NavLink | None:
    if not managed_provider_ids(user):
        return None
    return link(_("Staffing"), reverse("staffing_runs"), "staffing_runs", "staffing_run_detail")


def register() -> None:
    register_nav("work", 30, staffing_link)
