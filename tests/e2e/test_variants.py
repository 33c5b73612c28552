"""Wording variants in a real browser: the client's admin reviews a brief's choice points and approves
them, an expert downloads the brief, and a retyped paragraph of that copy (no invisible marks left, a
typo every fifty characters) still names the expert on the trace page. In English and in Danish."""

from __future__ import annotations

import io
import random

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from kpo.confidentiality.models import WordingReview
from kpo.confidentiality.tokens import document_url
from kpo.engine.watermark import normalise
from tests.cast import Cast
from tests.confidentiality.test_wording import BRIEF_DA, BRIEF_EN
from tests.e2e.walk import Walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _retype(text: str) -> str:
    chars = list(" ".join(normalise(text).split()))
    rng = random.Random(11)
    for i in rng.sample([i for i, c in enumerate(chars) if c.isalpha()], len(chars) // 50):
        chars[i] = "x" if chars[i] != "x" else "y"
    return "".join(chars)


@pytest.mark.parametrize("language", ["en", "da"])
def test_review_approve_download_and_trace_a_retyped_copy(
    page: Page, shot, cast: Cast, language: str
) -> None:  # type: ignore[no-untyped-def]
    brief = BRIEF_EN if language == "en" else BRIEF_DA
    document = cast.document_a
    document.file.save("brief.md", io.BytesIO(brief.encode()), save=False)
    document.original_name = "brief.md"
    document.content_type = "text/markdown"
    document.save()
    walk = Walk(page, shot, language=language)
    if language != "en":
        page.goto("/login/")
        walk.choose_language()
    walk.sign_in("alice")

    page.goto(f"/organisations/{cast.org_a.pk}/vault/")
    wording = page.locator("#wording")
    expect(wording).to_contain_text(walk.t("Not reviewed"))
    shot("01-vault-wording-list")
    wording.get_by_role("link", name=walk.t("Review wording")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(walk.t("Wording variants"))
    expect(page.locator("#wording-state")).to_contain_text(walk.t("Not reviewed"))
    expect(page.locator("#wording-lock-cost")).to_be_visible()
    table = page.locator("table")
    expect(table).to_contain_text("in Q3" if language == "en" else "3. kvartal")
    shot("02-variants-to-review")
    page.locator("#wording-approve").click()
    expect(page.locator("#wording-state")).to_contain_text(walk.t("Variants approved"))
    assert WordingReview.objects.get().status == "approved"
    shot("03-variants-approved")

    carol = Client()
    carol.force_login(cast.carol)
    copy = b"".join(carol.get(document_url(cast.carol.pk, document)).streaming_content).decode()
    assert normalise(copy).split("\n\n")[0] != brief.split("\n\n")[0]  # her words differ
    retyped = _retype(copy.split("\n\n")[0])

    page.goto(f"/organisations/{cast.org_a.pk}/trace/")
    page.get_by_label(walk.t("Or paste the leaked text")).fill(retyped)
    page.get_by_role("button", name=walk.t("Trace"), exact=True).click()
    result = page.locator("#trace-result")
    expect(result).to_contain_text("Carol Expert")
    shot("04-retyped-copy-traced")
    page.get_by_label(walk.t("Or paste the leaked text")).fill(_retype(brief.split("\n\n")[0]))
    page.get_by_role("button", name=walk.t("Trace"), exact=True).click()
    expect(page.locator("#trace-result")).to_contain_text(
        walk.t(
            "No fingerprint found: this copy does not name a recipient "
            "(it may not come from kpo, or was retyped)."
        )
    )
    expect(page.locator("#trace-result")).not_to_contain_text("Carol Expert")
    shot("05-retyped-original-names-nobody")
