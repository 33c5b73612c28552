"""The vault in a real browser: an expert signs the client's NDA, downloads a watermarked brief, and
the client's admin pastes one paragraph of it into the trace form and sees that expert named."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from kpo.confidentiality.models import NdaSignature
from kpo.confidentiality.services import nda_template_save
from kpo.confidentiality.tokens import document_url
from kpo.engine.watermark import normalise
from tests.cast import Cast
from tests.e2e.walk import Walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BRIEF = (
    "Gearbox line study: brief\n\n"
    "The plant wants to know why line three runs slower than line four since the new housings "
    "arrived. Measure the cycle times over two shifts, compare the bearings and the lubricant, and "
    "talk to the operators before drawing any conclusion about the cause.\n\n"
    "Keep every figure inside the team: the supplier negotiations depend on them, and nothing in "
    "this brief may be shared with anyone outside the engagement."
)


def test_sign_download_and_trace(page: Page, shot, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    # a new version of client A's NDA: carol has to sign again before the brief opens
    nda_template_save(
        user=cast.alice,
        client=cast.org_a,
        template=cast.nda_a,
        title="Acme mutual NDA",
        text="The recipient keeps the client's material confidential for five years.\n\nVersion 2.",
        in_force=True,
    )
    cast.document_a.original_name = "brief.txt"
    cast.document_a.file.save("brief.txt", io.BytesIO(BRIEF.encode()), save=True)
    walk = Walk(page, shot)

    walk.sign_in("carol")
    page.goto(f"/tasks/{cast.task_a.pk}/")
    documents = page.locator("#documents")
    expect(documents.get_by_text("Locked")).to_be_visible()
    expect(documents).to_contain_text("Sign the client's NDA to open confidential material.")
    shot("01-carol-locked")
    documents.get_by_role("link", name="Sign the NDA").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme mutual NDA")
    page.get_by_label("Type your full name to sign").fill("Carol Someone")
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.locator("main")).to_contain_text(
        "Type your full name exactly as on your account: Carol Expert."
    )
    shot("02-carol-wrong-name")
    page.get_by_label("Type your full name to sign").fill("Carol Expert")
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/tasks/{cast.task_a.pk}/#documents$"))
    assert NdaSignature.objects.filter(signer=cast.carol, version__number=2).exists()
    expect(page.locator("#documents").get_by_text("Locked")).to_have_count(0)
    shot("03-carol-signed")
    with page.expect_download() as download_info:
        page.locator("#documents").get_by_role("link", name="Brief").click()
    copy = Path(download_info.value.path()).read_bytes().decode()
    assert copy != BRIEF and normalise(copy).startswith(BRIEF)
    assert "prepared for Carol Expert" in normalise(copy)
    paragraph = copy.split("\n\n")[1]  # one paragraph, as copied out of the file
    walk.sign_out()

    walk.sign_in("alice")
    page.goto("/")
    page.get_by_role("link", name="trace a leak").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trace a leak")
    page.get_by_label("Or paste the leaked text").fill(paragraph)
    page.get_by_role("button", name="Trace", exact=True).click()
    result = page.locator("#trace-result")
    expect(result).to_contain_text(re.compile(r"This copy was downloaded by Carol Expert on .+ — certain\."))
    expect(result.get_by_text("Technical detail")).to_be_visible()
    expect(result.get_by_text("Confidence")).to_be_hidden()  # behind the toggle
    expect(result).to_contain_text("brief.txt")
    shot("04-alice-traced")
    page.get_by_label("Or paste the leaked text").fill(BRIEF.split("\n\n")[1])
    page.get_by_role("button", name="Trace", exact=True).click()
    expect(page.locator("#trace-result")).to_contain_text("No fingerprint found")
    shot("05-alice-clean-copy")


@pytest.mark.parametrize("language", ["en", "da"])
def test_the_trace_result_in_plain_words(page: Page, shot, cast: Cast, language: str) -> None:  # type: ignore[no-untyped-def]
    """'This copy was downloaded by Carol Expert on 7 Dec 2026 — certain', the numbers behind a toggle."""
    document = cast.document_a
    document.file.save("brief.txt", io.BytesIO(BRIEF.encode()), save=True)
    carol = Client()
    carol.force_login(cast.carol)
    copy = b"".join(carol.get(document_url(cast.carol.pk, document)).streaming_content).decode()
    paragraph = copy.split("\n\n")[1]
    walk = Walk(page, shot, language=language)
    if language != "en":
        page.goto("/login/")
        walk.choose_language()
    walk.sign_in("alice")
    page.goto(f"/organisations/{cast.org_a.pk}/trace/")
    page.get_by_label(walk.t("Or paste the leaked text")).fill(paragraph)
    page.get_by_role("button", name=walk.t("Trace"), exact=True).click()
    sentence = page.locator("#trace-sentence")
    certain = walk.t(
        "This copy was downloaded by %(name)s on %(date)s — certain.", name="Carol Expert", date=""
    )
    before, after = certain.split("  ")
    expect(sentence).to_contain_text(before)
    expect(sentence).to_contain_text(after.strip())
    expect(page.get_by_text(walk.t("Confidence"), exact=True)).to_be_hidden()
    shot("trace-plain")
    page.locator("#trace-result").get_by_text(walk.t("Technical detail"), exact=True).click()
    expect(page.get_by_text(walk.t("Confidence"), exact=True)).to_be_visible()
    shot("trace-technical-detail")
