"""Organisations' entries in the main navigation: the user's own organisation and their API tokens."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpo.core.nav import NavLink, link, register_nav
from kpo.core.types import AnyUser
from kpo.orgs.selectors import organisations_of


def organisation_link(user: AnyUser) -> NavLink | None:
    organisations = organisations_of(user)
    if not organisations:
        return None
    return link(
        _("Members and settings"),
        reverse("organisation_detail", args=[organisations[0].pk]),
        "organisation_detail",
        "member_edit",
        "invitation_create",
        "break_glass",
        "organisation_two_factor",
    )


def tokens_link(user: AnyUser) -> NavLink:
    return link(_("API tokens"), reverse("token_list"), "token_list")


def register() -> None:
    register_nav("organisation", 10, organisation_link)
    register_nav("organisation", 90, tokens_link)
