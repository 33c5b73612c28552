from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpo.engine.business_calendar import BusinessCalendar, CalendarError, SlaState
from kpo.engine.dates import date_in

CPH = ZoneInfo("Europe/Copenhagen")
KOLKATA = ZoneInfo("Asia/Kolkata")
WARSAW = ZoneInfo("Europe/Warsaw")
MANILA = ZoneInfo("Asia/Manila")
DK = BusinessCalendar("DK", "Europe/Copenhagen")
IN = BusinessCalendar("IN", "Asia/Kolkata")
PL = BusinessCalendar("PL", "Europe/Warsaw")
PH = BusinessCalendar("PH", "Asia/Manila")


def at(
    zone: tzinfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=zone)


# (calendar, start, SLA business hours, due) — every row checked by hand against the holiday list
SLA_CASES = [
    pytest.param(
        DK, at(CPH, 2026, 3, 6, 16, 30), 8, at(CPH, 2026, 3, 9, 16, 30), id="DK Fri 16:30 -> Mon 16:30"
    ),
    pytest.param(
        DK, at(CPH, 2026, 5, 22, 16, 30), 8, at(CPH, 2026, 5, 26, 16, 30), id="DK Whit Monday -> Tue"
    ),
    pytest.param(
        DK, at(CPH, 2026, 4, 1, 16, 30), 8, at(CPH, 2026, 4, 7, 16, 30), id="DK Easter: Thu Fri Mon off"
    ),
    pytest.param(
        DK, at(CPH, 2026, 12, 23, 16, 0), 16, at(CPH, 2026, 12, 28, 16, 0), id="DK across Christmas"
    ),
    pytest.param(DK, at(CPH, 2023, 5, 4, 16, 30), 8, at(CPH, 2023, 5, 8, 16, 30), id="DK Store bededag 2023"),
    pytest.param(
        DK, at(CPH, 2026, 4, 30, 16, 30), 8, at(CPH, 2026, 5, 1, 16, 30), id="DK no Store bededag 2026"
    ),
    pytest.param(
        DK, at(CPH, 2026, 3, 27, 16, 30), 8, at(CPH, 2026, 3, 30, 16, 30), id="DK across spring DST"
    ),
    pytest.param(
        DK, at(CPH, 2026, 10, 23, 16, 30), 8, at(CPH, 2026, 10, 26, 16, 30), id="DK across autumn DST"
    ),
    pytest.param(
        IN, at(UTC, 2026, 1, 23, 12, 0), 8, at(KOLKATA, 2026, 1, 27, 17, 0), id="IN UTC start, Republic Day"
    ),
    pytest.param(
        IN, at(KOLKATA, 2025, 8, 14, 16, 30), 8, at(KOLKATA, 2025, 8, 18, 16, 30), id="IN Independence Day"
    ),
    pytest.param(
        IN, at(KOLKATA, 2026, 10, 1, 13, 0), 8, at(KOLKATA, 2026, 10, 5, 13, 0), id="IN Gandhi Jayanti"
    ),
    pytest.param(PL, at(WARSAW, 2027, 4, 30, 16, 30), 8, at(WARSAW, 2027, 5, 4, 16, 30), id="PL 3 May"),
    pytest.param(
        PL, at(WARSAW, 2026, 11, 10, 16, 0), 8, at(WARSAW, 2026, 11, 12, 16, 0), id="PL 11 November"
    ),
    pytest.param(
        PL, at(WARSAW, 2026, 10, 23, 16, 30), 8, at(WARSAW, 2026, 10, 26, 16, 30), id="PL autumn DST"
    ),
    pytest.param(
        PH, at(MANILA, 2026, 6, 11, 16, 30), 8, at(MANILA, 2026, 6, 15, 16, 30), id="PH Independence Day"
    ),
    pytest.param(
        PH, at(MANILA, 2026, 12, 29, 10, 0), 8, at(MANILA, 2027, 1, 4, 10, 0), id="PH Rizal Day to new year"
    ),
    pytest.param(
        PH, at(UTC, 2026, 6, 11, 23, 0), 4, at(MANILA, 2026, 6, 15, 13, 0), id="PH UTC start on a holiday"
    ),
]


