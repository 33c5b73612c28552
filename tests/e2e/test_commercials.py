"""Commercials in the browser, in English and in Danish: pete sets his firm's billing details, approves
carol's time (nothing ticked at first, totals per task and overall, a running total of the ticked
entries) and issues an invoice whose page and PDF carry both parties' addresses and VAT numbers, the
due date and the VAT; alice reads the budget burn, the invoice and her spend-and-savings dashboard."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from kpo.core.formatting import day
from kpo.economics.models import Invoice, MakeOrBuyScenario
from kpo.orgs.models import Organisation
from kpo.work.models import TimeEntry
from tests.cast import Cast
from tests.e2e.walk import Walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CLIENT_VAT = "DK30128400"


def _billing_and_time(page: Page, walk: Walk, cast: Cast) -> TimeEntry:
    """pete's organisation page: his firm's address, GSTIN and 45 days' terms; then two entries wait."""
    t = walk.t
    page.goto(f"/organisations/{cast.provider_p.pk}/")
    page.get_by_label(t("Postal address")).fill("Tower B, Baner Road\nPune 411045")
    page.get_by_label(t("VAT number")).fill("27AABCI4721K1ZQ")
    page.get_by_label(t("Payment terms (days)")).fill("121")
    page.get_by_role("button", name=t("Save billing details")).click()
    expect(page.locator("#billing")).to_contain_text(
        t("Payment terms are from %(low)s to %(high)s days.", low=0, high=120)
    )
    page.get_by_label(t("Payment terms (days)")).fill("45")
    page.get_by_role("button", name=t("Save billing details")).click()
    walk.flash(t("Billing details saved. Invoices issued from now on carry them."))
    walk.shot("01-billing-details")
    return TimeEntry.objects.create(
        task=cast.task_a,
        expert=cast.time_entry_a.expert,
        date=cast.time_entry_a.date,
        hours=Decimal("0.5"),
        description="Ferry log — Ærø",
        status="submitted",
    )


