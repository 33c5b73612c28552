"""Scaling a team up and releasing an expert: tasks, staffing run, hand-overs, the audit trail, the
forecast before and after, who may, and bad input that changes nothing."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kpo.audit.models import AuditEntry
from kpo.capacity.selectors import expert_loads
from kpo.core.clock import installation_date
from kpo.core.formatting import day
from kpo.engine.forecast import monday_of
from kpo.forecast.access import forecast_scope
from kpo.forecast.models import PlannedStart, TeamChange
from kpo.forecast.selectors import demand_report
from kpo.staffing.models import StaffingRun
from kpo.work.models import Assignment, Task, TaskSkill, TaskTransition
from tests.cast import Cast


def today() -> dt.date:
    return installation_date(timezone.now())


def expected(user: object) -> tuple[float, ...]:
    report = demand_report(forecast_scope(user), weeks=8, today=today(), skill_rows=10)  # type: ignore[arg-type]
    return report.result.total()


def scale_data(cast: Cast, **changes: object) -> dict[str, object]:
    skill = TaskSkill.objects.filter(task=cast.task_a).values_list("skill_id", flat=True).first()
    start = monday_of(today()) + dt.timedelta(weeks=2)
    data: dict[str, object] = {
        "experts": "2",
        "skills": [str(skill)],
        "starts": start.isoformat(),
        "hours_per_week": "20",
        "until": (start + dt.timedelta(days=25)).isoformat(),
    }
    data.update(changes)
    return data


def test_a_manager_scales_up_and_the_forecast_grows_from_that_week(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    before = expected(cast.pete)
    data = scale_data(cast)
    response = client_for("pete").post(
        reverse("team_scale", kwargs={"engagement_id": cast.engagement_a.pk}), data
    )
    change = TeamChange.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staffing_run_detail", kwargs={"run_id": change.run_id})
    tasks = list(Task.objects.filter(id__in=change.details["task_ids"]))
    assert len(tasks) == 2 and {task.status for task in tasks} == {"submitted"}
    assert all(task.effort_hours == Decimal(80) for task in tasks)  # 20 working days at 20 h a week
    run = StaffingRun.objects.get(pk=change.run_id)
    assert sorted(run.task_ids) == sorted(task.pk for task in tasks)
    assert {start.starts for start in PlannedStart.objects.all()} == {
        dt.date.fromisoformat(str(data["starts"]))
    }
    after = expected(cast.pete)
    assert after[0] == pytest.approx(before[0]) and after[1] == pytest.approx(before[1])  # not before week W
    assert after[2] == pytest.approx(before[2] + 40.0)  # two experts x 20 h in week W
    entry = AuditEntry.objects.get(event="team_scaled")
    assert entry.actor_id == cast.pete.pk and entry.details["experts"] == 2


def test_a_client_admin_scales_up_without_a_run(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("alice").post(
        reverse("team_scale", kwargs={"engagement_id": cast.engagement_a.pk}), scale_data(cast, experts="1")
    )
    assert response.status_code == 302
    change = TeamChange.objects.get()
    assert change.run_id is None and not StaffingRun.objects.exists()
    assert Task.objects.filter(id__in=change.details["task_ids"], status="submitted").count() == 1


@pytest.mark.parametrize(("who", "status"), [("bob", 403), ("carol", 403), ("dave", 404), ("quinn", 404)])
def test_others_may_not_change_the_team(cast: Cast, client_for, who: str, status: int) -> None:  # type: ignore[no-untyped-def]
    url = reverse("team_scale", kwargs={"engagement_id": cast.engagement_a.pk})
    assert client_for(who).post(url, scale_data(cast)).status_code == status
    assert (
        client_for(who)
        .get(reverse("team_change", kwargs={"engagement_id": cast.engagement_a.pk}))
        .status_code
        == status
    )
    assert not TeamChange.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"experts": "0"}, "greater than or equal to 1"),
        ({"experts": "21"}, "less than or equal to 20"),
        ({"skills": []}, "This field is required"),
        ({"skills": ["999999"]}, "Select a valid choice"),
        ({"hours_per_week": "0"}, "greater than or equal to 1"),
        ({"hours_per_week": "41"}, "less than or equal to 40"),
        ({"starts": "2020-01-06"}, "The first week cannot lie in the past."),
        ({"until": "2020-01-06"}, "The end must come after the first week starts."),
        ({"starts": "not a date"}, "Enter a valid date"),
    ],
)
def test_bad_scale_up_input_changes_nothing(
    cast: Cast, client_for, changes: dict[str, object], message: str
) -> None:  # type: ignore[no-untyped-def]
    tasks = Task.objects.count()
    url = reverse("team_scale", kwargs={"engagement_id": cast.engagement_a.pk})
    response = client_for("pete").post(url, scale_data(cast, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (
        Task.objects.count() == tasks and not TeamChange.objects.exists() and not StaffingRun.objects.exists()
    )


def test_the_end_must_be_inside_the_engagement(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    cast.engagement_a.end_date = monday_of(today()) + dt.timedelta(weeks=3)
    cast.engagement_a.save()
    url = reverse("team_scale", kwargs={"engagement_id": cast.engagement_a.pk})
    response = client_for("pete").post(url, scale_data(cast))
    assert response.status_code == 400
    assert "The end cannot be after the engagement ends" in response.content.decode()
    assert not TeamChange.objects.exists()


def test_release_cuts_the_assignment_and_hands_over_the_rest(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    before = expected(cast.pete)
    on_date = today() + dt.timedelta(days=3)
    url = reverse("team_release", kwargs={"engagement_id": cast.engagement_a.pk})
    response = client_for("pete").post(
        url, {"expert": str(cast.carol.expert_profile.pk), "on_date": on_date.isoformat()}
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    change = TeamChange.objects.get(kind="release")
    assignment = Assignment.objects.get(task=cast.task_a, expert=cast.carol.expert_profile)
    hand_over = Task.objects.get(id__in=change.details["task_ids"])
    assert hand_over.status == "submitted" and hand_over.title.startswith("Hand-over: ")
    # carol logged 3 of 40 planned hours: what she keeps plus what is handed over is the 37 left
    assert assignment.planned_hours - Decimal(3) + hand_over.effort_hours == Decimal(37)
    assert hand_over.effort_hours > 0 and PlannedStart.objects.get(task=hand_over).starts == on_date
    assert set(TaskSkill.objects.filter(task=hand_over).values_list("skill_id", flat=True)) == set(
        TaskSkill.objects.filter(task=cast.task_a).values_list("skill_id", flat=True)
    )
    assert sum(expected(cast.pete)) > sum(before)  # the hand-over waits for staff
    assert AuditEntry.objects.filter(event="expert_released", actor=cast.pete).exists()


@pytest.mark.parametrize(
    ("who", "date_offset", "message"),
    [
        ("erin", 3, "Select a valid choice"),  # not on the engagement
        ("carol", -1, "The release date cannot lie in the past."),
    ],
)
def test_bad_release_input_changes_nothing(  # type: ignore[no-untyped-def]
    cast: Cast, client_for, who: str, date_offset: int, message: str
) -> None:
    url = reverse("team_release", kwargs={"engagement_id": cast.engagement_a.pk})
    expert = cast.users()[who].expert_profile
    on_date = today() + dt.timedelta(days=date_offset)
    response = client_for("pete").post(url, {"expert": str(expert.pk), "on_date": on_date.isoformat()})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TeamChange.objects.exists()
    assert Assignment.objects.get(
        task=cast.task_a, expert=cast.carol.expert_profile
    ).planned_hours == Decimal(40)


def test_the_engagement_page_links_to_the_team_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("engagement_detail", kwargs={"engagement_id": cast.engagement_a.pk})
    team = reverse("team_change", kwargs={"engagement_id": cast.engagement_a.pk})
    for who, shown in (("pete", True), ("alice", True), ("bob", False), ("carol", False)):
        assert (team in client_for(who).get(url).content.decode()) is shown, who
    assert client_for("pete").get(team).status_code == 200


def domain_totals(html: str) -> list[int]:
    """The forecast page's expected hours per domain over the weeks shown (the first table's last column)."""
    table = html.split('id="domains-title"', 1)[1].split("</table>", 1)[0]
    return [int(total) for total in re.findall(r'<td class="num">(\d+)</td>\s*</tr>', table)]


def free_cells(html: str) -> list[int]:
    table = html.split('id="domains-title"', 1)[1].split("</table>", 1)[0]
    return [int(hours) for hours in re.findall(r'<span class="muted small">(\d+) free</span>', table)]


@pytest.mark.dates
def test_release_ends_the_assignment_for_time_capacity_and_both_pages(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    carol = cast.carol.expert_profile
    start = today()
    before_loads = expert_loads([carol], today=start, weeks=4)[carol.pk]
    forecast = client_for("pete").get(reverse("demand_forecast")).content.decode()
    response = client_for("pete").post(
        reverse("team_release", kwargs={"engagement_id": cast.engagement_a.pk}),
        {"expert": str(carol.pk), "on_date": start.isoformat()},
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(task=cast.task_a, expert=carol)
    ends_on = start - dt.timedelta(days=1)
    assert assignment.ends_on == ends_on
    entry = AuditEntry.objects.get(event="assignment_ended")
    assert entry.details["ends_on"] == ends_on.isoformat() and entry.actor_id == cast.pete.pk
    # the hand-over was submitted as any task: its transition, audited, waiting for staff
    hand_over = Task.objects.get(title__startswith="Hand-over: ")
    transition = TaskTransition.objects.get(task=hand_over)
    assert (transition.from_status, transition.to_status, transition.actor_id) == (
        "draft",
        "submitted",
        cast.pete.pk,
    )
    assert AuditEntry.objects.filter(event="transition", object_id=str(hand_over.pk)).exists()
    # capacity: nothing committed in the weeks after the release (her only assignment is on task A)
    after_loads = expert_loads([carol], today=start, weeks=4)[carol.pk]
    assert sum(load.committed for load in before_loads[1:]) > 0
    assert sum(load.committed for load in after_loads[1:]) == 0
    # time: the day before the release is still hers, the release day is not
    url = reverse("time_entry_create", kwargs={"task_id": cast.task_a.pk})
    refused = client_for("carol").post(
        url, {"time-date": start.isoformat(), "time-hours": "1", "time-description": "More"}
    )
    assert refused.status_code == 400
    assert "date" in refused.context["forms"]["time"].errors
    assert "after your assignment on this task ended" in refused.content.decode()
    accepted = client_for("carol").post(
        url, {"time-date": ends_on.isoformat(), "time-hours": "1", "time-description": "Last day"}
    )
    assert accepted.status_code == 302
    # both pages say until when
    until = f"until {day(ends_on)}"
    task_page = client_for("pete").get(reverse("task_detail", kwargs={"task_id": cast.task_a.pk}))
    assert until in task_page.content.decode()
    team_page = client_for("pete").get(reverse("team_change", kwargs={"engagement_id": cast.engagement_a.pk}))
    assert until in team_page.content.decode()
    # the forecast page moves at once: the hand-over's hours are expected, carol's hours are free
    moved = client_for("pete").get(reverse("demand_forecast")).content.decode()
    assert sum(domain_totals(moved)) > sum(domain_totals(forecast))
    assert sum(free_cells(moved)) > sum(free_cells(forecast))


def test_scale_up_moves_the_forecast_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    before = domain_totals(client_for("pete").get(reverse("demand_forecast")).content.decode())
    response = client_for("pete").post(
        reverse("team_scale", kwargs={"engagement_id": cast.engagement_a.pk}), scale_data(cast)
    )
    assert response.status_code == 302
    after = domain_totals(client_for("pete").get(reverse("demand_forecast")).content.decode())
    assert sum(after) == pytest.approx(sum(before) + 2 * 80, abs=len(after))  # two seats of 80 h, rounded
    hand_made = Task.objects.filter(title__startswith="Additional expert")
    assert all(TaskTransition.objects.filter(task=task, to_status="submitted").exists() for task in hand_made)


def test_an_expert_already_released_is_not_released_again(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("team_release", kwargs={"engagement_id": cast.engagement_a.pk})
    data = {
        "expert": str(cast.carol.expert_profile.pk),
        "on_date": (today() + dt.timedelta(days=3)).isoformat(),
    }
    assert client_for("pete").post(url, data).status_code == 302
    again = client_for("pete").post(url, data)
    assert again.status_code == 400 and TeamChange.objects.count() == 1
