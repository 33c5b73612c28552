"""The lifecycle walk in Danish: the language is chosen with the switch in the page header and stays
chosen through every sign-out and sign-in; every text the walk reads comes from the Danish catalogue."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.cast import Cast
from tests.e2e.walk import Walk, lifecycle

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_lifecycle_in_danish(page: Page, shot, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    lifecycle(Walk(page, shot, language="da"))


def test_directory_and_figures_in_danish(page: Page, shot, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    """Countries, languages, money and dates on the list and profile pages read as Danish."""
    walk = Walk(page, shot, language="da")
    page.goto("/login/")
    walk.choose_language()
    walk.sign_in("alice")
    walk.go("Engagements")
    row = page.get_by_role("row").filter(has_text=cast.engagement_a.title)
    expect(row).to_contain_text(walk.money(cast.engagement_a.budget, cast.engagement_a.currency))
    shot("01-engagement-list")
    walk.go("Experts")
    country = page.get_by_label(walk.t("Country"), exact=True)
    expect(country.locator("option", has_text="Danmark")).to_have_count(1)
    country.select_option(label="Indien")
    page.get_by_role("button", name=walk.t("Apply")).click()
    expect(page.get_by_role("link", name="Carol Expert")).to_be_visible()
    shot("02-expert-list")
    page.get_by_role("link", name="Carol Expert").click()
    profile = cast.carol.expert_profile
    expect(page.locator("[aria-labelledby=facts-title] .facts")).to_contain_text(
        walk.money(profile.bill_rate, profile.rate_currency)
    )
    expect(page.locator("[aria-labelledby=facts-title] .facts")).to_contain_text("Indien")
    shot("03-expert-profile")
