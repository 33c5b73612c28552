"""A client admin lists a competitor and a transfer country; a provider manager sees the conflict on
why-not and records a reviewed exception, which the task page then shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kpo.core.clock import installation_date
from kpo.experts.models import Employment, ExpertProfile
from tests.cast import Cast
from tests.e2e.walk import Walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_competitor_conflict_and_reviewed_exception(page: Page, shot, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    erin = ExpertProfile.objects.get(user=cast.erin)
    left = installation_date(timezone.now()) - dt.timedelta(days=40)
    Employment.objects.create(expert=erin, employer="Rival Bank", start=dt.date(2020, 1, 1), end=left)
    walk = Walk(page, shot)
    t = walk.t
    walk.sign_in("alice")
    page.goto(f"/organisations/{cast.org_a.pk}/")
    page.get_by_role("link", name=t("Compliance settings: competitors, cooling-off, data residency")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Compliance settings"))
    page.get_by_text(t("Add a competitor")).click()
    page.get_by_label(t("Competitor's name")).fill("Rival Bank A/S")
    page.get_by_role("button", name=t("Add competitor")).click()
    expect(page.locator("#competitors")).to_contain_text("Rival Bank A/S")
    page.get_by_text(t("Add a country")).click()
    page.locator("#id_country").select_option(label="India")
    page.get_by_label(t("Transfer mechanism")).select_option("scc")
    page.get_by_role("button", name=t("Add country")).click()
    expect(page.locator("#residency")).to_contain_text("India")
    shot("01-settings")
    walk.sign_out()

    walk.sign_in("pete")
    page.goto(f"/tasks/{cast.task_a.pk}/find-experts/?why_not={erin.pk}#why-not")
    why = page.locator("#why-not")
    expect(why).to_contain_text(f"worked at Rival Bank until {left.isoformat()}")
    shot("02-why-not")
    why.get_by_role("link", name=t("Record a reviewed exception for this conflict")).click()
    page.get_by_label(t("Justification")).fill("Retail desk only; reviewed with the client's legal team.")
    page.get_by_role("button", name=t("Record exception")).click()
    expect(page.locator("#conflict-exceptions")).to_contain_text("Retail desk only")
    shot("03-task-panel")
