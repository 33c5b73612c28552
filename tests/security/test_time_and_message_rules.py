"""Time and messages follow the task: time only while it is worked on, by its assigned experts, dated
within the engagement and not after today on the expert's own calendar; a closed task's thread is
read-only. Web and API alike."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from kpo.core.errors import DomainError
from kpo.work import services
from kpo.work.activity_rules import expert_today
from kpo.work.models import Message, Task, TimeEntry
from tests.api.conftest import Call, call, token_for  # noqa: F401
from tests.cast import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

EVENING_UTC = dt.datetime(2027, 1, 14, 20, 0, tzinfo=dt.UTC)  # 01:30 on the 15th in Kolkata


def _set_status(task: Task, status: str) -> None:
    Task.objects.filter(pk=task.pk).update(status=status)
    task.refresh_from_db()


def _today(cast: Cast) -> dt.date:
    return expert_today(cast.carol.expert_profile, timezone.now())


def _log(cast: Cast, who: str, date: dt.date) -> TimeEntry:
    return services.time_entry_create(
        user=cast.users()[who], task=cast.task_a, date=date, hours=Decimal(1), description="Work"
    )


@pytest.mark.parametrize("status", ["accepted", "cancelled", "delivered", "on_hold", "staffing"])
@pytest.mark.parametrize("who", ["carol", "rex"])
def test_no_time_on_a_task_that_is_not_being_worked_on(cast: Cast, status: str, who: str) -> None:
    _set_status(cast.task_a, status)
    before = TimeEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        _log(cast, who, cast.task_a.engagement.start_date)
    assert refused.value.field == "status" and "in progress" in str(refused.value)
    assert TimeEntry.objects.count() == before


@pytest.mark.parametrize("status", ["in_progress", "in_review", "changes_requested"])
@pytest.mark.parametrize("who", ["carol", "rex"])
def test_the_maker_and_the_reviewer_log_time_while_it_is_worked_on(cast: Cast, status: str, who: str) -> None:
    _set_status(cast.task_a, status)
    assert _log(cast, who, _today(cast)).task == cast.task_a


@pytest.mark.parametrize(
    ("date", "words"),
    [(dt.date(2000, 1, 1), "before the engagement started"), (dt.date(2035, 12, 31), "in the future")],
)
def test_time_outside_the_engagement_or_in_the_future_is_refused(
    cast: Cast, date: dt.date, words: str
) -> None:
    with pytest.raises(DomainError) as refused:
        _log(cast, "carol", date)
    assert refused.value.field == "date" and words in str(refused.value)


def test_time_after_the_engagement_ended_is_refused(cast: Cast) -> None:
    engagement = cast.task_a.engagement
    engagement.end_date = engagement.start_date + dt.timedelta(days=3)
    engagement.save()
    with pytest.raises(DomainError) as refused:
        _log(cast, "carol", engagement.start_date + dt.timedelta(days=4))
    assert refused.value.field == "date" and "after the engagement ended" in str(refused.value)
    assert _log(cast, "carol", engagement.end_date).date == engagement.end_date


def test_today_is_read_on_the_experts_own_calendar(cast: Cast) -> None:
    profile = cast.carol.expert_profile
    with time_machine.travel(EVENING_UTC, tick=False):
        profile.time_zone = "Asia/Kolkata"
        profile.save()
        assert _log(cast, "carol", dt.date(2027, 1, 15)).date == dt.date(2027, 1, 15)
        with pytest.raises(DomainError):
            _log(cast, "carol", dt.date(2027, 1, 16))
        profile.time_zone = "Europe/Copenhagen"
        profile.save()
        with pytest.raises(DomainError) as refused:
            _log(cast, "carol", dt.date(2027, 1, 15))
        assert refused.value.field == "date"


@pytest.mark.parametrize("who", ["carol", "rex", "bob", "pete"])
def test_nobody_writes_in_a_closed_tasks_thread(cast: Cast, who: str) -> None:
    _set_status(cast.task_a, "accepted")
    before = Message.objects.count()
    with pytest.raises(DomainError) as refused:
        services.message_post(user=cast.users()[who], task=cast.task_a, body="One more thing")
    assert refused.value.field == "body" and "read-only" in str(refused.value)
    assert Message.objects.count() == before


def test_the_web_refuses_and_the_page_says_the_thread_is_read_only(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _set_status(cast.task_a, "accepted")
    rex = client_for("rex")
    before = (TimeEntry.objects.count(), Message.objects.count())
    response = rex.post(
        reverse("time_entry_create", kwargs={"task_id": cast.task_a.pk}),
        {
            "time-date": cast.task_a.engagement.start_date.isoformat(),
            "time-hours": "1",
            "time-description": "x",
        },
    )
    assert response.status_code == 400 and "in progress" in response.content.decode()
    response = rex.post(reverse("task_message", kwargs={"task_id": cast.task_a.pk}), {"msg-body": "late"})
    assert response.status_code == 400 and "read-only" in response.content.decode()
    assert (TimeEntry.objects.count(), Message.objects.count()) == before
    page = rex.get(reverse("task_detail", kwargs={"task_id": cast.task_a.pk})).content.decode()
    assert 'id="thread-closed"' in page and 'name="msg-body"' not in page and 'name="time-date"' not in page


def test_the_web_names_the_date_field(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("carol").post(
        reverse("time_entry_create", kwargs={"task_id": cast.task_a.pk}),
        {"time-date": "2035-12-31", "time-hours": "1", "time-description": "x"},
    )
    assert response.status_code == 400
    assert "in the future" in " ".join(response.context["forms"]["time"].errors["date"])


def test_the_api_refuses_with_the_field_named(cast: Cast, call: Call) -> None:  # noqa: F811
    base = f"/api/tasks/{cast.task_a.pk}"
    before = (TimeEntry.objects.count(), Message.objects.count())
    for date in ("2000-01-01", "2035-12-31"):
        response = call(
            "POST", f"{base}/time-entries", "carol", json={"date": date, "hours": 1, "description": "x"}
        )
        assert response.status_code == 409 and response.json()["errors"][0]["field"] == "date"
    _set_status(cast.task_a, "accepted")
    start = cast.task_a.engagement.start_date.isoformat()
    for who in ("carol", "rex"):
        response = call(
            "POST", f"{base}/time-entries", who, json={"date": start, "hours": 1, "description": "x"}
        )
        assert response.status_code == 409 and response.json()["errors"][0]["field"] == "status"
        response = call("POST", f"{base}/messages", who, json={"body": "late"})
        assert response.status_code == 409 and response.json()["errors"][0]["field"] == "body"
    assert (TimeEntry.objects.count(), Message.objects.count()) == before
