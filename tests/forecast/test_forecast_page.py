"""The demand forecast page: who sees it, what it shows (expected hours, free hours, shortfalls, the
method), bad input, English and Danish, and a query count that does not grow with the data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kpo.core.clock import installation_date
from kpo.work.models import Engagement, Task, TaskSkill, TimeEntry
from tests.cast import Cast

URL = reverse("demand_forecast")


def waiting_task(cast: Cast, title: str, hours: int, engagement: Engagement | None = None) -> Task:
    return Task.objects.create(
        engagement=engagement or cast.engagement_a,
        title=title,
        description="Open work.",
        effort_hours=Decimal(hours),
        due_at=timezone.now() + dt.timedelta(days=9),
        status="submitted",
        created_by=cast.bob,
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("pete", 200),
        ("alice", 200),
        ("dave", 200),
        ("quinn", 200),
        ("bob", 404),
        ("carol", 404),
        ("aud", 404),
        ("ops", 404),
    ],
)
def test_who_sees_the_forecast(cast: Cast, client_for, who: str, status: int) -> None:  # type: ignore[no-untyped-def]
    assert client_for(who).get(URL).status_code == status


def test_a_waiting_task_shows_as_expected_hours_and_a_shortfall(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    before = client_for("pete").get(URL).content.decode()
    waiting_task(cast, "Large survey", 900)
    page = client_for("pete").get(URL).content.decode()
    assert "forecast-short" not in before
    assert "forecast-short" in page  # 900 hours in two weeks outrun P's few experts
    assert "How the forecast is made" in page and "free" in page
    # the client admin sees expected hours but not the provider's free hours
    alice = client_for("alice").get(URL).content.decode()
    assert "forecast-short" not in alice and " free" not in alice
    assert "Large survey" not in alice  # hours, not task titles


def test_the_client_admin_of_another_client_sees_none_of_a(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    waiting_task(cast, "Large survey", 900)
    dave = client_for("dave").get(URL).content.decode()
    alice = client_for("alice").get(URL).content.decode()
    assert alice.count("forecast-chart") > 0
    assert dave.count("900") == 0


@pytest.mark.parametrize("weeks", ["0", "3", "27", "many", "-4"])
def test_bad_weeks_are_refused_naming_the_field(cast: Cast, client_for, weeks: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for("pete").get(URL, {"weeks": weeks})
    assert response.status_code == 400
    assert "Weeks ahead: enter a whole number from 4 to 26." in response.content.decode()


def test_weeks_ahead_sets_the_columns(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    waiting_task(cast, "Survey", 40)
    response = client_for("pete").get(URL, {"weeks": "6"})
    assert response.status_code == 200
    assert len(response.context["weeks"]) == 6
    assert all(len(row.cells) == 6 for row in response.context["domains"])


def test_danish(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    waiting_task(cast, "Survey", 40)
    pete = client_for("pete")
    pete.cookies["django_language"] = "da"
    html = pete.get(URL).content.decode()
    assert "Efterspørgselsprognose" in html
    assert "Sådan laves prognosen" in html


def test_query_count_does_not_grow(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    pete = client_for("pete")
    waiting_task(cast, "Survey", 40)
    pete.get(URL)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert pete.get(URL).status_code == 200
        return len(queries)

    small = count()
    skill = TaskSkill.objects.filter(task=cast.task_a).first()
    for index in range(12):
        task = waiting_task(cast, f"More {index}", 10 + index)
        if skill is not None:
            TaskSkill.objects.create(task=task, skill_id=skill.skill_id, min_proficiency=2)
        TimeEntry.objects.create(
            task=cast.task_a,
            expert=cast.carol.expert_profile,
            date=installation_date(timezone.now()) - dt.timedelta(days=7 + index),
            hours=Decimal(2),
            description="work",
            status="approved",
        )
    assert count() == small
