"""Experts' entries in the main navigation: the directory, and an expert's own profile."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpo.core.nav import NavLink, link, register_nav
from kpo.core.types import AnyUser
from kpo.experts.selectors import own_expert_profile


def experts_link(user: AnyUser) -> NavLink:
    return link(_("Experts"), reverse("expert_list"), "expert_list", "expert_detail")


def my_profile_link(user: AnyUser) -> NavLink | None:
    if own_expert_profile(user) is None:
        return None
    return link(_("My profile"), reverse("my_profile"), "my_profile")


def register() -> None:
    register_nav("people", 10, experts_link)
    register_nav("people", 20, my_profile_link)
