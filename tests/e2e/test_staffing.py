"""A provider manager staffs one task from the Find experts shortlist and another from a staffing plan,
and staffs by hand from the picker (in English and in Danish)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kpo.experts.models import ExpertSkill
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


def _skilled(cast: Cast, *names: str) -> None:
    skill = cast.task_a.required_skills.get().skill
    for name in names:
        profile = getattr(cast, name).expert_profile
        ExpertSkill.objects.get_or_create(expert=profile, skill=skill, defaults={"proficiency": 4})
        profile.save()


@pytest.mark.parametrize("language", ["en", "da"])
def test_staff_by_hand_from_the_picker(page: Page, shot, cast: Cast, language: str) -> None:  # type: ignore[no-untyped-def]
    """The picker instead of the 721-name select: candidates with score and free hours, a search that
    explains who cannot do the task, one click to assign; then a plan told in plain words."""
    _skilled(cast, "rex", "erin")
    task = cast.task_a
    waiting = Task.objects.create(
        engagement=cast.engagement_a,
        title="Map the changeover times",
        description="Changeover times on lines 3 and 4.",
        effort_hours=8,
        due_at=task.due_at,
        status="submitted",
        created_by=cast.bob,
    )
    walk = Walk(page, shot, language=language)
    if language != "en":
        page.goto("/login/")
        walk.choose_language()
    walk.sign_in("pete")

    page.goto(f"/tasks/{task.pk}/")
    staffing = page.locator("#staffing")
    expect(staffing.locator("select")).to_have_count(0)
    staffing.get_by_role("link", name=walk.t("Choose an expert")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(walk.t("Choose an expert"))
    erin = page.locator(f"#candidate-{cast.erin.expert_profile.pk}")
    expect(erin).to_contain_text(walk.t("%(free)s h free before the due date", free="").strip())
    shot("picker")

    page.get_by_label(walk.t("Name or skill")).fill("Carol")
    page.get_by_role("button", name=walk.t("Search"), exact=True).click()
    refused = page.locator(f"#refused-{cast.carol.expert_profile.pk}")
    expect(refused).to_be_visible()
    expect(page.locator("#refused")).to_contain_text(walk.t("Found, but cannot do the task"))
    shot("picker-search-refused")

    page.get_by_label(walk.t("Name or skill")).fill("Erin")
    page.get_by_role("button", name=walk.t("Search"), exact=True).click()
    erin.get_by_role("button", name=walk.t("Assign as maker")).click()
    expect(page.locator(".flash-success")).to_contain_text("Erin Idle")
    shot("picker-assigned")
    assert Assignment.objects.filter(task=task, expert__user=cast.erin, role="maker").exists()

    walk.go("Staffing")
    page.get_by_label(waiting.title).check()
    page.get_by_role("button", name=walk.t("Start run")).click()
    expect(page.locator("#plan-verdict")).to_be_visible()
    expect(page.get_by_text("HiGHS")).to_be_hidden()
    shot("plan-in-plain-words")
    page.get_by_text(walk.t("Technical detail"), exact=True).first.click()
    expect(page.get_by_text(walk.t("Relative gap to that bound"))).to_be_visible()
    shot("plan-technical-detail")