@pytest.mark.parametrize(("calendar", "start", "hours", "due"), SLA_CASES)
def test_sla_due_dates(calendar: BusinessCalendar, start: datetime, hours: float, due: datetime) -> None:
    got = calendar.due_at(start, hours)
    assert got == due
    assert got.tzinfo == calendar.zone  # expressed in the provider's time zone
    assert got.utcoffset() == due.utcoffset()
    assert calendar.business_hours_between(start, got) == pytest.approx(hours)


def test_the_holidays_the_cases_rely_on() -> None:
    assert DK.holiday_name(date(2026, 5, 25)) == "Pentecost Monday"
    assert DK.holiday_name(date(2023, 5, 5)) == "Great Prayer Day"
    assert DK.holiday_name(date(2026, 5, 1)) is None  # Store bededag abolished from 2024
    assert DK.holiday_name(date(2026, 12, 24)) is None  # Christmas Eve is not a public holiday in DK
    assert IN.holiday_name(date(2026, 1, 26)) == "Republic Day"
    assert IN.holiday_name(date(2025, 8, 15)) == "Independence Day"
    assert "Gandhi" in (IN.holiday_name(date(2026, 10, 2)) or "")
    assert PL.is_business_day(date(2027, 5, 3)) is False
    assert PL.is_business_day(date(2026, 11, 11)) is False
    assert PH.holiday_name(date(2026, 6, 12)) == "Independence Day"
    assert PH.holiday_name(date(2026, 12, 30)) == "Rizal Day"


def test_christmas_eve_closed_when_the_optional_category_is_included() -> None:
    dk_with_eves = BusinessCalendar("DK", "Europe/Copenhagen", holiday_categories=("public", "optional"))
    assert dk_with_eves.holiday_name(date(2026, 12, 24)) == "Christmas Eve"
    # Wed 1 h, Thu 24 and Fri 25 closed, Mon 28 8 h, Tue 29 7 h
    assert dk_with_eves.due_at(at(CPH, 2026, 12, 23, 16, 0), 16) == at(CPH, 2026, 12, 29, 16, 0)


def test_dst_weekends_are_an_hour_shorter_or_longer_in_real_time() -> None:
    spring = DK.due_at(at(CPH, 2026, 3, 27, 16, 30), 8)
    assert spring.astimezone(UTC) == at(UTC, 2026, 3, 30, 14, 30)
    assert spring - at(CPH, 2026, 3, 27, 16, 30) != timedelta(hours=71)  # same-zone subtraction is wall time
    assert spring.astimezone(UTC) - at(CPH, 2026, 3, 27, 16, 30).astimezone(UTC) == timedelta(hours=71)
    autumn = PL.due_at(at(WARSAW, 2026, 10, 23, 16, 30), 8)
    assert autumn.astimezone(UTC) - at(WARSAW, 2026, 10, 23, 16, 30).astimezone(UTC) == timedelta(hours=73)


def test_working_hours_that_span_the_dst_change_count_real_hours() -> None:
    nights = BusinessCalendar(
        "DK", "Europe/Copenhagen", working_days=frozenset(range(7)), day_start=time(1), day_end=time(4)
    )
    # 29 Mar 2026 02:00 → 03:00 (one hour fewer); 25 Oct 2026 03:00 → 02:00 (one hour more)
    assert nights.business_hours_between(at(CPH, 2026, 3, 29, 0), at(CPH, 2026, 3, 29, 12)) == 2.0
    assert nights.business_hours_between(at(CPH, 2026, 10, 25, 0), at(CPH, 2026, 10, 25, 12)) == 4.0
    assert nights.business_hours_between(at(CPH, 2026, 10, 24, 0), at(CPH, 2026, 10, 24, 12)) == 3.0


def test_a_utc_request_for_an_indian_provider() -> None:
    start = at(UTC, 2026, 2, 3, 4, 0)  # 09:30 IST on a Tuesday
    assert IN.is_business_time(start)
    assert IN.due_at(start, 2) == at(KOLKATA, 2026, 2, 3, 11, 30) == at(UTC, 2026, 2, 3, 6, 0)
    # the same instant is 05:00 in Copenhagen: before opening there
    assert not DK.is_business_time(start)
    assert DK.due_at(start, 2) == at(CPH, 2026, 2, 3, 11, 0)


