"""The team API: scaling up and releasing through `POST /api/engagements/{id}/team/scale` and `.../release`,
with the page's services, rules and audit, who may, and bad input named and refused with nothing changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from kpo.audit.models import AuditEntry
from kpo.engine.forecast import monday_of
from kpo.forecast.models import TeamChange
from kpo.work.models import Assignment, Task, TaskSkill
from tests.cast import Cast
from tests.forecast.test_team import today


def scale_url(cast: Cast) -> str:
    return f"/api/engagements/{cast.engagement_a.pk}/team/scale"


def release_url(cast: Cast) -> str:
    return f"/api/engagements/{cast.engagement_a.pk}/team/release"


def scale_body(cast: Cast, **changes: object) -> dict[str, Any]:
    skill = TaskSkill.objects.filter(task=cast.task_a).values_list("skill_id", flat=True).first()
    start = monday_of(today()) + dt.timedelta(weeks=2)
    body: dict[str, Any] = {
        "experts": 2,
        "skill_ids": [skill],
        "starts": start.isoformat(),
        "hours_per_week": "20",
        "until": (start + dt.timedelta(days=25)).isoformat(),
    }
    body.update(changes)
    return body


def post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def test_a_manager_scales_up_through_the_api(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = post(client_for("pete"), scale_url(cast), scale_body(cast))
    assert response.status_code == 201, response.content
    data = response.json()
    change = TeamChange.objects.get()
    assert data["id"] == change.pk and data["kind"] == "scale_up" and data["run_id"] == change.run_id
    assert sorted(data["task_ids"]) == sorted(change.details["task_ids"]) and len(data["task_ids"]) == 2
    assert set(Task.objects.filter(id__in=data["task_ids"]).values_list("status", flat=True)) == {"submitted"}
    assert AuditEntry.objects.filter(event="team_scaled", actor=cast.pete).exists()


@pytest.mark.dates
def test_a_client_admin_releases_through_the_api(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    on_date = today() + dt.timedelta(days=3)
    body = {"expert_id": cast.carol.expert_profile.pk, "on_date": on_date.isoformat(), "note": "Moves on"}
    response = post(client_for("alice"), release_url(cast), body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kind"] == "release" and data["ends_on"] == (on_date - dt.timedelta(days=1)).isoformat()
    assignment = Assignment.objects.get(task=cast.task_a, expert=cast.carol.expert_profile)
    assert assignment.ends_on == on_date - dt.timedelta(days=1)
    assert len(data["task_ids"]) == 1 and Task.objects.get(pk=data["task_ids"][0]).status == "submitted"
    assert AuditEntry.objects.filter(event="expert_released", actor=cast.alice).exists()
    assert AuditEntry.objects.filter(event="assignment_ended", actor=cast.alice).exists()


@pytest.mark.parametrize(("who", "status"), [("bob", 403), ("carol", 403), ("aud", 403), ("dave", 404)])
def test_others_may_not_change_the_team_by_api(cast: Cast, client_for, who: str, status: int) -> None:  # type: ignore[no-untyped-def]
    assert post(client_for(who), scale_url(cast), scale_body(cast)).status_code == status
    body = {"expert_id": cast.carol.expert_profile.pk, "on_date": today().isoformat()}
    assert post(client_for(who), release_url(cast), body).status_code == status
    assert not TeamChange.objects.exists()


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"experts": 0}, 422, "experts"),
        ({"experts": 21}, 422, "experts"),
        ({"experts": "many"}, 422, "experts"),
        ({"skill_ids": []}, 422, "skill_ids"),
        ({"skill_ids": [999999]}, 409, "skill_ids"),  # no such skill
        ({"hours_per_week": "0.5"}, 422, "hours_per_week"),
        ({"hours_per_week": "41"}, 422, "hours_per_week"),
        ({"starts": "2020-01-06"}, 409, "starts"),  # in the past
        ({"starts": "not a date"}, 422, "starts"),
        ({"until": "2020-01-06"}, 409, "until"),  # before the first week
        ({"until": "2099-12-31"}, 409, "until"),  # after the engagement ends
    ],
)
def test_bad_scale_input_is_refused_naming_the_field(  # type: ignore[no-untyped-def]
    cast: Cast, client_for, changes: dict[str, object], status: int, field: str
) -> None:
    cast.engagement_a.end_date = today() + dt.timedelta(days=400)
    cast.engagement_a.save()
    tasks = Task.objects.count()
    response = post(client_for("pete"), scale_url(cast), scale_body(cast, **changes))
    assert response.status_code == status, response.content
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert Task.objects.count() == tasks and not TeamChange.objects.exists()


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"expert_id": 999999}, 409, "expert_id"),  # unknown expert
        ({"expert": "erin"}, 409, "expert_id"),  # not on the engagement
        ({"on_date": -1}, 409, "on_date"),  # in the past
        ({"on_date": 500}, 409, "on_date"),  # after the engagement's end
        ({"on_date": "soon"}, 422, "on_date"),
        ({"note": "x" * 501}, 422, "note"),
        ({"expert_id": 0}, 422, "expert_id"),
    ],
)
def test_bad_release_input_is_refused_naming_the_field(  # type: ignore[no-untyped-def]
    cast: Cast, client_for, changes: dict[str, Any], status: int, field: str
) -> None:
    cast.engagement_a.end_date = today() + dt.timedelta(days=400)
    cast.engagement_a.save()
    body: dict[str, Any] = {"expert_id": cast.carol.expert_profile.pk, "on_date": today().isoformat()}
    if "expert" in changes:
        body["expert_id"] = cast.users()[changes.pop("expert")].expert_profile.pk
    if isinstance(changes.get("on_date"), int):
        body["on_date"] = (today() + dt.timedelta(days=changes.pop("on_date"))).isoformat()
    body.update(changes)
    response = post(client_for("pete"), release_url(cast), body)
    assert response.status_code == status, response.content
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert not TeamChange.objects.exists()
    assignment = Assignment.objects.get(task=cast.task_a, expert=cast.carol.expert_profile)
    assert assignment.planned_hours == Decimal(40) and assignment.ends_on is None
