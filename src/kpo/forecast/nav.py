"""The forecast's entry in the main navigation (Work group), for provider managers and client admins."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpo.core.nav import NavLink, link, register_nav
from kpo.core.types import AnyUser
from kpo.forecast.access import forecast_scope


def forecast_link(user: AnyUser) -> NavLink | None:
    if forecast_scope(user).empty:
        return None
    return link(_("Demand forecast"), reverse("demand_forecast"), "demand_forecast")


def register() -> None:
    register_nav("work", 35, forecast_link)
