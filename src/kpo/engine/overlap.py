"""When people in different time zones and countries are all at work: overlap windows.

Each person's working pattern is a `BusinessCalendar` (time zone, working days, local day start and
end, the public holidays of their country plus any extra closed days); by default the working day of
`kpo.engine.working_day`, the one matching scores time zones with. `overlap_windows` intersects the
business hours of every calendar inside a UTC window and returns the shared intervals as UTC
instants, so a daylight-saving change or a holiday on either side shows up on the day it happens.

`summarise` reads the intervals on a viewer's clock and groups the days that share the same local
hours ("10:00-12:30, Mon-Thu"); `describe` turns the groups into one line with the caller's weekday
names, so the words can be translated outside the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kpo.engine.business_calendar import BusinessCalendar, CalendarError
from kpo.engine.dates import date_in

MAX_WINDOW = timedelta(days=62)
_ONE_DAY = timedelta(days=1)
DASH = "\u2013"  # the en dash of a range of hours or days
EN_WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, order=True)
class Interval:
    """A half-open span of time [start, end) between two aware UTC instants."""

    start: datetime
    end: datetime

    @property
    def hours(self) -> float:
        return (self.end - self.start) / timedelta(hours=1)

    def contains(self, start: datetime, end: datetime) -> bool:
        return self.start <= start and end <= self.end


def _require_window(start: datetime, end: datetime) -> None:
    for moment, name in ((start, "start"), (end, "end")):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise CalendarError("Give a date and time with a time zone.", field=name)
    if end <= start:
        raise CalendarError("The window must end after it starts.", field="end")
    if end - start > MAX_WINDOW:
        raise CalendarError("The window may be at most 62 days long.", field="end")


def working_intervals(calendar: BusinessCalendar, start: datetime, end: datetime) -> list[Interval]:
    """The business hours of `calendar` inside [start, end), as UTC intervals in time order."""
    _require_window(start, end)
    lo, hi = start.astimezone(UTC), end.astimezone(UTC)
    day, last = date_in(lo, calendar.zone), date_in(hi, calendar.zone)
    found: list[Interval] = []
    while day <= last:
        if calendar.is_business_day(day):
            open_at, close_at = calendar.working_window(day)
            begin, finish = max(open_at, lo), min(close_at, hi)
            if begin < finish:
                found.append(Interval(begin, finish))
        day += _ONE_DAY
    return found


def _intersect(left: list[Interval], right: list[Interval]) -> list[Interval]:
    shared: list[Interval] = []
    i = j = 0
    while i < len(left) and j < len(right):
        begin = max(left[i].start, right[j].start)
        finish = min(left[i].end, right[j].end)
        if begin < finish:
            shared.append(Interval(begin, finish))
        if left[i].end <= right[j].end:
            i += 1
        else:
            j += 1
    return shared


def overlap_windows(
    calendars: Sequence[BusinessCalendar], start: datetime, end: datetime
) -> tuple[Interval, ...]:
    """The UTC intervals inside [start, end) when every calendar is in business hours."""
    if not calendars:
        raise CalendarError("Give at least one working pattern.", field="calendars")
    shared = working_intervals(calendars[0], start, end)
    for calendar in calendars[1:]:
        shared = _intersect(shared, working_intervals(calendar, start, end))
    return tuple(shared)


def slot_inside(windows: Sequence[Interval], start: datetime, end: datetime) -> bool:
    """Whether [start, end) lies wholly inside one overlap window."""
    return end > start and any(window.contains(start, end) for window in windows)


@dataclass(frozen=True)
class OverlapGroup:
    """Local dates on which the overlap runs the same local hours on the viewer's clock."""

    start: time
    end: time  # time(0, 0) when the overlap runs to local midnight
    days: tuple[date, ...]

    @property
    def hours_per_day(self) -> float:
        end = 24 * 60 if self.end == time(0, 0) else self.end.hour * 60 + self.end.minute
        return (end - (self.start.hour * 60 + self.start.minute)) / 60


def _local_pieces(window: Interval, zone: ZoneInfo) -> list[tuple[date, time, time]]:
    """The window on the viewer's clock, cut at local midnight."""
    pieces: list[tuple[date, time, time]] = []
    cursor = window.start.astimezone(zone)
    finish = window.end.astimezone(zone)
    while cursor < finish:
        day = date_in(cursor, zone)
        midnight = datetime.combine(day + _ONE_DAY, time(0, 0), tzinfo=zone)
        stop = min(finish, midnight)
        pieces.append((day, cursor.time().replace(tzinfo=None), stop.time().replace(tzinfo=None)))
        cursor = stop
    return pieces


def summarise(windows: Sequence[Interval], viewer_zone: str) -> tuple[OverlapGroup, ...]:
    """Group the windows by their local hours on `viewer_zone`'s clock, in order of first day.

    A day with two separate windows contributes to two groups."""
    zone = ZoneInfo(viewer_zone)
    by_hours: dict[tuple[time, time], list[date]] = {}
    for window in sorted(windows):
        for day, begin, finish in _local_pieces(window, zone):
            by_hours.setdefault((begin, finish), []).append(day)
    groups = [
        OverlapGroup(begin, finish, tuple(sorted(set(days)))) for (begin, finish), days in by_hours.items()
    ]
    return tuple(sorted(groups, key=lambda group: (group.days[0], group.start)))


def day_runs(days: Sequence[date]) -> list[tuple[date, date]]:
    """Consecutive calendar dates as (first, last) runs: Mon, Tue, Wed, Fri -> (Mon, Wed), (Fri, Fri)."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and day - runs[-1][1] == _ONE_DAY:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _clock(moment: time) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def describe(groups: Sequence[OverlapGroup], weekday_names: Sequence[str] = EN_WEEKDAYS) -> str:
    """One line: "10:00-12:30 Mon-Thu; 10:00-11:30 Fri", with en dashes ("" when there is no overlap)."""
    if len(weekday_names) != 7:
        raise ValueError("Give seven weekday names, Monday first.")
    parts: list[str] = []
    for group in groups:
        runs = ", ".join(
            weekday_names[first.weekday()]
            if first == last
            else f"{weekday_names[first.weekday()]}{DASH}{weekday_names[last.weekday()]}"
            for first, last in day_runs(group.days)
        )
        end = "24:00" if group.end == time(0, 0) else _clock(group.end)
        parts.append(f"{_clock(group.start)}{DASH}{end} {runs}")
    return "; ".join(parts)
