"""Overlap windows, hand-checked: DK-IN, DK-PH and DK-PL across Europe's DST changes and holidays.

Everyone works 09:00-17:00 local, Monday to Friday. In UTC:
- Copenhagen and Warsaw: 08:00-16:00 in winter (CET), 07:00-15:00 in summer (CEST; from 29 March
  2026, back on 25 October 2026);
- Kolkata (UTC+5:30, no DST): 03:30-11:30; Manila (UTC+8, no DST): 01:00-09:00.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from kpo.engine.business_calendar import BusinessCalendar, CalendarError
from kpo.engine.dates import date_in
from kpo.engine.overlap import (
    Interval,
    OverlapGroup,
    describe,
    overlap_windows,
    slot_inside,
    summarise,
    working_intervals,
)
from tests.text import dashed

DK = BusinessCalendar("DK", "Europe/Copenhagen")
IN = BusinessCalendar("IN", "Asia/Kolkata")
PH = BusinessCalendar("PH", "Asia/Manila")
PL = BusinessCalendar("PL", "Europe/Warsaw")


def utc(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=UTC)


def span(day: str, start: str, end: str) -> Interval:
    return Interval(utc(day, start), utc(day, end))


def test_dk_in_across_the_spring_change_and_holidays_of_both() -> None:
    # Thu 26 Mar: Ram Navami (IN). Fri 27: CET. Sun 29: DST. Tue 31: Mahavira's birthday (IN).
    # Thu 2 Apr: Maundy Thursday (DK). Fri 3: Good Friday (both).
    windows = overlap_windows([DK, IN], utc("2026-03-26", "00:00"), utc("2026-04-04", "00:00"))
    assert windows == (
        span("2026-03-27", "08:00", "11:30"),  # 09:00-12:30 in Copenhagen
        span("2026-03-30", "07:00", "11:30"),  # 09:00-13:30 in Copenhagen, summer time
        span("2026-04-01", "07:00", "11:30"),
    )
    assert describe(summarise(windows, "Europe/Copenhagen")) == dashed(
        "09:00-12:30 Fri; 09:00-13:30 Mon, Wed"
    )
    assert describe(summarise(windows, "Asia/Kolkata")) == dashed("13:30-17:00 Fri; 12:30-17:00 Mon, Wed")


def test_dk_in_across_the_autumn_change_and_an_indian_holiday() -> None:
    # Tue 20 Oct: Dussehra (IN). Sun 25 Oct: back to CET.
    windows = overlap_windows([DK, IN], utc("2026-10-19", "00:00"), utc("2026-10-28", "00:00"))
    summer = [span(day, "07:00", "11:30") for day in ("2026-10-19", "2026-10-21", "2026-10-22", "2026-10-23")]
    winter = [span(day, "08:00", "11:30") for day in ("2026-10-26", "2026-10-27")]
    assert windows == tuple(summer + winter)
    groups = summarise(windows, "Europe/Copenhagen")
    assert groups == (
        OverlapGroup(time(9), time(13, 30), tuple(date(2026, 10, d) for d in (19, 21, 22, 23))),
        OverlapGroup(time(9), time(12, 30), (date(2026, 10, 26), date(2026, 10, 27))),
    )
    assert describe(groups) == dashed("09:00-13:30 Mon, Wed-Fri; 09:00-12:30 Mon-Tue")
    assert sum(window.hours for window in windows) == pytest.approx(4 * 4.5 + 2 * 3.5)


def test_dk_ph_across_the_spring_change_and_holidays_of_both() -> None:
    # Thu 2, Fri 3 Apr: Maundy Thursday, Good Friday (both). Mon 6: Easter Monday (DK).
    # Thu 9: Day of Valor (PH).
    windows = overlap_windows([DK, PH], utc("2026-03-26", "00:00"), utc("2026-04-11", "00:00"))
    assert windows == (
        span("2026-03-26", "08:00", "09:00"),  # winter: one hour, 09:00-10:00 in Copenhagen
        span("2026-03-27", "08:00", "09:00"),
        span("2026-03-30", "07:00", "09:00"),  # summer: two hours, 09:00-11:00
        span("2026-03-31", "07:00", "09:00"),
        span("2026-04-01", "07:00", "09:00"),
        span("2026-04-07", "07:00", "09:00"),
        span("2026-04-08", "07:00", "09:00"),
        span("2026-04-10", "07:00", "09:00"),
    )
    assert describe(summarise(windows, "Asia/Manila")) == (
        dashed("16:00-17:00 Thu-Fri; 15:00-17:00 Mon-Wed, Tue-Wed, Fri")
    )


def test_dk_pl_same_hours_through_dst_minus_each_sides_holidays() -> None:
    # Sun 25 Oct: both leave summer time together. Sun 1 Nov: All Saints' (PL, a Sunday anyway).
    # Wed 11 Nov: Independence Day (PL).
    windows = overlap_windows([DK, PL], utc("2026-10-22", "00:00"), utc("2026-11-13", "00:00"))
    days = [date_in(window.start, UTC).isoformat() for window in windows]
    assert "2026-11-11" not in days and len(windows) == 15
    assert windows[0] == span("2026-10-22", "07:00", "15:00")
    assert windows[2] == span("2026-10-26", "08:00", "16:00")
    assert describe(summarise(windows, "Europe/Warsaw")) == dashed(
        "09:00-17:00 Thu-Fri, Mon-Fri, Mon-Fri, Mon-Tue, Thu"
    )
    # Whit Monday, 25 May: a Danish holiday, a Polish working day.
    may = overlap_windows([DK, PL], utc("2026-05-25", "00:00"), utc("2026-05-26", "00:00"))
    assert may == ()
    assert working_intervals(PL, utc("2026-05-25", "00:00"), utc("2026-05-26", "00:00")) == [
        span("2026-05-25", "07:00", "15:00")
    ]


def test_three_people_and_a_window_cut_mid_day() -> None:
    windows = overlap_windows([DK, IN, PL], utc("2026-03-27", "09:00"), utc("2026-03-28", "00:00"))
    assert windows == (span("2026-03-27", "09:00", "11:30"),)


def test_extra_closed_days_count_as_holidays() -> None:
    closed = BusinessCalendar("DK", "Europe/Copenhagen", extra_closed_days=frozenset({date(2026, 3, 27)}))
    assert overlap_windows([closed, IN], utc("2026-03-27", "00:00"), utc("2026-03-28", "00:00")) == ()


def test_a_viewer_across_midnight_sees_the_window_cut_at_their_midnight() -> None:
    windows = (span("2026-03-27", "08:00", "11:30"),)
    groups = summarise(windows, "Pacific/Auckland")  # UTC+13: 21:00-00:30
    assert groups == (
        OverlapGroup(time(21), time(0), (date(2026, 3, 27),)),
        OverlapGroup(time(0), time(0, 30), (date(2026, 3, 28),)),
    )
    assert describe(groups) == dashed("21:00-24:00 Fri; 00:00-00:30 Sat")
    assert groups[0].hours_per_day == 3.0


def test_slot_inside() -> None:
    windows = (span("2026-03-27", "08:00", "11:30"),)
    assert slot_inside(windows, utc("2026-03-27", "08:00"), utc("2026-03-27", "09:00"))
    assert not slot_inside(windows, utc("2026-03-27", "11:00"), utc("2026-03-27", "12:00"))
    assert not slot_inside(windows, utc("2026-03-27", "09:00"), utc("2026-03-27", "09:00"))


def test_no_overlap_describes_as_empty() -> None:
    assert describe(summarise((), "Europe/Copenhagen")) == ""


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (datetime(2026, 3, 27), utc("2026-03-28", "00:00"), "start"),
        (utc("2026-03-28", "00:00"), utc("2026-03-27", "00:00"), "end"),
        (utc("2026-01-01", "00:00"), utc("2026-06-01", "00:00"), "end"),
    ],
)
def test_bad_windows_name_the_field(start: datetime, end: datetime, field: str) -> None:
    with pytest.raises(CalendarError) as raised:
        overlap_windows([DK, IN], start, end)
    assert raised.value.field == field


def test_no_calendars_is_refused() -> None:
    with pytest.raises(CalendarError):
        overlap_windows([], utc("2026-03-27", "00:00"), utc("2026-03-28", "00:00"))
