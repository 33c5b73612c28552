"""SLA due dates at the Django level: a provider in Denmark, India, Poland and the Philippines, each
with a task whose clock starts just before a public holiday, a weekend or the end of the working day.
Every expected moment is worked out by hand in the comment beside it (working hours 09:00-17:00)."""

from __future__ import annotations

import datetime as dt

import pytest

from kpo.sla.selectors import task_sla
from tests.cast import Cast
from tests.sla.helpers import at, engagement, provider, task_with_history

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
LATER = dt.datetime(2027, 6, 1, tzinfo=dt.UTC)  # long after every due date: only `due` is checked


def test_denmark_response_across_ascension_day(cast: Cast) -> None:
    eng = engagement(cast, provider("DK"), response_hours=8)
    # Wed 13 May 2026 15:30 CEST: 1.5 h left that day; Thu 14 May is Ascension Day (closed);
    # Fri 15 May 09:00 + the remaining 6.5 h = 15:30 CEST = 13:30 UTC.
    submitted = at("Europe/Copenhagen", 2026, 5, 13, 15, 30)
    task = task_with_history(cast, eng, [("draft", "submitted", submitted)])
    sla = task_sla(task, LATER)
    assert sla.clock_name == "response"
    assert sla.response is not None
    assert sla.response.due == dt.datetime(2026, 5, 15, 13, 30, tzinfo=dt.UTC)
    assert sla.response.due.utcoffset() == dt.timedelta(hours=2)  # shown in the provider's zone


def test_denmark_response_across_a_weekend(cast: Cast) -> None:
    eng = engagement(cast, provider("DK"), response_hours=4)
    # Fri 27 Nov 2026 16:00 CET: 1 h that day; Sat and Sun closed; Mon 30 Nov 09:00 + 3 h = 12:00 CET.
    task = task_with_history(
        cast, eng, [("draft", "submitted", at("Europe/Copenhagen", 2026, 11, 27, 16, 0))]
    )
    assert task_sla(task, LATER).response.due == dt.datetime(2026, 11, 30, 11, 0, tzinfo=dt.UTC)  # type: ignore[union-attr]


def test_india_response_across_guru_nanak_jayanti(cast: Cast) -> None:
    eng = engagement(cast, provider("IN"), response_hours=8)
    # Mon 23 Nov 2026 16:00 IST (10:30 UTC): 1 h that day; Tue 24 Nov is Guru Nanak's Birthday;
    # Wed 25 Nov 09:00 + 7 h = 16:00 IST = 10:30 UTC.
    task = task_with_history(
        cast, eng, [("draft", "submitted", dt.datetime(2026, 11, 23, 10, 30, tzinfo=dt.UTC))]
    )
    due = task_sla(task, LATER).response.due  # type: ignore[union-attr]
    assert due == dt.datetime(2026, 11, 25, 10, 30, tzinfo=dt.UTC)
    assert due.utcoffset() == dt.timedelta(hours=5, minutes=30)


def test_poland_delivery_due_date_moves_by_hold_across_independence_day(cast: Cast) -> None:
    eng = engagement(cast, provider("PL"), response_hours=8)
    waw = "Europe/Warsaw"
    # Due Thu 12 Nov 2026 17:00 CET. On hold Tue 10 Nov 16:00 to Thu 12 Nov 10:00: 1 business hour on
    # Tuesday, none on Wed 11 Nov (Independence Day), 1 on Thursday. The deadline moves 2 business
    # hours: Thu 17:00 -> Fri 13 Nov 11:00 CET = 10:00 UTC.
    task = task_with_history(
        cast,
        eng,
        [
            ("draft", "submitted", at(waw, 2026, 11, 10, 8, 0)),
            ("submitted", "staffing", at(waw, 2026, 11, 10, 9, 0)),
            ("staffing", "in_progress", at(waw, 2026, 11, 10, 9, 0)),
            ("in_progress", "on_hold", at(waw, 2026, 11, 10, 16, 0)),
            ("on_hold", "in_progress", at(waw, 2026, 11, 12, 10, 0)),
        ],
        due=at(waw, 2026, 11, 12, 17, 0),
    )
    sla = task_sla(task, LATER)
    assert sla.clock_name == "delivery"
    assert sla.delivery is not None and sla.delivery.due == dt.datetime(2026, 11, 13, 10, 0, tzinfo=dt.UTC)
    assert sla.delivery.state == "breached"  # LATER is past the moved deadline
    assert sla.response is not None and sla.response.state == "met"  # staffed at the day's opening
    assert sla.response.used_hours == pytest.approx(0.0)