def test_is_business_time_boundaries() -> None:
    assert DK.is_business_time(at(CPH, 2026, 3, 9, 9, 0))
    assert DK.is_business_time(at(CPH, 2026, 3, 9, 16, 59, 59))
    assert not DK.is_business_time(at(CPH, 2026, 3, 9, 17, 0))
    assert not DK.is_business_time(at(CPH, 2026, 3, 9, 8, 59))
    assert not DK.is_business_time(at(CPH, 2026, 3, 7, 12, 0))  # Saturday
    assert not DK.is_business_time(at(CPH, 2026, 12, 25, 12, 0))  # Christmas Day


def test_zero_hours_and_the_end_of_the_day() -> None:
    inside = at(CPH, 2026, 3, 9, 10, 0)
    assert DK.add_business_hours(inside, 0) == inside
    assert DK.next_business_time(at(CPH, 2026, 3, 6, 18, 0)) == at(CPH, 2026, 3, 9, 9, 0)
    # a span that fills the day to closing ends at closing, not at the next opening
    assert DK.add_business_hours(at(CPH, 2026, 3, 9, 9, 0), 8) == at(CPH, 2026, 3, 9, 17, 0)
    assert DK.add_business_hours(at(CPH, 2026, 3, 9, 17, 0), 0.5) == at(CPH, 2026, 3, 10, 9, 30)
    assert DK.add_business_hours(at(CPH, 2026, 3, 9, 9, 0), 0.25) == at(CPH, 2026, 3, 9, 9, 15)


def test_business_hours_between() -> None:
    assert DK.business_hours_between(at(CPH, 2026, 3, 9, 10), at(CPH, 2026, 3, 9, 12, 30)) == 2.5
    assert DK.business_hours_between(at(CPH, 2026, 3, 6, 0), at(CPH, 2026, 3, 14, 0)) == 48.0  # Fri + 5 days
    assert DK.business_hours_between(at(CPH, 2026, 3, 9, 12, 30), at(CPH, 2026, 3, 9, 10)) == -2.5
    assert DK.business_hours_between(at(CPH, 2026, 3, 7, 10), at(CPH, 2026, 3, 8, 10)) == 0.0
    # December 2026 in DK: 23 weekdays minus Christmas Day (26 Dec is a Saturday)
    assert DK.business_hours_between(at(CPH, 2026, 12, 1), at(CPH, 2027, 1, 1)) == 22 * 8


def test_custom_week_hours_and_closures() -> None:
    custom = BusinessCalendar(
        "PH",
        "Asia/Manila",
        working_days=frozenset({0, 1, 2, 3, 4, 5}),  # Monday to Saturday
        day_start=time(8, 0),
        day_end=time(12, 0),
        extra_closed_days=frozenset({date(2026, 6, 13)}),
        extra_open_days=frozenset({date(2026, 6, 14), date(2026, 6, 12)}),  # a Sunday and a holiday
    )
    # Thu 11 Jun 11:00: 1 h; Fri 12 (made a working day) 4 h; Sat 13 closed; Sun 14 open 3 h
    assert custom.due_at(at(MANILA, 2026, 6, 11, 11, 0), 8) == at(MANILA, 2026, 6, 14, 11, 0)
    assert custom.holiday_name(date(2026, 6, 13)) == "Closed"
    assert custom.is_business_day(date(2026, 6, 12))


def test_a_subdivision_adds_its_own_holidays() -> None:
    maharashtra = BusinessCalendar("IN", "Asia/Kolkata", subdivision="MH")
    assert IN.is_business_day(date(2026, 3, 19))
    assert not maharashtra.is_business_day(date(2026, 3, 19))  # Gudi Padwa


# ---- SLA status ------------------------------------------------------------------------------------


def test_sla_status() -> None:
    due = at(CPH, 2026, 3, 9, 16, 30)  # Mon; from Fri 14:00 there are 3 + 7.5 = 10.5 business hours left
    now = at(CPH, 2026, 3, 6, 14, 0)
    on_track = DK.sla_status(now, due, remaining_effort_hours=4)
    assert on_track.state == SlaState.ON_TRACK and on_track.hours_left == 10.5
    assert not DK.at_risk(now, due, 8.4)  # 8.4 == 0.8 x 10.5: not more than the threshold
    assert DK.at_risk(now, due, 8.5)
    assert DK.sla_status(now, due, 8.5).state == SlaState.AT_RISK
    assert not DK.at_risk(now, due, 8.5, threshold=1.0)
    assert DK.at_risk(now, due, 11, threshold=1.0)  # cannot be done in time
    breached = DK.sla_status(at(CPH, 2026, 3, 9, 16, 30), due, 0)
    assert breached.state == SlaState.BREACHED and breached.hours_left == 0
    assert DK.at_risk(at(CPH, 2026, 3, 10, 9, 0), due, 0)
    # over a weekend no business hours pass
    assert (
        DK.sla_status(at(CPH, 2026, 3, 6, 17, 0), due, 0).hours_left
        == DK.sla_status(at(CPH, 2026, 3, 8, 23, 0), due, 0).hours_left
        == 7.5
    )


