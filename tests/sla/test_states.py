"""At risk and breached as time passes, pauses on hold, and met/breached once the clock stops."""

from __future__ import annotations

import datetime as dt

import pytest

from kpo.sla.selectors import task_sla
from tests.cast import Cast
from tests.sla.helpers import at, engagement, provider, task_with_history

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
WAW = "Europe/Warsaw"


def test_on_track_then_at_risk_then_breached(cast: Cast) -> None:
    eng = engagement(cast, provider("PL"), response_hours=8, at_risk_share="0.80")
    task = task_with_history(cast, eng, [("draft", "submitted", at(WAW, 2026, 11, 16, 9, 0))])

    def state(*moment: int) -> str | None:
        return task_sla(task, at(WAW, *moment)).state

    assert state(2026, 11, 16, 15, 0) == "on_track"  # 6 h of 8 used: 75 %
    assert state(2026, 11, 16, 15, 24) == "at_risk"  # 6.4 h: exactly 80 %
    assert state(2026, 11, 16, 16, 59) == "at_risk"
    assert state(2026, 11, 16, 17, 0) == "breached"  # 8 h used at the close
    assert state(2026, 11, 17, 9, 0) == "breached"
    sla = task_sla(task, at(WAW, 2026, 11, 16, 15, 0))
    assert sla.response is not None and sla.response.hours_left == pytest.approx(2.0)


def test_time_on_hold_does_not_count(cast: Cast) -> None:
    eng = engagement(cast, provider("PL"), response_hours=8)
    task = task_with_history(
        cast,
        eng,
        [
            ("draft", "submitted", at(WAW, 2026, 11, 16, 9, 0)),
            ("submitted", "on_hold", at(WAW, 2026, 11, 16, 10, 0)),
            ("on_hold", "submitted", at(WAW, 2026, 11, 17, 10, 0)),
        ],
    )
    # 1 h before the hold (Mon 09-10), paused Mon 10:00 to Tue 10:00, then 7 h more: Tue 17:00.
    sla = task_sla(task, at(WAW, 2026, 11, 17, 12, 0))
    assert sla.response is not None
    assert sla.response.due == at(WAW, 2026, 11, 17, 17, 0)
    assert sla.response.used_hours == pytest.approx(3.0)
    assert sla.state == "on_track"


def test_a_clock_paused_now_is_flagged_and_keeps_its_hours(cast: Cast) -> None:
    eng = engagement(cast, provider("PL"), response_hours=8)
    task = task_with_history(
        cast,
        eng,
        [
            ("draft", "submitted", at(WAW, 2026, 11, 16, 9, 0)),
            ("submitted", "on_hold", at(WAW, 2026, 11, 16, 16, 0)),
        ],
    )
    sla = task_sla(task, at(WAW, 2026, 11, 20, 12, 0))  # days later, still on hold
    assert sla.response is not None and sla.response.paused
    assert sla.response.used_hours == pytest.approx(7.0)
    assert sla.state == "at_risk"  # 7 of 8 hours used, but not breached while paused


def test_delivery_met_or_breached_when_delivered(cast: Cast) -> None:
    eng = engagement(cast, provider("PL"), response_hours=8)
    due = at(WAW, 2026, 11, 17, 10, 0)
    base = [
        ("draft", "submitted", at(WAW, 2026, 11, 16, 9, 0)),
        ("submitted", "staffing", at(WAW, 2026, 11, 16, 9, 30)),
        ("staffing", "in_progress", at(WAW, 2026, 11, 16, 10, 0)),
        ("in_progress", "in_review", at(WAW, 2026, 11, 16, 15, 0)),
    ]
    on_time = task_with_history(
        cast, eng, [*base, ("in_review", "delivered", at(WAW, 2026, 11, 17, 9, 59))], due=due
    )
    late = task_with_history(
        cast, eng, [*base, ("in_review", "delivered", at(WAW, 2026, 11, 17, 10, 1))], due=due
    )
    later = at(WAW, 2026, 12, 1, 9, 0)
    assert task_sla(on_time, later).state == "met"  # a minute before the due date
    assert task_sla(late, later).state == "breached"  # a minute after
    assert task_sla(late, later).delivery.due == due  # type: ignore[union-attr]  # one deadline: the task's


def test_a_running_delivery_is_at_risk_when_its_effort_outgrows_the_hours_left(cast: Cast) -> None:
    """At risk once the effort still to do, shared by the task's makers, needs more than 80 % of the
    business hours left before the due date; logged hours count against the estimate."""
    from decimal import Decimal

    from kpo.work.models import TimeEntry

    eng = engagement(cast, provider("PL"), response_hours=8)
    steps = [
        ("draft", "submitted", at(WAW, 2026, 11, 16, 9, 0)),
        ("submitted", "staffing", at(WAW, 2026, 11, 16, 9, 30)),
        ("staffing", "in_progress", at(WAW, 2026, 11, 16, 10, 0)),
    ]
    # Wed 18 Nov 09:00; due Thu 19 Nov 17:00: 16 business hours left; 16 h of effort needs 100 %.
    now = at(WAW, 2026, 11, 18, 9, 0)
    task = task_with_history(cast, eng, steps, due=at(WAW, 2026, 11, 19, 17, 0), effort=16)
    assert task_sla(task, now).state == "at_risk"
    TimeEntry.objects.create(
        task=task,
        expert=cast.ivan_profile,
        date=dt.date(2026, 11, 18),
        hours=Decimal(4),
        description="Model.",
    )  # 12 h left to do: 75 % of 16
    assert task_sla(task, now).state == "on_track"
    assert task_sla(task, at(WAW, 2026, 11, 19, 17, 0)).state == "breached"  # the due date passed