def test_philippines_response_after_hours_before_a_weekend_and_bonifacio_day(cast: Cast) -> None:
    eng = engagement(cast, provider("PH"), response_hours=8)
    # Fri 27 Nov 2026 17:30 PHT: after hours; Sat, Sun closed; Mon 30 Nov is Bonifacio Day;
    # Tue 1 Dec 09:00 + 8 h = 17:00 PHT (a span ending at the close ends there) = 09:00 UTC.
    task = task_with_history(cast, eng, [("draft", "submitted", at("Asia/Manila", 2026, 11, 27, 17, 30))])
    assert task_sla(task, LATER).response.due == dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)  # type: ignore[union-attr]


def test_the_same_moment_falls_due_differently_in_each_providers_zone(cast: Cast) -> None:
    moment = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)  # Mon: 09:00 CET, 13:30 IST, 09:00 CET, 16:00 PHT
    dues = {}
    for country in ("DK", "IN", "PL", "PH"):
        eng = engagement(cast, provider(country), response_hours=4)
        task = task_with_history(cast, eng, [("draft", "submitted", moment)], title=country)
        dues[country] = task_sla(task, LATER).response.due.astimezone(dt.UTC)  # type: ignore[union-attr]
    assert dues == {
        "DK": dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC),  # 09:00 + 4 h = 13:00 CET
        # 13:30-17:00 IST = 3.5 h; Tue 24 Nov is a holiday; Wed 25 Nov 09:00 + 0.5 h = 09:30 IST
        "IN": dt.datetime(2026, 11, 25, 4, 0, tzinfo=dt.UTC),
        "PL": dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC),  # as Denmark
        # 16:00-17:00 PHT = 1 h; Tue 24 Nov 09:00 + 3 h = 12:00 PHT = 04:00 UTC
        "PH": dt.datetime(2026, 11, 24, 4, 0, tzinfo=dt.UTC),
    }


def test_policy_working_hours_and_days_change_the_due_date(cast: Cast) -> None:
    eng = engagement(
        cast,
        provider("DK"),
        response_hours=8,
        working_days="0,1,2,3,4,5",
        day_start=dt.time(8, 0),
        day_end=dt.time(12, 0),
    )
    # Fri 27 Nov 2026 11:00 CET: 1 h that day; Sat 28 Nov works 08:00-12:00 (4 h, 5 in all);
    # Mon 30 Nov 08:00 + 3 h = 11:00 CET = 10:00 UTC.
    task = task_with_history(
        cast, eng, [("draft", "submitted", at("Europe/Copenhagen", 2026, 11, 27, 11, 0))]
    )
    assert task_sla(task, LATER).response.due == dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)  # type: ignore[union-attr]


def test_a_provider_message_ends_the_response_clock(cast: Cast) -> None:
    from kpo.work.models import Message

    eng = engagement(cast, provider("DK", manager=cast.quinn), response_hours=8)
    task = task_with_history(cast, eng, [("draft", "submitted", at("Europe/Copenhagen", 2026, 11, 23, 9, 0))])
    Message.objects.create(task=task, author=cast.bob, body="Client note: does not count")
    message = Message.objects.create(task=task, author=cast.quinn, body="On it")
    Message.objects.filter(pk=message.pk).update(created_at=at("Europe/Copenhagen", 2026, 11, 23, 11, 30))
    sla = task_sla(task, LATER)
    assert sla.response is not None and sla.response.finished == at("Europe/Copenhagen", 2026, 11, 23, 11, 30)
    assert sla.response.state == "met" and sla.response.used_hours == pytest.approx(2.5)


def test_cancelled_and_draft_tasks_have_no_clock(cast: Cast) -> None:
    eng = engagement(cast, provider("DK"))
    moment = at("Europe/Copenhagen", 2026, 11, 23, 9, 0)
    cancelled = task_with_history(
        cast, eng, [("draft", "submitted", moment), ("submitted", "cancelled", moment)]
    )
    assert task_sla(cancelled, LATER).current is None
    assert task_sla(task_with_history(cast, eng, []), LATER).current is None
