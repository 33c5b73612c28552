"""Commercials in the browser: pete approves carol's time and issues an invoice; alice reads the
budget burn, the invoice and her spend-and-savings dashboard."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from kpo.economics.models import Invoice, MakeOrBuyScenario
from kpo.work.models import TimeEntry
from tests.cast import Cast
from tests.e2e.walk import Walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_time_approval_invoice_and_client_dashboard(page: Page, shot, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    walk = Walk(page, shot)
    t = walk.t
    TimeEntry.objects.filter(pk=cast.time_entry_a.pk).update(hours=Decimal("0.25"))
    cast.engagement_a.budget = Decimal(200)
    cast.engagement_a.save()
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

    # pete sees the time awaiting approval on his dashboard and approves it
    walk.sign_in("pete")
    panel = page.locator("#commercials")
    expect(panel).to_contain_text("1")
    shot("01-pete-dashboard")
    panel.get_by_role("link", name=cast.engagement_a.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Time awaiting approval"))
    page.locator("#id_decision").select_option("approved")
    shot("02-time-approval")
    page.get_by_role("button", name=t("Record decision")).click()
    walk.flash(t("%(count)s time entries approved.", count=1))

    # ... previews and issues the invoice for November
    page.get_by_role("link", name=t("Commercials")).click()
    page.get_by_label(t("Period from")).fill("2026-11-01")
    page.get_by_label(t("Period to")).fill("2026-11-30")
    page.get_by_role("button", name=t("Preview")).click()
    expect(page.locator("#invoices table").last).to_contain_text("0.25")
    shot("03-invoice-preview")
    page.get_by_role("button", name=t("Issue invoice")).click()
    invoice = Invoice.objects.get()
    walk.flash(t("Invoice %(number)s issued.", number=invoice.number))
    shot("04-invoice")
    walk.sign_out()

    # alice links the scenario, sees the burn (the 80 % alert fired) and her dashboard
    walk.sign_in("alice")
    page.goto(f"/engagements/{cast.engagement_a.pk}/commercials/")
    page.get_by_label(t("Make-or-buy scenario this engagement came from")).select_option(
        label="Gearbox analysts in-house or outsourced"
    )
    page.get_by_role("button", name=t("Save"), exact=True).click()
    walk.flash(t("Commercial terms saved."))
    expect(page.locator("#savings")).to_contain_text(t("In-house baseline"))
    shot("05-engagement-commercials")
    page.goto("/")
    page.locator("#commercials").get_by_role("link", name=t("Spend, savings and budget burn")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Spend and savings"))
    expect(page.locator("svg.bar-chart").first).to_be_visible()
    shot("06-client-dashboard")
