"""A statement of work in the browser: alice drafts and proposes it, pete approves it with his typed name,
alice approves it, and the approved SOW downloads as a PDF whose text is checked; in English and Danish."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from kpo.contracts.models import SowStatus, SowVersion
from tests.cast import Cast
from tests.e2e.walk import Walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TERMS = {
    "Scope": "Measure the efficiency of gearbox lines 3 and 4 at Ærøskøbing.",
    "Deliverables": "A written report and the cleaned measurement data.",
    "Items that tasks and milestones link to": "D1: Efficiency report\nD2: Cleaned data set",
    "Acceptance criteria": "The client's engineers accept each deliverable within ten working days.",
    "Milestones": "Report by 1 March 2027.",
    "Assumptions": "Line data is available from the plant's historian.",
    "Change procedure": "Either side requests a change in writing; both sides approve the new version.",
}


@pytest.mark.parametrize("language", ["en", "da"])
def test_sow_drafted_proposed_approved_by_both_sides_and_downloaded(  # type: ignore[no-untyped-def]
    page: Page, shot, cast: Cast, language: str
) -> None:
    walk = Walk(page, shot, language=language)
    t = walk.t
    engagement_url = f"/engagements/{cast.engagement_a.pk}/"
    page.goto("/login/")
    if language != "en":
        walk.choose_language()

    # alice drafts the SOW from the engagement page and proposes it to the provider
    walk.sign_in("alice")
    page.goto(engagement_url)
    page.locator("#sow").get_by_role("link", name=t("Draft the SOW")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Draft the statement of work"))
    page.get_by_role("button", name=t("Save draft")).click()
    expect(page.locator(".form-errors, .errorlist").first).to_be_visible()
    expect(page.get_by_text(t("This section is required in a statement of work.")).first).to_be_visible()
    shot("01-draft-errors")
    for label, text in TERMS.items():
        page.get_by_label(t(label), exact=True).fill(text)
    page.get_by_role("button", name=t("Save draft")).click()
    walk.flash(t("Draft saved. Propose it to the provider when it is ready."))
    page.get_by_role("button", name=t("Propose to the provider")).click()
    walk.flash(t("Proposed. The other side may now approve it or answer with changes."))
    expect(page.locator(".page-head .lede .badge")).to_have_text(t("Proposed"))
    shot("02-proposed")
    walk.sign_out()

    # pete reads it from the engagement page and signs with his typed name
    walk.sign_in("pete")
    page.goto(engagement_url)
    expect(page.locator("#sow")).to_contain_text(t("Proposed"))
    page.locator("#sow").get_by_role("link", name=t("Open the SOW")).click()
    expect(page.locator("#sow-text")).to_contain_text("Efficiency report")
    page.get_by_label(t("Type your full name to sign")).fill("Pete Smith")
    page.get_by_role("button", name=t("Sign and approve")).click()
    expect(page.locator("#signatures")).to_contain_text(
        t("Type your full name exactly as on your account: %(name)s.", name="Pete Manager")
    )
    page.get_by_label(t("Type your full name to sign")).fill("Pete Manager")
    page.get_by_role("button", name=t("Sign and approve")).click()
    walk.flash(t("Signed for your side."))
    expect(page.locator("#signatures")).to_contain_text("Pete Manager")
    shot("03-provider-signed")
    walk.sign_out()

    # alice signs too: the SOW is approved, and its PDF downloads
    walk.sign_in("alice")
    page.goto(f"/engagements/{cast.engagement_a.pk}/sow/")
    page.get_by_label(t("Type your full name to sign")).fill("alice admin")
    page.get_by_role("button", name=t("Sign and approve")).click()
    walk.flash(t("Signed for your side."))
    expect(page.locator(".page-head .lede .badge")).to_have_text(t("Approved"))
    assert SowVersion.objects.get().status == SowStatus.APPROVED
    shot("04-approved")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=t("Download PDF")).click()
    data = Path(download_info.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
    title = t("Statement of work: %(title)s", title=cast.engagement_a.title)
    for expected in (
        title,
        t("Acceptance criteria"),
        "D1: Efficiency report",
        "Ærøskøbing",
        "Pete Manager",
        "alice admin",
    ):
        assert " ".join(expected.split()) in text, expected
    assert t("Not approved: this version is not in force.") not in text
    page.goto(engagement_url)
    expect(page.locator("#sow")).to_contain_text(t("Version %(number)s is in force.", number=1))
    shot("05-engagement-panel")
