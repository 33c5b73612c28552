"""Redaction's entry in the main navigation: the client's sensitive terms."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kpo.core.nav import NavLink, organisation_link, register_nav
from kpo.core.types import AnyUser
from kpo.redaction.access import term_client_id


def sensitive_terms_link(user: AnyUser) -> NavLink | None:
    return organisation_link(_("Sensitive terms"), "sensitive_terms", term_client_id(user))


def register() -> None:
    register_nav("organisation", 30, sensitive_terms_link)
