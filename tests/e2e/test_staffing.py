"""A provider manager staffs one task from the Find experts shortlist and another from a staffing plan."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kpo.work.models import Assignment, Task
from tests.cast import Cast
from tests.e2e.walk import Walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_from_shortlist_and_from_a_plan(page: Page, shot, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    from_shortlist = cast.draft_a
    from_shortlist.status = "staffing"
    from_shortlist.save()
    from_plan = Task.objects.create(
        engagement=cast.engagement_a,
        title="Map the changeover times",
        description="Changeover times on lines 3 and 4.",
        effort_hours=8,
        due_at=from_shortlist.due_at,
        status="submitted",
        created_by=cast.bob,
    )
    walk = Walk(page, shot)
    walk.sign_in("pete")

    page.goto(f"/tasks/{from_shortlist.pk}/")
    page.get_by_role("link", name=walk.t("Find experts")).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shot("shortlist")
    row = page.locator(f"#expert-{cast.erin.expert_profile.pk}")
    row.get_by_role("button", name=walk.t("Assign as maker")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    shot("assigned-from-shortlist")
    assert Assignment.objects.filter(task=from_shortlist, expert__user=cast.erin, role="maker").exists()

    walk.go("Staffing")
    page.get_by_label(from_plan.title).check()
    page.get_by_role("button", name=walk.t("Start run")).click()
    expect(page.get_by_role("button", name=walk.t("Commit"), exact=True)).to_be_visible()
    shot("plan")
    page.get_by_role("button", name=walk.t("Commit"), exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text(walk.t("%(n)s assignments created.", n=1))
    shot("plan-committed")
    made = Assignment.objects.filter(task=from_plan, role="maker")
    assert made.count() == 1
    assert made.get().expert.organisation_id == cast.provider_p.pk
