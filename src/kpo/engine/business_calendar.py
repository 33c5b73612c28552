"""Business calendars for SLAs: working hours in a provider's country and time zone.

A `BusinessCalendar` says when a provider works: on which weekdays, between which local wall-clock
times, and which days are public holidays (from the `holidays` package, for a country and optionally
a subdivision; by default only its ``public`` category — Denmark's Christmas Eve, for instance, is
in the ``optional`` category there). Working hours are local wall-clock times in the calendar's IANA
time zone, so a working day is 8 real hours on either side of a DST change, and the weekend across
it is one hour shorter or longer in real time.

Every function takes and returns *aware* datetimes; results are expressed in the calendar's time
zone (compare them as instants, or convert). A start outside working hours starts the clock at the
next working moment. Nothing here reads the clock: `now` is passed in.

Limits: a working day is one window ``day_start``-``day_end`` on one local date (no breaks, no
shifts across midnight).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from kpo.engine.dates import date_in
from kpo.engine.working_day import DAY_END, DAY_START
from kpo.engine.working_day import MONDAY_TO_FRIDAY as MONDAY_TO_FRIDAY

MAX_SLA_HOURS = 100_000.0
_MAX_CLOSED_RUN_DAYS = 800  # a calendar with no working day for this long is misconfigured
_ONE_DAY = timedelta(days=1)


class CalendarError(ValueError):
    """Bad calendar settings or arguments; `field` names what was wrong."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@functools.lru_cache(maxsize=512)
def _holidays_for(
    country: str, subdivision: str | None, categories: tuple[str, ...], year: int
) -> Mapping[date, str]:
    if not country:
        return MappingProxyType({})
    found = holidays.country_holidays(country, subdiv=subdivision, years=year, categories=categories)
    return MappingProxyType({day: str(name) for day, name in found.items()})


@functools.cache
def _supported_countries() -> Mapping[str, list[str]]:
    return MappingProxyType(holidays.list_supported_countries())


def _require_aware(moment: datetime, field: str) -> None:
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise CalendarError("Give a date and time with a time zone.", field=field)


