"""A client admin builds a make-or-buy scenario for the manufacturer's production-efficiency analysis.

Alice (client admin of Acme Gear, the cast's manufacturer, like the demo's Nordvind) finds the
calculator on her dashboard, describes the need (industrial engineers for the production-efficiency
programme, 1,600 hours a year over two years, in-house in Denmark against Poland, India and a captive
in the Philippines), changes one assumption, compares, saves, and reads the recommendation, the
tornado chart and the sources on the saved scenario; then reopens it to edit a copy.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from kpo.economics.make_or_buy.labels import option_name
from kpo.economics.models import MakeOrBuyScenario
from tests.cast import Cast
from tests.e2e.walk import Walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME = "Production efficiency analysts, Aalborg"


def test_client_admin_builds_a_make_or_buy_scenario(page: Page, shot, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    walk = Walk(page, shot)
    t = walk.t
    walk.sign_in("alice")
    page.locator("#make-or-buy").get_by_role("link", name=t("Open the calculator")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Make or buy"))

    # the need: the occupation, the hours, the horizon, the countries
    page.get_by_label(t("Occupation"), exact=True).fill("industrial engineer")  # from the ESCO list
    page.get_by_label(t("Hours per year")).fill("1600")
    page.get_by_label(t("Months"), exact=True).fill("24")
    page.get_by_label(t("Currency"), exact=True).select_option("DKK")
    page.get_by_label(t("In-house country")).select_option(label="Denmark")
    for kind, country in (("nearshore", "Poland"), ("offshore", "India"), ("captive", "Philippines")):
        page.locator(f"#id_use_{kind}").check()
        page.locator(f"#id_country_{kind}").select_option(label=country)

    # every assumption is there at its default, behind a disclosure; change one
    assumptions = page.locator("details.mob-assumptions")
    expect(assumptions).not_to_have_attribute("open", "")
    assumptions.locator("summary").click()
    idle = page.get_by_label(f"{t('Idle time')} (%)")
    expect(idle).to_have_value("10")
    expect(page.get_by_label(t("Captive set-up cost"), exact=True)).to_have_value("150000")
    idle.fill("12")
    shot("01-form")

    page.get_by_role("button", name=t("Compare")).click()
    expect(page.locator(".mob-answer h2")).to_contain_text(t("Recommendation"))
    page.get_by_label(t("Scenario name")).fill(NAME)
    shot("02-compared")
    page.get_by_role("button", name=t("Save scenario")).click()

    # the saved scenario: the answer at a glance, the chart, the sources, the assumptions
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    walk.flash(t("Scenario “%(name)s” saved.", name=NAME))
    scenario = MakeOrBuyScenario.objects.get()
    assert scenario.inputs["assumptions"]["idle_share"] == "0.12"
    chosen = scenario.result["recommendation"]["option"]
    row = next(r for r in scenario.result["options"] if r["sourcing"] == chosen)
    with translation.override(walk.language):
        recommended = option_name(row)  # the page names it in its reader's language
    expect(page.locator(".mob-answer h2")).to_contain_text(recommended)
    expect(page.locator(".mob-headline")).to_be_visible()
    expect(page.locator(".mob-total-row")).to_have_count(4)

    chart = page.locator("svg.tornado-chart")
    expect(chart).to_be_visible()
    expect(chart.locator("title").first).to_contain_text(t("lower or higher").split()[0])
    expect(chart.locator("g.tornado-row")).to_have_count(10)
    expect(chart.locator("text.tornado-label").first).not_to_be_empty()
    page.locator("details.tornado-table summary").click()
    expect(page.locator("details.tornado-table tbody tr")).to_have_count(10)

    sources = page.locator(".mob-sources")
    expect(sources).to_contain_text("OEWS")
    expect(sources).to_contain_text("ILOSTAT")
    expect(sources).to_contain_text("PA.NUS.PPP")
    expect(sources).to_contain_text("ECB reference rate of 2026-10-30")
    expect(page.locator(".mob-assumption-table tr.changed")).to_have_count(1)
    expect(page.locator(".mob-assumption-table tr.changed")).to_contain_text("12")
    shot("03-saved")

    # "duplicate and edit": the form comes back with the saved inputs and recomputes them
    page.get_by_role("link", name=t("Duplicate and edit")).click()
    expect(page.get_by_label(t("Occupation"), exact=True)).to_have_value("industrial engineer")
    expect(page.locator("#id_idle_share")).to_have_value("12")
    expect(page.locator(".mob-answer h2")).to_contain_text(recommended)
    totals = scenario.result["options"][0]["total"]
    expect(page.locator(".make-or-buy-table")).to_contain_text(walk.money(Decimal(totals), "DKK"))
    shot("04-reopened")
