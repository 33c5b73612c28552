"""A provider manager opens Capacity from the menu, puts two experts in a team and filters by it (the
team's row and its members only), then filters for a skill and "free in the next 4 weeks", finds an
expert on the bench and staffs them on a task needing that skill (in English and in Danish)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kpo.capacity.models import Absence, Team
from kpo.core.clock import installation_date
from kpo.engine.capacity import monday_of
from kpo.experts.models import ExpertSkill
from kpo.work.models import Assignment, Task, TaskSkill
from tests.cast import Cast
from tests.e2e.walk import Walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "da"])
def test_find_who_in_a_team_is_free_next_month_for_a_skill_and_staff_them(
    page: Page, shot, cast: Cast, language: str
) -> None:  # type: ignore[no-untyped-def]
    skill = cast.task_a.required_skills.get().skill
    erin = cast.erin.expert_profile
    ExpertSkill.objects.create(expert=erin, skill=skill, proficiency=4)
    monday = monday_of(installation_date(timezone.now()))
    Absence.objects.create(
        expert=erin,
        start=monday + dt.timedelta(weeks=2),
        end=monday + dt.timedelta(weeks=2, days=4),
        reason="Leave",
        declared_by=cast.erin,
    )
    waiting = Task.objects.create(
        engagement=cast.engagement_a,
        title="Map the changeover times",
        description="Changeover times on lines 3 and 4.",
        effort_hours=8,
        due_at=timezone.now() + dt.timedelta(days=21),
        status="submitted",
        created_by=cast.bob,
    )
    TaskSkill.objects.create(task=waiting, skill=skill, min_proficiency=3)

    walk = Walk(page, shot, language=language)
    if language != "en":
        page.goto("/login/")
        walk.choose_language()
    walk.sign_in("pete")
    walk.go("Capacity")
    expect(page.get_by_role("heading", level=1)).to_have_text(walk.t("Capacity"))
    expect(page.locator("figure.capacity-heat svg[role=img]")).to_be_visible()
    shot("capacity")

    page.get_by_role("link", name=walk.t("Teams"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(walk.t("Teams"))
    form = page.locator("form", has=page.get_by_role("button", name=walk.t("Create team")))
    form.get_by_label(walk.t("Name")).first.fill("Process desk")
    form.get_by_label(cast.erin.get_full_name()).check()
    form.get_by_label(cast.carol.get_full_name()).check()
    shot("team-new")
    form.get_by_role("button", name=walk.t("Create team")).click()
    expect(page.locator(".flash-success")).to_contain_text("Process desk")
    team = Team.objects.get(name="Process desk")
    assert set(team.members.all()) == {erin, cast.carol.expert_profile}
    page.get_by_role("link", name=walk.t("See the team's capacity")).click()
    expect(page.locator("#id_team")).to_have_value(str(team.pk))
    heat = page.locator("figure.capacity-heat")
    expect(heat.locator(f'g[data-team="{team.pk}"]')).to_be_visible()
    expect(heat.locator(f'g[data-team="{team.pk}"] .cap-label')).to_contain_text("Process desk")
    expect(heat.locator(f'g[data-expert="{erin.pk}"]')).to_be_visible()
    expect(heat.locator(f'g[data-expert="{cast.rex.expert_profile.pk}"]')).to_have_count(0)  # not in it
    shot("capacity-for-team")

    page.get_by_label(walk.t("Skill"), exact=True).fill(skill.label)
    expect(page.locator("#id_skill option", has_text=skill.label)).to_have_count(1)
    page.locator("#id_skill").select_option(str(skill.pk))
    page.get_by_label(walk.t("Availability")).select_option("4")
    page.get_by_role("button", name=walk.t("Apply")).click()
    bench = page.locator('[data-bench-weeks="4"]')
    expect(page.locator("#id_team")).to_have_value(str(team.pk))  # the team filter stays
    expect(bench.locator(f'li[data-expert="{erin.pk}"]')).to_be_visible()
    expect(page.locator("#bench")).not_to_contain_text(cast.carol.get_full_name())  # no such skill
    shot("bench-for-skill")

    staff = walk.t("Staff on “%(title)s”", title=waiting.title)
    bench.locator(f'li[data-expert="{erin.pk}"]').get_by_role("link", name=staff).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(walk.t("Choose an expert"))
    candidate = page.locator(f"#candidate-{erin.pk}")
    expect(candidate).to_be_visible()
    shot("picker-from-bench")
    candidate.get_by_role("button", name=walk.t("Assign as maker")).click()
    expect(page.locator(".flash-success")).to_contain_text(cast.erin.get_full_name())
    shot("assigned")
    assert Assignment.objects.filter(task=waiting, expert=erin, role="maker").exists()


@pytest.mark.parametrize("language", ["en", "da"])
def test_an_expert_declares_an_absence_on_their_profile(page: Page, shot, cast: Cast, language: str) -> None:  # type: ignore[no-untyped-def]
    walk = Walk(page, shot, language=language)
    if language != "en":
        page.goto("/login/")
        walk.choose_language()
    walk.sign_in("carol")
    walk.go("My profile")
    panel = page.locator("#absences")
    expect(panel).to_contain_text(walk.t("No absences declared."))
    panel.locator("summary", has_text=walk.t("Declare an absence")).click()
    panel.get_by_label(walk.t("First day")).fill("2030-01-09")
    panel.get_by_label(walk.t("Last day")).fill("2030-01-07")
    panel.get_by_role("button", name=walk.t("Declare absence")).click()
    expect(page.locator(".field.has-error")).to_contain_text(
        walk.t("The last day cannot be before the first day.")
    )
    shot("absence-refused")
    assert not Absence.objects.exists()
    page.get_by_label(walk.t("Last day")).fill("2030-01-11")
    page.get_by_label(walk.t("Reason")).fill("Training")
    page.get_by_role("button", name=walk.t("Declare absence")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#absences")).to_contain_text("Training")
    shot("absence-declared")
    absence = Absence.objects.get()
    assert (absence.start, absence.end, absence.expert_id) == (
        dt.date(2030, 1, 9),
        dt.date(2030, 1, 11),
        cast.carol.expert_profile.pk,
    )
