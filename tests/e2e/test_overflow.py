"""Overflow pools and the private talent bench, end to end (in English and in Danish): the client admin
approves a freelance pool as overflow provider, the provider manager releases a task it cannot staff in
time, the pool's manager takes it and staffs it with its own expert from the picker; then the client
admin puts an expert it worked with on a bench, and the shortlist offers them right after its own staff."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kpo.work.models import Assignment, Task, TaskRelease
from tests.cast import Cast
from tests.e2e.walk import Walk
from tests.work.overflow_pool import delivered_by, freelance_pool, pool_people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "da"])
def test_overflow_release_and_the_talent_bench(page: Page, checked_shot, cast: Cast, language: str) -> None:  # type: ignore[no-untyped-def]
    pool = freelance_pool()
    felix_id = pool_people(cast, pool)[2].pk
    due = timezone.now() + dt.timedelta(days=10)
    waiting = Task.objects.create(
        engagement=cast.engagement_a,
        title="Map the changeover times",
        description="Changeover times on lines 3 and 4.",
        effort_hours=Decimal(8),
        due_at=due,
        status="submitted",
        created_by=cast.bob,
    )
    delivered_by(cast, cast.erin.expert_profile)  # erin worked for client A: she may go on its bench
    shot = checked_shot  # every screenshot's page holds each id once
    walk = Walk(page, shot, language=language)
    t = walk.t
    if language != "en":
        page.goto("/login/")
        walk.choose_language()

    # the client admin approves the freelance pool as overflow provider of the engagement
    walk.sign_in("alice")
    page.goto(f"/engagements/{cast.engagement_a.pk}/")
    page.get_by_role("link", name=t("Manage overflow providers")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Overflow providers"))
    page.locator("#id_provider").select_option(label="Fjord Freelance")
    page.get_by_role("button", name=t("Approve"), exact=True).click()
    walk.flash(t("%(name)s is now an overflow provider of this engagement.", name="Fjord Freelance"))
    expect(page.locator("#approved")).to_contain_text("Fjord Freelance")
    shot("01-approved")
    walk.sign_out()

    # the provider manager cannot staff the task in time and releases it, saying why
    walk.sign_in("pete")
    page.goto(f"/tasks/{waiting.pk}/")
    panel = page.locator("#overflow")
    panel.get_by_label(t("Reason")).fill("Our line engineers are booked until after the due date.")
    panel.get_by_role("button", name=t("Release to the overflow pool")).click()
    walk.flash(t("The task is released to the overflow pool; its providers' managers are told."))
    expect(page.locator("#overflow")).to_contain_text("booked until after the due date")
    shot("02-released")
    walk.sign_out()

    # the pool's manager finds it in the overflow pool, takes it and staffs it with its own expert
    walk.sign_in("fiona")
    walk.go("Overflow pool")
    offered = page.locator("#offered")
    expect(offered).to_contain_text(waiting.title)
    expect(offered).not_to_contain_text(cast.task_a.title)  # only the released task
    shot("03-offered")
    offered.get_by_label(t("Reason")).fill("Felix balanced two gearbox lines last year.")
    offered.get_by_role("button", name=t("Take this task")).click()
    walk.flash(t("The task is yours to staff: choose experts of your own."))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Choose an expert"))
    row = page.locator(f"#candidate-{felix_id}")
    expect(row).to_be_visible()
    expect(page.locator(f"#candidate-{cast.erin.expert_profile.pk}")).to_have_count(0)  # not its expert
    shot("04-picker")
    row.get_by_role("button", name=t("Assign as maker")).click()
    expect(page.locator(".flash-success")).to_contain_text("Felix Freelancer")
    shot("05-staffed")
    walk.sign_out()
    release = TaskRelease.objects.get(task=waiting)
    assert (release.status, release.taken_by_organisation_id) == ("taken", pool.pk)
    assert Assignment.objects.filter(task=waiting, expert_id=felix_id, role="maker").exists()

    # the client admin puts erin on a bench; the shortlist offers her right after the client's own staff
    walk.sign_in("alice")
    walk.go("Talent benches")
    page.get_by_label(t("Name")).fill("Trusted line engineers")
    page.get_by_role("button", name=t("Create the bench")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trusted line engineers")
    page.get_by_role("button", name=t("Add %(name)s to the bench", name="Erin Idle")).click()
    expect(page.locator("#members")).to_contain_text("Erin Idle")
    shot("06-bench")
    other = Task.objects.create(
        engagement=cast.engagement_a,
        title="Balance line 4",
        description="Balance the stations of line 4.",
        effort_hours=Decimal(8),
        due_at=due,
        status="submitted",
        created_by=cast.bob,
    )
    page.goto(f"/tasks/{other.pk}/find-experts/")
    rows = page.locator("ol li[id^='expert-']")
    expect(rows.first).to_contain_text(t("Your own staff"))
    second = rows.nth(1)
    expect(second).to_contain_text("Erin Idle")
    expect(second).to_contain_text(t("On your bench: %(name)s", name="Trusted line engineers"))
    shot("07-shortlist-bench-first")
