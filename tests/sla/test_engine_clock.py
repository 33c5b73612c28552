"""The engine's SLA clock (kpo.engine.business_calendar.sla_clock) and its small extensions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from kpo.engine.business_calendar import BusinessCalendar, CalendarError, SlaState, sla_clock

pytestmark = pytest.mark.dates

WAW = ZoneInfo("Europe/Warsaw")
PL = BusinessCalendar("PL", "Europe/Warsaw")


def w(*args: int) -> datetime:
    return datetime(*args, tzinfo=WAW)  # type: ignore[misc]


def test_a_calendar_without_a_country_has_weekends_but_no_holidays() -> None:
    plain = BusinessCalendar("", "Europe/Warsaw")
    assert plain.is_business_day(date(2026, 11, 11))  # Polish Independence Day: open here
    assert not PL.is_business_day(date(2026, 11, 11))
    assert not plain.is_business_day(date(2026, 11, 14))  # a Saturday
    with pytest.raises(CalendarError) as error:
        BusinessCalendar("", "UTC", subdivision="MH")
    assert error.value.field == "subdivision"


def test_business_days_are_working_days_of_hours() -> None:
    short = BusinessCalendar("PL", "Europe/Warsaw", day_start=time(8, 30), day_end=time(12, 0))
    assert short.day_hours == 3.5
    # Tue 10 Nov 10:00 + 2 days (7 h): Tue 2 h; Wed 11 Nov closed; Thu 3.5 h (5.5); Fri 08:30 + 1.5 h = 10:00
    assert short.add_business_days(w(2026, 11, 10, 10, 0), 2) == w(2026, 11, 13, 10, 0)
    with pytest.raises(CalendarError):
        PL.add_business_days(w(2026, 11, 10, 10, 0), -1)


def test_pauses_move_the_due_moment_and_are_not_counted() -> None:
    clock = sla_clock(
        PL,
        start=w(2026, 11, 16, 9, 0),
        allowance_hours=8,
        now=w(2026, 11, 18, 9, 0),
        pauses=((w(2026, 11, 16, 12, 0), w(2026, 11, 17, 12, 0)),),  # 8 business hours paused
    )
    # 3 h Mon 09-12, paused until Tue 12:00, then 5 h: Tue 12-17 -> due Tue 17:00, breached by Wed 09:00
    assert clock.due == w(2026, 11, 17, 17, 0)
    assert clock.used_hours == pytest.approx(8.0) and clock.state == SlaState.BREACHED
    assert clock.hours_left == 0


def test_a_pause_after_the_due_moment_does_not_move_it() -> None:
    clock = sla_clock(
        PL,
        start=w(2026, 11, 16, 9, 0),
        allowance_hours=2,
        now=w(2026, 11, 20, 9, 0),
        pauses=((w(2026, 11, 17, 9, 0), None),),
    )
    assert clock.due == w(2026, 11, 16, 11, 0) and clock.state == SlaState.BREACHED and clock.paused


def test_finished_clocks_are_met_or_breached_and_bad_input_names_the_field() -> None:
    start = w(2026, 11, 16, 9, 0)
    met = sla_clock(
        PL, start=start, allowance_hours=4, now=w(2026, 12, 1, 9), finished=w(2026, 11, 16, 13, 0)
    )
    assert met.state == SlaState.MET and met.finished is not None
    late = sla_clock(
        PL, start=start, allowance_hours=4, now=w(2026, 12, 1, 9), finished=w(2026, 11, 16, 13, 1)
    )
    assert late.state == SlaState.BREACHED
    for kwargs, field in (
        ({"allowance_hours": 0.0}, "hours"),
        ({"allowance_hours": float("nan")}, "hours"),
        ({"threshold": 1.5}, "threshold"),
        ({"now": datetime(2026, 11, 16, 9, 0)}, "now"),  # naive
    ):
        arguments = {"start": start, "allowance_hours": 4.0, "now": w(2026, 11, 17, 9), **kwargs}
        with pytest.raises(CalendarError) as error:
            sla_clock(PL, **arguments)  # type: ignore[arg-type]
        assert error.value.field == field


def test_due_is_expressed_in_the_calendars_zone() -> None:
    clock = sla_clock(
        PL, start=datetime(2026, 11, 16, 8, 0, tzinfo=UTC), allowance_hours=1, now=w(2026, 11, 16, 9)
    )
    assert clock.due.tzinfo == WAW and clock.due == w(2026, 11, 16, 10, 0)
