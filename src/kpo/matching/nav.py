"""Matching's entry in the main navigation: the client's matching weights, for its admins."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kpo.core.nav import NavLink, organisation_link, register_nav
from kpo.core.types import AnyUser
from kpo.matching.access import weights_client_id
from kpo.matching.bench import benches_client_id


def weights_link(user: AnyUser) -> NavLink | None:
    return organisation_link(_("Matching weights"), "matching_weights", weights_client_id(user))


def benches_link(user: AnyUser) -> NavLink | None:
    link = organisation_link(_("Talent benches"), "talent_benches", benches_client_id(user))
    if link is None:
        return None
    return NavLink(link.label, link.url, link.url_names | {"talent_bench_detail"})


def register() -> None:
    register_nav("organisation", 50, weights_link)
    register_nav("people", 45, benches_link)