def _approve(page: Page, walk: Walk, cast: Cast, second: TimeEntry) -> None:
    t = walk.t
    panel = page.locator("#commercials")
    panel.get_by_role("link", name=cast.engagement_a.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Time awaiting approval"))
    expect(page.locator('input[name="entries"]:checked')).to_have_count(0)
    totals = page.locator("#time-totals")
    expect(totals).to_contain_text(t("Total awaiting a decision"))
    expect(totals).to_contain_text(walk.localized(Decimal("0.75")))
    output = page.locator("#selected-total")
    expect(output).to_have_text(t("Nothing selected yet."))
    page.get_by_role("button", name=t("Record decision")).click()
    expect(page.locator("#entries-error")).to_have_text(
        t("Tick at least one time entry to approve or reject.")
    )
    first = page.locator(f"#entry-{cast.time_entry_a.pk}")
    value = Decimal(first.get_attribute("data-value") or "0")
    first.check()
    expected = (
        t("Selected: 1 entry, {h} h, {value}")
        .replace("{h}", walk.localized(Decimal("0.25")))
        .replace("{value}", walk.money(value, cast.engagement_a.currency))
    )
    expect(output).to_have_text(expected.replace("\u00a0", " "), use_inner_text=True)
    page.locator("#id_decision").select_option("approved")
    walk.shot("02-time-approval")
    page.get_by_role("button", name=t("Record decision")).click()
    walk.flash(t("%(count)s time entries approved.", count=1))
    second.refresh_from_db()
    assert second.status == "submitted"  # only what was ticked


def _invoice(page: Page, walk: Walk, cast: Cast) -> Invoice:
    t = walk.t
    page.get_by_role("link", name=t("Commercials")).click()
    page.get_by_label(t("Period from")).fill("2026-11-01")
    page.get_by_label(t("Period to")).fill("2026-11-30")
    page.get_by_role("button", name=t("Preview")).click()
    expect(page.locator("#invoices table").last).to_contain_text(walk.localized(Decimal("0.25")))
    walk.shot("03-invoice-preview")
    page.get_by_role("button", name=t("Issue invoice")).click()
    invoice = Invoice.objects.get()
    walk.flash(t("Invoice %(number)s issued.", number=invoice.number))
    expect(page.locator("#parties")).to_contain_text(CLIENT_VAT)
    expect(page.locator("#parties")).to_contain_text("27AABCI4721K1ZQ")
    lines = page.locator("main table")  # carol's EUR rate, converted to the engagement's DKK
    expect(lines).to_contain_text(t("%(expert)s, hours", expert="Carol Expert"))
    expect(lines).to_contain_text(t("profile bill rate") + ": " + walk.money(Decimal(60), "EUR"))
    expect(lines).to_contain_text(t("ECB reference rate of %(date)s", date=""))
    expect(page.locator("#vat-note")).to_have_text(t("Outside the scope of Danish VAT: no VAT is charged."))
    with translation.override(walk.language):
        due = day(invoice.due_date)
    expect(page.locator("#payment")).to_contain_text(due)
    walk.shot("04-invoice")
    with page.expect_download() as download:
        page.get_by_role("link", name=t("PDF")).click()
    path = download.value.path()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    for expected in (
        cast.engagement_a.title,
        "Ærø Gear A/S — Marstal",
        "Havnegade 4",
        CLIENT_VAT,
        "27AABCI4721K1ZQ",
        t("Total including VAT"),
        t("Due date"),
        t("Outside the scope of Danish VAT: no VAT is charged."),
    ):
        assert expected in text, expected
    assert "?" not in text
    return invoice


def _dashboard(page: Page, walk: Walk, cast: Cast) -> None:
    t = walk.t
    page.goto(f"/engagements/{cast.engagement_a.pk}/commercials/")
    page.get_by_label(t("Make-or-buy scenario this engagement came from")).select_option(
        label="Gearbox analysts in-house or outsourced"
    )
    page.get_by_role("button", name=t("Save"), exact=True).click()
    walk.flash(t("Commercial terms saved."))
    expect(page.locator("#savings")).to_contain_text(t("In-house baseline"))
    walk.shot("05-engagement-commercials")
    page.goto("/")
    page.locator("#commercials").get_by_role("link", name=t("Spend, savings and budget burn")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Spend and savings"))
    expect(page.locator("svg.bar-chart").first).to_be_visible()
    walk.shot("06-client-dashboard")


@pytest.mark.parametrize("language", ["en", "da"])
def test_time_approval_invoice_and_client_dashboard(page: Page, shot, cast: Cast, language: str) -> None:  # type: ignore[no-untyped-def]
    walk = Walk(page, shot, language=language)
    TimeEntry.objects.filter(pk=cast.time_entry_a.pk).update(hours=Decimal("0.25"))
    cast.engagement_a.budget = Decimal(200)
    cast.engagement_a.title = "Gearbox study — Ærø €"
    cast.engagement_a.save()
    Organisation.objects.filter(pk=cast.org_a.pk).update(
        name="Ærø Gear A/S — Marstal", postal_address="Havnegade 4\n5960 Marstal", vat_number=CLIENT_VAT
    )
    MakeOrBuyScenario.objects.create(
        client=cast.org_a,
        created_by=cast.alice,
        name="Gearbox analysts in-house or outsourced",
        inputs={},
        result={
            "currency": "DKK",
            "options": [{"sourcing": "in_house", "cost_per_delivered_hour": "950.00"}],
        },
    )
    if language != "en":
        page.goto("/login/")
        walk.choose_language()

    walk.sign_in("pete")
    second = _billing_and_time(page, walk, cast)
    page.goto("/")
    expect(page.locator("#commercials")).to_contain_text("2")
    _approve(page, walk, cast, second)
    _invoice(page, walk, cast)
    walk.sign_out()

    walk.sign_in("alice")
    _dashboard(page, walk, cast)
