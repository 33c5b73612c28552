"""Confidentiality's entry in the main navigation: the client's vault (NDAs, downloads, leak tracing)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpo.confidentiality.access import vault_client_id
from kpo.core.nav import NavLink, link, register_nav
from kpo.core.types import AnyUser


def vault_link(user: AnyUser) -> NavLink | None:
    client_id = vault_client_id(user)
    if client_id is None:
        return None
    return link(
        _("Vault and NDAs"),
        reverse("vault_overview", args=[client_id]),
        "vault_overview",
        "nda_templates",
        "nda_template_edit",
        "leak_trace",
        "document_wording",
    )


def register() -> None:
    register_nav("organisation", 20, vault_link)
