"""Matching's entry in the main navigation: the client's matching weights, for its admins."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpo.core.nav import NavLink, link, register_nav
from kpo.core.types import AnyUser
from kpo.matching.access import weights_client_id


def weights_link(user: AnyUser) -> NavLink | None:
    client_id = weights_client_id(user)
    if client_id is None:
        return None
    return link(_("Matching weights"), reverse("matching_weights", args=[client_id]), "matching_weights")


def register() -> None:
    register_nav("organisation", 50, weights_link)
