"""Matching's entry in the main navigation: the client's matching weights, for its admins."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kpo.core.nav import NavLink, organisation_link, register_nav
from kpo.core.types import AnyUser
from kpo.matching.access import weights_client_id


def weights_link(user: AnyUser) -> NavLink | None:
    return organisation_link(_("Matching weights"), "matching_weights", weights_client_id(user))


def register() -> None:
    register_nav("organisation", 50, weights_link)