# ---- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"country": "XX"}, "country"),
        ({"subdivision": "ZZ"}, "subdivision"),
        ({"holiday_categories": ("bogus",)}, "holiday_categories"),
        ({"working_days": frozenset()}, "working_days"),
        ({"working_days": frozenset({7})}, "working_days"),
        ({"day_start": time(17), "day_end": time(9)}, "day_end"),
        ({"day_start": time(9, tzinfo=UTC)}, "day_start"),
    ],
)
def test_bad_settings_name_the_field(kwargs: dict[str, object], field: str) -> None:
    settings_ = {"country": "DK", "timezone": "Europe/Copenhagen", **kwargs}
    with pytest.raises(CalendarError) as err:
        BusinessCalendar(**settings_)  # type: ignore[arg-type]
    assert err.value.field == field


def test_bad_arguments_name_the_field() -> None:
    naive = datetime(2026, 3, 9, 10, 0)
    calls: list[tuple[Callable[[], object], str]] = [
        (lambda: DK.add_business_hours(naive, 1), "start"),
        (lambda: DK.add_business_hours(at(CPH, 2026, 3, 9), -1), "hours"),
        (lambda: DK.add_business_hours(at(CPH, 2026, 3, 9), float("inf")), "hours"),
        (lambda: DK.business_hours_between(at(CPH, 2026, 3, 9), naive), "end"),
        (lambda: DK.is_business_time(naive), "moment"),
        (lambda: DK.sla_status(at(CPH, 2026, 3, 9), at(CPH, 2026, 3, 10), -1), "remaining_effort_hours"),
        (lambda: DK.sla_status(at(CPH, 2026, 3, 9), at(CPH, 2026, 3, 10), 1, threshold=0), "threshold"),
    ]
    for call, field in calls:
        with pytest.raises(CalendarError) as err:
            call()
        assert err.value.field == field


# ---- properties ------------------------------------------------------------------------------------

calendars = st.sampled_from([DK, IN, PL, PH])
moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 6, 1), timezones=st.just(UTC))
spans = st.floats(min_value=0, max_value=120, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(calendars, moments, spans)
def test_between_inverts_add(calendar: BusinessCalendar, start: datetime, hours: float) -> None:
    due = calendar.add_business_hours(start, hours)
    assert due >= start
    assert calendar.business_hours_between(start, due) == pytest.approx(hours, abs=1e-6)
    if hours > 0:  # it ends inside working hours or exactly at a closing time
        window = calendar.working_window(date_in(due, calendar.zone))
        assert calendar.is_business_time(due) or due == window[1]


@settings(max_examples=100, deadline=None)
@given(calendars, moments, spans, spans)
def test_adding_hours_is_monotone_and_additive(
    calendar: BusinessCalendar, start: datetime, h1: float, h2: float
) -> None:
    low, high = sorted((h1, h2))
    assert calendar.add_business_hours(start, low) <= calendar.add_business_hours(start, high)
    if timedelta(hours=h2) > timedelta(0):  # at least a microsecond, the datetime resolution
        stepwise = calendar.add_business_hours(calendar.add_business_hours(start, h1), h2)
        direct = calendar.add_business_hours(start, h1 + h2)
        assert abs((stepwise - direct).total_seconds()) < 1e-3


@settings(max_examples=100, deadline=None)
@given(calendars, moments, moments, spans)
def test_a_later_start_is_never_due_earlier(
    calendar: BusinessCalendar, a: datetime, b: datetime, hours: float
) -> None:
    early, late = sorted((a, b))
    assert calendar.add_business_hours(early, hours) <= calendar.add_business_hours(late, hours)
