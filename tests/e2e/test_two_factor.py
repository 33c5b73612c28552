"""Two-factor authentication in Chromium, in English and Danish: an operator signs in with a password, is
sent to set up an authenticator (the key read off the page, the code computed as the app would), signs
in again with a code, then with a recovery code, which is then used up."""

from __future__ import annotations

import base64
import re

import pytest
from django.utils.text import capfirst
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from playwright.sync_api import Page, expect

from tests.cast import PASSWORD, Cast
from tests.e2e.walk import Walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _code(secret: str, ahead: int = 0) -> str:
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key, drift=ahead):06d}"


def _password(walk: Walk, username: str) -> None:
    page = walk.page
    page.goto("/login/")
    page.get_by_label(capfirst(walk.t("username"))).fill(username)
    page.get_by_label(walk.t("Password")).fill(PASSWORD)
    page.get_by_role("button", name=walk.t("Sign in"), exact=True).click()


def _welcomed(walk: Walk) -> None:
    welcome = walk.t("Welcome, %(name)s").split("%(name)s")[0]
    expect(walk.page.get_by_role("heading", level=1)).to_contain_text(welcome)


@pytest.mark.parametrize("language", ["en", "da"])
def test_enrol_then_sign_in_with_a_code_and_with_a_recovery_code(
    page: Page,
    shot,  # type: ignore[no-untyped-def]
    cast: Cast,
    language: str,
) -> None:
    walk = Walk(page, shot, language=language)
    page.goto("/login/")
    walk.choose_language()
    _password(walk, "ops")
    expect(page).to_have_url(re.compile(r"/account/two-factor/"))
    expect(page.locator("#two-factor-required")).to_contain_text(
        walk.t("Operators must use two-factor authentication. Set it up to continue.")
    )
    expect(page.locator("#two-factor-qr svg")).to_be_visible()
    shot("01-set-up")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/account/two-factor/"))

    secret = page.locator("#two-factor-secret").inner_text()
    page.get_by_label(walk.t("Code from the app")).fill(_code(secret))
    page.get_by_role("button", name=walk.t("Turn on"), exact=True).click()
    walk.flash(walk.t("Two-factor authentication is on."))
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    shot("02-recovery-codes")
    walk.sign_out()

    _password(walk, "ops")
    expect(page).to_have_url(re.compile(r"/sign-in/code/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(walk.t("Enter your sign-in code"))
    shot("03-code-page")
    page.locator("#id_code").fill(_code(secret, ahead=1))
    page.get_by_role("button", name=walk.t("Continue"), exact=True).click()
    _welcomed(walk)
    shot("04-signed-in-with-code")
    walk.sign_out()

    _password(walk, "ops")
    page.locator("#id_code").fill(codes[0])
    page.get_by_role("button", name=walk.t("Continue"), exact=True).click()
    _welcomed(walk)
    left = walk.t(
        "You signed in with a recovery code; it cannot be used again. %(left)s codes are left.", left=9
    )
    expect(page.locator(".flash-warning")).to_contain_text(left)
    shot("05-signed-in-with-recovery-code")
    assert StaticToken.objects.filter(device__user=cast.ops).count() == 9
    page.get_by_role("link", name=walk.t("Two-factor"), exact=True).click()
    expect(page.locator("#two-factor-state")).to_contain_text(walk.t("On"))
    shot("06-state")
    walk.sign_out()

    _password(walk, "ops")
    page.locator("#id_code").fill(codes[0])
    page.get_by_role("button", name=walk.t("Continue"), exact=True).click()
    expect(page.locator(".field-error, .errorlist, [id$=_errors]").first).to_contain_text(
        walk.t("The code is not right, or it was already used. Try again.")
    )
    expect(page).to_have_url(re.compile(r"/sign-in/code/"))
    shot("07-recovery-code-used-up")
