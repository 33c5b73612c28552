"""Compliance's entries in the main navigation: an expert's declared conflicts, a client's settings."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpo.compliance.access import settings_client_id
from kpo.core.nav import NavLink, link, organisation_link, register_nav
from kpo.core.types import AnyUser
from kpo.experts.selectors import own_expert_profile


def my_conflicts_link(user: AnyUser) -> NavLink | None:
    if own_expert_profile(user) is None:
        return None
    return link(_("My conflicts of interest"), reverse("my_conflicts"), "my_conflicts")


def compliance_link(user: AnyUser) -> NavLink | None:
    return organisation_link(_("Compliance"), "compliance_settings", settings_client_id(user))


def register() -> None:
    register_nav("people", 30, my_conflicts_link)
    register_nav("organisation", 40, compliance_link)
