"""The demand forecast API agrees with the forecast page (expected, free and shortfall hours per domain
and skill and week), states its method, and refuses bad weeks and other tenants' organisations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kpo.core.clock import installation_date
from kpo.engine.forecast import METHOD_NAME, Method
from kpo.work.models import TaskSkill, TimeEntry
from tests.api.conftest import Call
from tests.cast import Cast
from tests.forecast.test_forecast_page import waiting_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def demand(cast: Cast) -> None:
    """Waiting tasks with and without skills, and approved time for the EWMA of running work."""
    skill = TaskSkill.objects.filter(task=cast.task_a).first()
    assert skill is not None
    for index, hours in enumerate((900, 30, 12)):
        task = waiting_task(cast, f"Survey {index}", hours)
        if index < 2:
            TaskSkill.objects.create(task=task, skill_id=skill.skill_id, min_proficiency=2)
    waiting_task(cast, "Bank review", 50, engagement=cast.engagement_b)
    for days in (8, 15, 22):
        TimeEntry.objects.create(
            task=cast.task_a,
            expert=cast.carol.expert_profile,
            date=installation_date(timezone.now()) - dt.timedelta(days=days),
            hours=Decimal(6),
            description="work",
            status="approved",
        )


def _page_rows(rows: Any) -> list[dict[str, Any]]:
    return [
        {
            "key": row.key,
            "label": row.label,
            "expected_hours": [cell.expected for cell in row.cells],
            "free": [cell.free for cell in row.cells],
            "gap": [cell.gap for cell in row.cells],
        }
        for row in rows
    ]


def _api_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "key": row["key"],
            "label": row["label"],
            "expected_hours": row["expected_hours"],
            "free": row["free_hours"] or [None] * len(row["expected_hours"]),
            "gap": row["shortfall_hours"] or [None] * len(row["expected_hours"]),
        }
        for row in rows
    ]


@pytest.mark.parametrize(("who", "organisation"), [("pete", "provider_p"), ("alice", "org_a")])
def test_the_api_agrees_with_the_page(
    call: Call, cast: Cast, demand: None, who: str, organisation: str
) -> None:
    browser = Client()
    browser.force_login(cast.users()[who])
    page = browser.get(reverse("demand_forecast"), {"weeks": "8"})
    assert page.status_code == 200
    org = getattr(cast, organisation)
    response = call("get", f"/api/organisations/{org.pk}/forecast?weeks=8", who)
    assert response.status_code == 200
    data = response.json()
    assert data["weeks"] == [week.isoformat() for week in page.context["weeks"]]
    assert len(data["weeks"]) == 8
    assert _api_rows(data["domains"]) == _page_rows(page.context["domains"])
    page_skills = _page_rows(page.context["skills"])
    assert page_skills, "the page shows the skills asked for"
    assert _api_rows(data["skills"])[: len(page_skills)] == page_skills
    assert data["engagements"] == page.context["report"].engagements
    assert sum(data["domains"][0]["expected_hours"]) == pytest.approx(
        data["domains"][0]["total_expected_hours"]
    )
    method = Method()
    assert data["method"] == {
        "name": METHOD_NAME,
        "alpha": method.alpha,
        "history_weeks": method.history_weeks,
    }
    provider = who == "pete"
    assert (data["bench_experts"] is not None) == provider
    assert all((row["free_hours"] is not None) == provider for row in data["domains"] + data["skills"])
    if provider:  # 900 hours in two weeks outrun P's experts: a shortfall the page marks too
        assert any(gap > 0 for row in data["domains"] for gap in row["shortfall_hours"])
        assert "forecast-short" in page.content.decode()


def test_a_client_admin_sees_only_its_own_engagements(call: Call, cast: Cast, demand: None) -> None:
    alice = call("get", f"/api/organisations/{cast.org_a.pk}/forecast", "alice").json()
    dave = call("get", f"/api/organisations/{cast.org_b.pk}/forecast", "dave").json()
    assert len(alice["weeks"]) == 12  # the default
    assert alice["engagements"] == dave["engagements"] == 1
    # the bank's one waiting task of 50 hours, spread to its due date, is all dave's forecast holds
    assert sum(sum(row["expected_hours"]) for row in dave["domains"]) == pytest.approx(50)
    # A's waiting tasks (capped by what its budget still funds) and its running work
    assert sum(sum(row["expected_hours"]) for row in alice["domains"]) > 100


@pytest.mark.parametrize("weeks", ["0", "3", "27", "many", "-4", "1.5"])
def test_weeks_out_of_range_are_refused_naming_the_field(call: Call, cast: Cast, weeks: str) -> None:
    response = call("get", f"/api/organisations/{cast.provider_p.pk}/forecast?weeks={weeks}", "pete")
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["weeks"]


def test_other_organisations_are_not_found_and_other_roles_refused(call: Call, cast: Cast) -> None:
    assert call("get", f"/api/organisations/{cast.org_a.pk}/forecast", "dave").status_code == 404
    assert call("get", f"/api/organisations/{cast.provider_q.pk}/forecast", "pete").status_code == 404
    assert call("get", "/api/organisations/999999/forecast", "pete").status_code == 404
    assert call("get", f"/api/organisations/{cast.org_a.pk}/forecast", "bob").status_code == 403
    assert call("get", f"/api/organisations/{cast.provider_p.pk}/forecast", "carol").status_code == 403
