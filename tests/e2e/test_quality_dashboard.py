"""The quality dashboard in a real browser, in English and in Danish: alice (client A's admin) reads the
rates of the last 12 months, switches the table to domains, opens the monthly table and exports the CSV;
pete (provider P's manager) reads his experts' rates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kpo.core.clock import installation_date
from tests.cast import Cast
from tests.e2e.walk import Walk
from tests.quality.dashboard_world import CPH, delivered_task

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _months_ago(months: int, day: int, hour: int = 12) -> dt.datetime:
    today = installation_date(timezone.now())
    year, month = today.year, today.month - months
    while month < 1:
        year, month = year - 1, month + 12
    return dt.datetime(year, month, min(day, 28), hour, tzinfo=CPH)


def _world(cast: Cast) -> int:
    """Twenty-four tasks over the eight months before this one, three a month."""
    carol, erin = cast.carol.expert_profile, cast.erin.expert_profile
    for index in range(24):
        months = 1 + index % 8
        late = index % 4 == 0  # six of twenty-four: 75 % on time
        delivered_task(
            cast,
            cast.engagement_a,
            f"Line study {index}",
            delivered=_months_ago(months, 10),
            due=_months_ago(months, 9 if late else 12),
            makers=[carol] if index % 3 else [carol, erin],
            changes=index % 5 == 0,
            stars=[2 + (index + months) % 4],
            reviews=[("pass", 3.0 + (months % 5) / 2)],
        )
    return 24


@pytest.mark.parametrize("language", ["en", "da"])
def test_quality_dashboard(page: Page, shot, cast: Cast, language: str) -> None:  # type: ignore[no-untyped-def]
    tasks = _world(cast)
    walk = Walk(page, shot, language=language)
    t = walk.t
    page.goto("/login/")
    if language != "en":
        walk.choose_language()
    walk.sign_in("alice")
    walk.go("Quality")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Quality"))
    expect(page.locator('[data-figure="tasks"]')).to_have_text(str(tasks))
    expect(page.locator('[data-figure="on_time"]')).to_have_text("75 %")  # every fourth is late
    expect(page.locator("svg.line-chart")).to_have_count(2)
    shot("01-alice-by-provider")

    page.get_by_label(t("Rates per"), exact=True).select_option("domain")
    page.get_by_role("button", name=t("Apply")).click()
    expect(page.locator("section[aria-labelledby=groups-title] tbody tr")).to_have_count(1)
    page.get_by_text(t("Show as a table")).click()
    expect(page.locator("tr[data-month]")).to_have_count(12)
    page.get_by_text(t("How these figures are counted")).click()
    shot("02-alice-by-domain-with-tables")

    with page.expect_download() as download:
        page.get_by_role("link", name=t("Export CSV")).click()
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert content.startswith("group,key,name,tasks") and "domain,technical_analysis" in content
    walk.sign_out()

    walk.sign_in("pete")
    page.get_by_role("link", name=t("Your experts' quality, rework and on-time rates")).click()
    rows = page.locator("section[aria-labelledby=groups-title] tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Carol")
    shot("03-pete-by-expert")
