"""Capacity, committed hours and the bench, checked against examples worked out by hand.

Calendars (the `holidays` package, public category): Denmark 2027 has Maundy Thursday 25 March, Good
Friday 26 March and Easter Monday 29 March; India 2027 has Republic Day on Tuesday 26 January, Holi on
Monday 22 March and Good Friday 26 March.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kpo.engine.business_calendar import BusinessCalendar
from kpo.engine.capacity import (
    MAX_WEEKS,
    Booking,
    CapacityError,
    Span,
    WeekLoad,
    bench,
    check_absence,
    check_weeks,
    expert_weeks,
    free_within,
    team_weeks,
    week_starts,
)

DK = BusinessCalendar("DK", "Europe/Copenhagen")
IN = BusinessCalendar("IN", "Asia/Kolkata")
EASTER_MONDAY_WEEK = date(2027, 3, 22)  # Monday; Thursday and Friday are Danish holidays


def test_a_danish_week_with_two_holidays_and_the_week_after_easter() -> None:
    loads = expert_weeks(calendar=DK, absences=[], bookings=[], today=date(2027, 3, 24), weeks=3)
    assert [load.week_start for load in loads] == [date(2027, 3, 22), date(2027, 3, 29), date(2027, 4, 5)]
    # 22-24 March (Mon-Wed) = 3 days; 30 March-2 April (Easter Monday off) = 4 days; then a full week
    assert [load.capacity for load in loads] == [24.0, 32.0, 40.0]
    assert [load.committed for load in loads] == [0.0, 0.0, 0.0]
    assert [load.free for load in loads] == [24.0, 32.0, 40.0]
    assert loads[0].utilisation == 0.0


def test_an_indian_expert_keeps_republic_day_and_holi_but_not_easter_monday() -> None:
    january = expert_weeks(calendar=IN, absences=[], bookings=[], today=date(2027, 1, 28), weeks=1)
    assert january[0].week_start == date(2027, 1, 25)
    assert january[0].capacity == 32.0  # Tuesday 26 January, Republic Day, is off
    easter = expert_weeks(calendar=IN, absences=[], bookings=[], today=EASTER_MONDAY_WEEK, weeks=2)
    # Holi (Mon 22) and Good Friday (26) are off; Maundy Thursday is a working day in India;
    # Easter Monday is not an Indian holiday, so the next week is full
    assert [load.capacity for load in easter] == [24.0, 40.0]


def test_a_declared_absence_takes_its_working_days_only() -> None:
    absence = Span(date(2027, 4, 7), date(2027, 4, 11))  # Wednesday to Sunday
    loads = expert_weeks(calendar=DK, absences=[absence], bookings=[], today=date(2027, 4, 5), weeks=2)
    assert [load.capacity for load in loads] == [16.0, 40.0]  # Monday and Tuesday left


def test_an_assignment_spanning_two_weeks_spreads_over_the_working_days_of_its_window() -> None:
    # 42 hours from Monday 22 March to Friday 2 April: 22, 23, 24 March and 30 March-2 April are the
    # Danish working days (25, 26 and 29 March are holidays): 7 days, 6 hours each
    booking = Booking(start=EASTER_MONDAY_WEEK, due=date(2027, 4, 2), hours=42.0)
    loads = expert_weeks(calendar=DK, absences=[], bookings=[booking], today=EASTER_MONDAY_WEEK, weeks=3)
    assert [load.committed for load in loads] == [18.0, 24.0, 0.0]
    assert [load.free for load in loads] == [6.0, 8.0, 40.0]
    assert loads[0].utilisation == pytest.approx(18 / 24)
    # absent on Wednesday 24 March: six working days left, 7 hours each; the first week has 2 days
    absent = [Span(date(2027, 3, 24), date(2027, 3, 24))]
    loads = expert_weeks(calendar=DK, absences=absent, bookings=[booking], today=EASTER_MONDAY_WEEK, weeks=2)
    assert [(load.capacity, load.committed, load.free) for load in loads] == [
        (16.0, 14.0, 2.0),
        (32.0, 28.0, 4.0),
    ]


def test_the_same_assignment_in_india_falls_on_other_days() -> None:
    # Indian working days 23, 24, 25 March and 29 March-2 April: 8 days of 5.25 hours
    booking = Booking(start=EASTER_MONDAY_WEEK, due=date(2027, 4, 2), hours=42.0)
    loads = expert_weeks(calendar=IN, absences=[], bookings=[booking], today=EASTER_MONDAY_WEEK, weeks=2)
    assert [load.committed for load in loads] == [15.75, 26.25]


def test_overbooking_leaves_no_free_hours_and_utilisation_above_one() -> None:
    booking = Booking(start=date(2027, 4, 5), due=date(2027, 4, 9), hours=50.0)
    (load,) = expert_weeks(calendar=DK, absences=[], bookings=[booking], today=date(2027, 4, 5), weeks=1)
    assert (load.capacity, load.committed, load.free) == (40.0, 50.0, 0.0)
    assert load.utilisation == pytest.approx(1.25)


def test_hours_before_the_horizon_are_not_counted_and_overdue_work_lands_on_today() -> None:
    # a window from 1 to 12 March 2027 (10 working days, 4 h each) seen on Monday 8 March: the first
    # week (1-5 March) is before the horizon
    early = Booking(start=date(2027, 3, 1), due=date(2027, 3, 12), hours=40.0)
    (load,) = expert_weeks(calendar=DK, absences=[], bookings=[early], today=date(2027, 3, 8), weeks=1)
    assert load.committed == 20.0
    # due last Friday and still open: its 10 hours are spread up to today (Wednesday 10 March) from
    # its start on Thursday 4 March: 4, 5, 8, 9, 10 March, 2 hours each, three of them this week
    overdue = Booking(start=date(2027, 3, 4), due=date(2027, 3, 5), hours=10.0)
    (load,) = expert_weeks(calendar=DK, absences=[], bookings=[overdue], today=date(2027, 3, 10), weeks=1)
    assert load.committed == 6.0


def test_a_window_without_working_days_carries_its_hours_to_the_next_one() -> None:
    # due on Good Friday, assigned that day: the next Danish working day is Tuesday 30 March
    booking = Booking(start=date(2027, 3, 26), due=date(2027, 3, 26), hours=5.0)
    loads = expert_weeks(calendar=DK, absences=[], bookings=[booking], today=EASTER_MONDAY_WEEK, weeks=2)
    assert [load.committed for load in loads] == [0.0, 5.0]


def test_a_week_without_capacity_has_no_utilisation() -> None:
    absent = [Span(date(2027, 4, 5), date(2027, 4, 9))]
    (load,) = expert_weeks(calendar=DK, absences=absent, bookings=[], today=date(2027, 4, 5), weeks=1)
    assert load.capacity == 0.0
    assert load.utilisation is None


def test_the_bench_is_who_has_a_day_free_in_the_period_freest_first() -> None:
    monday = date(2027, 4, 5)
    loads = {
        1: [WeekLoad(monday, 40.0, 40.0), WeekLoad(date(2027, 4, 12), 40.0, 20.0)],
        2: [WeekLoad(monday, 40.0, 36.0), WeekLoad(date(2027, 4, 12), 40.0, 36.0)],
        3: [WeekLoad(monday, 40.0, 0.0), WeekLoad(date(2027, 4, 12), 40.0, 0.0)],
    }
    assert free_within(loads[2], 2) == 8.0
    assert bench(loads, 1) == [3]
    assert bench(loads, 2) == [3, 1, 2]


@pytest.mark.parametrize("weeks", [0, -1, MAX_WEEKS + 1, "12", 2.0, True, None])
def test_weeks_out_of_range_are_refused_naming_the_field(weeks: object) -> None:
    with pytest.raises(CapacityError) as caught:
        check_weeks(weeks)
    assert caught.value.field == "weeks"


def test_week_starts_are_mondays_from_todays_week() -> None:
    assert week_starts(date(2027, 1, 3), 2) == [date(2026, 12, 28), date(2027, 1, 4)]  # a Sunday


def test_an_absence_must_end_after_it_starts_and_be_bounded() -> None:
    check_absence(date(2027, 1, 4), date(2027, 1, 4))
    with pytest.raises(CapacityError) as caught:
        check_absence(date(2027, 1, 5), date(2027, 1, 4))
    assert caught.value.field == "end"
    with pytest.raises(CapacityError):
        check_absence(date(2027, 1, 1), date(2028, 1, 2))


def test_an_ended_assignment_counts_nothing_after_its_last_day() -> None:
    # 12 hours kept by an expert released from Thursday 8 April: their window 5-16 April ends on
    # Wednesday 7 April, so the hours fall on 5, 6 and 7 April (4 each) and none in the next week
    booking = Booking(start=date(2027, 4, 5), due=date(2027, 4, 16), hours=12.0, ends=date(2027, 4, 7))
    loads = expert_weeks(calendar=DK, absences=[], bookings=[booking], today=date(2027, 4, 5), weeks=2)
    assert [load.committed for load in loads] == [12.0, 0.0]
    # seen after the last day, nothing is committed any more (an open task past due would land on today)
    (load,) = expert_weeks(calendar=DK, absences=[], bookings=[booking], today=date(2027, 4, 12), weeks=1)
    assert load.committed == 0.0
    # ended on Good Friday with no working day left in the window: not carried past the end
    holiday = Booking(start=date(2027, 3, 26), due=date(2027, 4, 2), hours=5.0, ends=date(2027, 3, 26))
    loads = expert_weeks(calendar=DK, absences=[], bookings=[holiday], today=EASTER_MONDAY_WEEK, weeks=2)
    assert [load.committed for load in loads] == [0.0, 0.0]


def test_a_team_week_sums_its_members_and_one_overbooking_frees_nobody() -> None:
    monday = date(2027, 4, 5)
    busy = [WeekLoad(monday, 40.0, 50.0), WeekLoad(monday + timedelta(weeks=1), 32.0, 8.0)]
    idle = [WeekLoad(monday, 24.0, 0.0), WeekLoad(monday + timedelta(weeks=1), 40.0, 10.0)]
    first, second = team_weeks([monday, monday + timedelta(weeks=1)], [busy, idle])
    # capacity 64 less committed 50 would say 14 free, but the busy member has none: 0 + 24
    assert (first.capacity, first.committed, first.free, first.members) == (64.0, 50.0, 24.0, 2)
    assert first.utilisation == pytest.approx(50 / 64)
    assert (second.capacity, second.committed, second.free) == (72.0, 18.0, 54.0)
    (empty,) = team_weeks([monday], [])
    assert (empty.capacity, empty.free, empty.utilisation, empty.members) == (0.0, 0.0, None, 0)
    with pytest.raises(CapacityError) as refused:
        team_weeks([monday + timedelta(weeks=1)], [busy])
    assert refused.value.field == "members"
