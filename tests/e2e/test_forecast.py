"""On the demo world, a provider manager reads the demand forecast through the menu, scales a team up
from the engagement page (a staffing run starts over the new seats) and sees the forecast grow; in
English and in Danish, with screenshots."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from kpo.core.clock import installation_date
from kpo.demo.accounts import DEMO_PASSWORD
from kpo.engine.forecast import monday_of
from kpo.forecast.models import TeamChange
from kpo.work.models import Engagement
from tests.e2e.walk import Walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_world(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", experts=50, seed=7, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("language", ["en", "da"])
def test_forecast_and_scaling_a_team(page: Page, checked_shot, demo_world: None, language: str) -> None:  # type: ignore[no-untyped-def]
    shot = checked_shot  # every screenshot's page holds each id once
    walk = Walk(page, shot, language=language)
    page.goto("/login/")
    if language != "en":
        walk.choose_language()
    walk.sign_in("priya", DEMO_PASSWORD)
    walk.go("Demand forecast")
    expect(page.get_by_role("heading", level=1)).to_have_text(walk.t("Demand forecast"))
    expect(page.get_by_role("heading", name=walk.t("How the forecast is made"))).to_be_visible()
    assert page.locator("figure.forecast-chart svg").count() >= 1
    shot(f"forecast-{language}")

    engagement = (
        Engagement.objects.filter(provider__memberships__user__username="priya").order_by("id").first()
    )
    assert engagement is not None
    page.goto(f"/engagements/{engagement.pk}/")
    page.get_by_role("link", name=walk.t("Scale the team")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(walk.t("Team size"))
    shot(f"team-{language}")
    start = monday_of(installation_date(timezone.now())) + dt.timedelta(weeks=1)
    scale = page.locator("form").filter(has=page.locator("#id_experts"))
    scale.get_by_label(walk.t("Experts to add")).fill("2")
    scale.locator("input[name=skills]").first.check()
    scale.get_by_label(walk.t("From the week of")).fill(start.isoformat())
    scale.get_by_label(walk.t("Hours per week each")).fill("30")
    scale.locator("#id_until").fill((start + dt.timedelta(days=32)).isoformat())
    page.get_by_role("button", name=walk.t("Add experts")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    shot(f"team-run-{language}")
    change = TeamChange.objects.get()
    assert change.run_id is not None and len(change.details["task_ids"]) == 2

    walk.go("Demand forecast")
    shot(f"forecast-after-{language}")