@dataclass(frozen=True)
class BusinessCalendar:
    country: str  # ISO 3166-1 alpha-2, as the `holidays` package knows it: "DK", "IN", "PL", "PH";
    # "" for a calendar without public holidays (weekends and extra closed days only)
    timezone: str  # IANA name: "Europe/Copenhagen", "Asia/Kolkata", "Europe/Warsaw", "Asia/Manila"
    subdivision: str | None = None  # e.g. an Indian state "MH"
    working_days: frozenset[int] = MONDAY_TO_FRIDAY
    day_start: time = DAY_START
    day_end: time = DAY_END
    holiday_categories: tuple[str, ...] = ("public",)
    extra_closed_days: frozenset[date] = frozenset()  # company closures
    extra_open_days: frozenset[date] = frozenset()  # make-up working days, even on a weekend or holiday

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise CalendarError(f"Unknown time zone {self.timezone!r}.", field="timezone") from exc
        if not self.working_days or not self.working_days <= frozenset(range(7)):
            raise CalendarError(
                "Working days are weekday numbers 0 (Monday) to 6 (Sunday).", field="working_days"
            )
        if self.day_start.tzinfo is not None or self.day_end.tzinfo is not None:
            raise CalendarError(
                "Working hours are local wall-clock times, without a zone.", field="day_start"
            )
        if not self.day_start < self.day_end:
            raise CalendarError("The working day must end after it starts.", field="day_end")
        if self.country == "":
            if self.subdivision is not None:
                raise CalendarError("A subdivision needs a country.", field="subdivision")
            return
        supported = _supported_countries()
        if self.country not in supported:
            raise CalendarError(f"No public-holiday calendar for country {self.country!r}.", field="country")
        if self.subdivision is not None and self.subdivision not in supported[self.country]:
            raise CalendarError(
                f"{self.country} has no subdivision {self.subdivision!r}.", field="subdivision"
            )
        try:  # with no years, this only checks the categories
            holidays.country_holidays(
                self.country, subdiv=self.subdivision, categories=self.holiday_categories
            )
        except (NotImplementedError, ValueError) as exc:
            raise CalendarError(str(exc), field="holiday_categories") from exc

    # ---- days --------------------------------------------------------------------------------------

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def holidays_in(self, year: int) -> Mapping[date, str]:
        """The public holidays of `year` from the `holidays` package, plus the extra closed days."""
        found = dict(_holidays_for(self.country, self.subdivision, self.holiday_categories, year))
        for day in self.extra_closed_days:
            if day.year == year:
                found.setdefault(day, "Closed")
        return found

    def holiday_name(self, day: date) -> str | None:
        return self.holidays_in(day.year).get(day)

    def is_business_day(self, day: date) -> bool:
        if day in self.extra_open_days:
            return True
        if day in self.extra_closed_days or day.weekday() not in self.working_days:
            return False
        return day not in _holidays_for(self.country, self.subdivision, self.holiday_categories, day.year)

    def working_window(self, day: date) -> tuple[datetime, datetime]:
        """The working hours of local date `day` as UTC instants (whether or not it is a business day)."""
        zone = self.zone
        start = datetime.combine(day, self.day_start, tzinfo=zone).astimezone(UTC)
        end = datetime.combine(day, self.day_end, tzinfo=zone).astimezone(UTC)
        return start, end

    def _local_date(self, moment: datetime) -> date:
        return date_in(moment, self.zone)

    # ---- instants and durations --------------------------------------------------------------------

    def is_business_time(self, moment: datetime) -> bool:
        """Inside working hours of a business day (the window includes its start, not its end)."""
        _require_aware(moment, "moment")
        day = self._local_date(moment)
        if not self.is_business_day(day):
            return False
        start, end = self.working_window(day)
        return start <= moment < end

    def add_business_hours(self, start: datetime, hours: float) -> datetime:
        """The instant `hours` business hours after `start`, in the calendar's time zone.

        A span that ends exactly at the close of a day ends there (17:00), not at the next opening.
        """
        _require_aware(start, "start")
        if not math.isfinite(hours) or not 0.0 <= hours <= MAX_SLA_HOURS:
            raise CalendarError(f"Hours must be between 0 and {MAX_SLA_HOURS:g}.", field="hours")
        remaining = timedelta(hours=hours)
        moment = start.astimezone(UTC)
        day = self._local_date(start)
        closed_run = 0
        while closed_run < _MAX_CLOSED_RUN_DAYS:
            window = _open_window(self, day)
            if window is not None:
                closed_run = 0
                window_start, window_end = window
                if window_end > moment:
                    begin = max(moment, window_start)
                    available = window_end - begin
                    if remaining <= available:
                        return (begin + remaining).astimezone(self.zone)
                    remaining -= available
            else:
                closed_run += 1
            day += _ONE_DAY
        raise CalendarError("The calendar has no working day for over two years.", field="working_days")

    @property
    def day_hours(self) -> float:
        """The length of a working day in hours (wall clock: 8 for 09:00-17:00)."""
        start = self.day_start.hour * 60 + self.day_start.minute + self.day_start.second / 60
        end = self.day_end.hour * 60 + self.day_end.minute + self.day_end.second / 60
        return (end - start) / 60

    def add_business_days(self, start: datetime, days: float) -> datetime:
        """The instant `days` working days of business hours after `start`.

        Three days from Tuesday 11:00 is Friday 11:00 when no holiday is in between; from a closed
        moment they count from the next opening."""
        if not math.isfinite(days) or days < 0:
            raise CalendarError("Days must be zero or more.", field="days")
        return self.add_business_hours(start, days * self.day_hours)

    def next_business_time(self, moment: datetime) -> datetime:
        """`moment` if it is business time, else the next opening."""
        return self.add_business_hours(moment, 0.0)

    def business_hours_between(self, start: datetime, end: datetime) -> float:
        """Business hours from `start` to `end`; negative when `end` is before `start`."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        if end < start:
            return -self.business_hours_between(end, start)
        lo, hi = start.astimezone(UTC), end.astimezone(UTC)
        day, last = self._local_date(start), self._local_date(end)
        total = timedelta(0)
        while day <= last:
            window = _open_window(self, day)
            if window is not None:
                overlap = min(window[1], hi) - max(window[0], lo)
                if overlap > timedelta(0):
                    total += overlap
            day += _ONE_DAY
        return total / timedelta(hours=1)

    # ---- SLAs --------------------------------------------------------------------------------------

    def due_at(self, start: datetime, sla_hours: float) -> datetime:
        """When an SLA of `sla_hours` business hours, started at `start`, falls due."""
        return self.add_business_hours(start, sla_hours)

    def sla_status(
        self, now: datetime, due: datetime, remaining_effort_hours: float, threshold: float = 0.8
    ) -> SlaStatus:
        """On track, at risk (the remaining effort needs more than `threshold` of the business hours
        left before `due`), or breached (`now` is at or after `due`)."""
        _require_aware(now, "now")
        _require_aware(due, "due")
        if not math.isfinite(remaining_effort_hours) or remaining_effort_hours < 0:
            raise CalendarError(
                "Remaining effort must be zero or more hours.", field="remaining_effort_hours"
            )
        if not math.isfinite(threshold) or threshold <= 0:
            raise CalendarError("The at-risk threshold must be positive.", field="threshold")
        hours_left = max(0.0, self.business_hours_between(now, due))
        if now >= due:
            state = SlaState.BREACHED
        elif remaining_effort_hours > threshold * hours_left:
            state = SlaState.AT_RISK
        else:
            state = SlaState.ON_TRACK
        return SlaStatus(state, hours_left, remaining_effort_hours)

    def at_risk(
        self, now: datetime, due: datetime, remaining_effort_hours: float, threshold: float = 0.8
    ) -> bool:
        """Needs attention: at risk or already breached (see `sla_status`)."""
        return self.sla_status(now, due, remaining_effort_hours, threshold).state != SlaState.ON_TRACK


class SlaState(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BREACHED = "breached"
    MET = "met"  # a finished clock that stopped in time (a finished late one is BREACHED)


@dataclass(frozen=True)
class SlaStatus:
    state: SlaState
    hours_left: float  # business hours until due (0 once breached)
    remaining_effort_hours: float


@dataclass(frozen=True)
class SlaClock:
    """One SLA clock (e.g. delivery) of one piece of work at `now`: how much of its allowance is used.

    `due` is when the allowance runs (ran) out, assuming a paused clock resumes at `now`; `finished`
    is when the clock stopped (None while running). `used_hours` excludes paused business hours.
    """

    state: SlaState
    due: datetime
    used_hours: float
    allowance_hours: float
    hours_left: float
    finished: datetime | None
    paused: bool

    @property
    def used_share(self) -> float:
        return self.used_hours / self.allowance_hours if self.allowance_hours else 1.0


def _active_segments(
    start: datetime, stop: datetime, pauses: tuple[tuple[datetime, datetime | None], ...]
) -> list[tuple[datetime, datetime]]:
    """[start, stop] without the paused intervals (a pause with no end lasts until `stop`)."""
    segments: list[tuple[datetime, datetime]] = []
    cursor = start
    for pause_start, pause_end in sorted(pauses, key=lambda pause: pause[0]):
        end = stop if pause_end is None else min(pause_end, stop)
        if end <= cursor or pause_start >= stop:
            continue
        if pause_start > cursor:
            segments.append((cursor, pause_start))
        cursor = max(cursor, end)
    if cursor < stop:
        segments.append((cursor, stop))
    return segments


def sla_clock(
    calendar: BusinessCalendar,
    *,
    start: datetime,
    allowance_hours: float,
    now: datetime,
    finished: datetime | None = None,
    pauses: tuple[tuple[datetime, datetime | None], ...] = (),
    threshold: float = 0.8,
) -> SlaClock:
    """Evaluate one SLA clock: started at `start` with `allowance_hours` business hours, stopped at
    `finished` (or still running at `now`), not counting business hours inside `pauses`.

    A running clock is breached once the used hours reach the allowance, at risk once they reach
    `threshold` of it, else on track; a finished clock is met if it stopped within the allowance,
    else breached.
    """
    _require_aware(start, "start")
    _require_aware(now, "now")
    if finished is not None:
        _require_aware(finished, "finished")
    if not math.isfinite(allowance_hours) or not 0.0 < allowance_hours <= MAX_SLA_HOURS:
        raise CalendarError(
            f"The allowance must be above 0 and at most {MAX_SLA_HOURS:g} hours.", field="hours"
        )
    if not math.isfinite(threshold) or not 0.0 < threshold <= 1.0:
        raise CalendarError("The at-risk threshold must be above 0 and at most 1.", field="threshold")
    for pause_start, pause_end in pauses:
        _require_aware(pause_start, "pauses")
        if pause_end is not None:
            _require_aware(pause_end, "pauses")
    stop = finished if finished is not None else now
    stop = max(stop, start)
    segments = _active_segments(start, stop, pauses)
    open_pause = finished is None and any(
        p_start <= now and (p_end is None or p_end > now) for p_start, p_end in pauses
    )
    used = 0.0
    due: datetime | None = None
    for seg_start, seg_end in segments:
        hours = calendar.business_hours_between(seg_start, seg_end)
        if due is None and used + hours >= allowance_hours:
            due = calendar.add_business_hours(seg_start, allowance_hours - used)
        used += hours
    if due is None:  # not used up yet: due after the remaining hours, counted from where the clock stands
        due = calendar.add_business_hours(stop, allowance_hours - used)
    if finished is not None:
        state = SlaState.MET if used <= allowance_hours + 1e-9 else SlaState.BREACHED
    elif used >= allowance_hours - 1e-9:
        state = SlaState.BREACHED
    elif used >= threshold * allowance_hours:
        state = SlaState.AT_RISK
    else:
        state = SlaState.ON_TRACK
    return SlaClock(
        state=state,
        due=due.astimezone(calendar.zone),
        used_hours=used,
        allowance_hours=allowance_hours,
        hours_left=max(0.0, allowance_hours - used),
        finished=finished,
        paused=open_pause,
    )


def deadline_clock(
    calendar: BusinessCalendar,
    *,
    start: datetime,
    deadline: datetime,
    now: datetime,
    remaining_effort_hours: float,
    finished: datetime | None = None,
    pauses: tuple[tuple[datetime, datetime | None], ...] = (),
    threshold: float = 0.8,
) -> SlaClock:
    """The delivery clock of a task that must be delivered by `deadline` (its due date).

    Business hours spent on hold move the deadline later by as many business hours. A running clock
    is breached once `now` reaches the (moved) deadline and at risk while the effort still to do,
    `remaining_effort_hours` per person working on it, needs more than `threshold` of the business
    hours left; a finished clock is met if it stopped by the deadline.
    """
    for value, name in ((start, "start"), (deadline, "deadline"), (now, "now")):
        _require_aware(value, name)
    if finished is not None:
        _require_aware(finished, "finished")
    stop = max(finished if finished is not None else now, start)
    active = _active_segments(start, stop, pauses)
    used = sum(calendar.business_hours_between(seg_start, seg_end) for seg_start, seg_end in active)
    paused_hours = max(0.0, calendar.business_hours_between(start, stop) - used)
    due = (
        calendar.add_business_hours(deadline, min(paused_hours, MAX_SLA_HOURS)) if paused_hours else deadline
    )
    allowance = max(0.0, calendar.business_hours_between(start, due))
    open_pause = finished is None and any(
        p_start <= now and (p_end is None or p_end > now) for p_start, p_end in pauses
    )
    if finished is not None:
        state = SlaState.MET if finished <= due else SlaState.BREACHED
    elif open_pause and now < due:
        state = SlaState.ON_TRACK
    else:
        state = calendar.sla_status(now, due, max(0.0, remaining_effort_hours), threshold).state
    return SlaClock(
        state=state,
        due=due.astimezone(calendar.zone),
        used_hours=used,
        allowance_hours=allowance,
        hours_left=max(0.0, calendar.business_hours_between(stop, due)),
        finished=finished,
        paused=open_pause,
    )


@functools.lru_cache(maxsize=65536)
def _open_window(calendar: BusinessCalendar, day: date) -> tuple[datetime, datetime] | None:
    """The working hours of `day` as UTC instants, or None when it is no business day: SLA clocks
    walk the same days of the same few calendars over and over (a dashboard, every few minutes)."""
    return calendar.working_window(day) if calendar.is_business_day(day) else None
