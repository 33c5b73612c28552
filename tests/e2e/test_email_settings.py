"""E-mail settings in Danish, from the user menu: choose the e-mails' language and turn a kind off."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kpo.notices.models import NoticePreferences
from tests.cast import Cast
from tests.e2e.walk import Walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_expert_turns_off_message_emails_in_danish(page: Page, shot, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    walk = Walk(page, shot, language="da")
    page.goto("/login/")
    walk.choose_language()
    walk.sign_in("carol")
    page.get_by_role("link", name=walk.t("E-mail settings")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(walk.t("E-mail settings"))
    messages = page.get_by_label(walk.t("A new message on a task I take part in"))
    expect(messages).to_be_checked()  # every kind is on until the person turns it off
    shot("01-settings")
    messages.uncheck()
    page.get_by_role("button", name=walk.t("Save")).click()
    expect(page.get_by_text(walk.t("Your e-mail settings are saved."))).to_be_visible()
    expect(page.get_by_label(walk.t("A new message on a task I take part in"))).not_to_be_checked()
    shot("02-saved")
    preferences = NoticePreferences.objects.get(user=cast.carol)
    assert preferences.language == "da"
    assert "task_message" in preferences.muted_categories
