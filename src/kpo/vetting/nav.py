"""Vetting's entry in the main navigation: the queue for the providers' managers; an expert's own
vetting (the queue's address sends them there)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpo.core.nav import NavLink, link, register_nav
from kpo.core.types import AnyUser
from kpo.experts.selectors import own_expert_profile
from kpo.vetting.access import managed_provider_ids

PAGES = ("vetting_queue", "vetting_policy", "vetting_expert", "vetting_passport")


def vetting_link(user: AnyUser) -> NavLink | None:
    if managed_provider_ids(user):
        return link(_("Vetting"), reverse("vetting_queue"), *PAGES)
    profile = own_expert_profile(user)
    if profile is None:
        return None
    return link(_("My vetting"), reverse("vetting_expert", args=[profile.pk]), *PAGES)


def register() -> None:
    register_nav("people", 40, vetting_link)
