"""Capacity's entry in the main navigation: for the managers and auditors of a provider."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpo.capacity.access import readable_provider_ids
from kpo.core.nav import NavLink, link, register_nav
from kpo.core.types import AnyUser


def capacity_link(user: AnyUser) -> NavLink | None:
    if not readable_provider_ids(user):
        return None
    return link(_("Capacity"), reverse("capacity"), "capacity")


def register() -> None:
    register_nav("people", 15, capacity_link)
