"""Each demo role walks only through the main menus (no typed addresses after signing in) to every page
that role may use, in English and in Danish, with a screenshot of each page. The pages per role are the
README's table ("Pages per role"); a menu offering more or fewer fails here."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import resolve
from playwright.sync_api import Page, expect

from kpo.demo.accounts import DEMO_PASSWORD
from tests.e2e.walk import Walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EVERYONE = ["Dashboard", "Engagements", "Tasks", "Experts", "API tokens"]
MEMBER = [*EVERYONE, "Members and settings"]
PAGES: dict[str, list[str]] = {  # the README's "Pages per role", by their menu labels
    "alice": [
        *MEMBER,
        "Overflow pool",
        "Talent benches",
        "Disputes",
        "Quality",
        "Commercials",
        "Rate cards",
        "Make or buy",
        "Vault and NDAs",
        "Sensitive terms",
        "Compliance",
        "Matching weights",
        "Demand forecast",
    ],
    "bob": [
        *MEMBER,
        "Overflow pool",
        "Talent benches",
        "Disputes",
        "Rate cards",
        "Make or buy",
        "Sensitive terms",
        "Compliance",
    ],
    "aud": [
        *MEMBER,
        "Overflow pool",
        "Talent benches",
        "Disputes",
        "Quality",
        "Rate cards",
        "Vault and NDAs",
        "Sensitive terms",
        "Compliance",
        "Audit trail",
    ],
    "priya": [
        *MEMBER,
        "Overflow pool",
        "Staffing",
        "Demand forecast",
        "Quality",
        "Disputes",
        "Capacity",
        "Vetting",
        "Rate cards",
    ],
    "carol": [*MEMBER, "My profile", "My conflicts of interest", "My vetting"],
    "rita": [*MEMBER, "My profile", "My conflicts of interest", "My vetting"],
    "ops": [*EVERYONE, "Disputes"],
}


@pytest.fixture
def demo_world(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEMO_MODE = True  # the demo's operator walks without enrolling a second factor, as in `kpo demo`
    call_command("seed_demo", experts=50, seed=7, stdout=open("/dev/null", "w"))  # noqa: SIM115


def _menu_labels(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("nav.main-nav a").all_text_contents()]


@pytest.mark.parametrize("language", ["en", "da"])
def test_each_demo_role_reaches_its_pages_through_the_menus(
    page: Page, shot, demo_world: None, language: str
) -> None:  # type: ignore[no-untyped-def]
    walk = Walk(page, shot, language=language)
    page.goto("/login/")
    if language != "en":
        walk.choose_language()
    for name, labels in PAGES.items():
        walk.sign_in(name, DEMO_PASSWORD)
        assert sorted(_menu_labels(page)) == sorted(walk.t(label) for label in labels), name
        menus = page.locator("nav.main-nav li.menu summary")
        menus.last.focus()
        page.keyboard.press("Enter")  # the menus open from the keyboard
        expect(page.locator("nav.main-nav li.menu").last.locator("a").first).to_be_visible()
        shot(f"{name}-00-menu")
        page.keyboard.press("Enter")
        for number, label in enumerate(labels, start=1):
            walk.go(label)
            expect(page.get_by_role("heading", level=1)).not_to_have_text(walk.t("Page not found"))
            assert resolve(re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]).url_name
            shot(f"{name}-{number:02d}-{re.sub(r'[^a-z]+', '-', label.lower()).strip('-')}")
        walk.sign_out()
