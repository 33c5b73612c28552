"""Economics' entries in the main navigation: the client's commercials, rate cards and make-or-buy,
each shown when the page's own access rule lets the user in."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpo.core.nav import NavLink, link, register_nav
from kpo.core.types import AnyUser
from kpo.economics.commercials.access import dashboard_client_ids, rate_card_readers
from kpo.economics.make_or_buy.access import scenario_client_id


def commercials_link(user: AnyUser) -> NavLink | None:
    if not dashboard_client_ids(user):
        return None
    return link(
        _("Commercials"),
        reverse("client_commercials"),
        "client_commercials",
        "engagement_commercials",
        "engagement_terms",
        "time_approval",
        "invoice_issue",
        "invoice_detail",
    )


def rate_cards_link(user: AnyUser) -> NavLink | None:
    if not rate_card_readers(user):
        return None
    return link(_("Rate cards"), reverse("rate_cards"), "rate_cards")


def make_or_buy_link(user: AnyUser) -> NavLink | None:
    if scenario_client_id(user) is None:
        return None
    return link(_("Make or buy"), reverse("make_or_buy"), "make_or_buy", "scenario_detail", "scenario_delete")


def register() -> None:
    register_nav("money", 10, commercials_link)
    register_nav("money", 20, rate_cards_link)
    register_nav("money", 30, make_or_buy_link)
