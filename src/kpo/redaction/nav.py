"""Redaction's entry in the main navigation: the client's sensitive terms."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpo.core.nav import NavLink, link, register_nav
from kpo.core.types import AnyUser
from kpo.redaction.access import term_client_id


def sensitive_terms_link(user: AnyUser) -> NavLink | None:
    client_id = term_client_id(user)
    if client_id is None:
        return None
    return link(_("Sensitive terms"), reverse("sensitive_terms", args=[client_id]), "sensitive_terms")


def register() -> None:
    register_nav("organisation", 30, sensitive_terms_link)
