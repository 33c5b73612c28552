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

MONDAY_TO_FRIDAY = frozenset({0, 1, 2, 3, 4})  # date.weekday(): Monday is 0
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
    country: str  # ISO 3166-1 alpha-2, as the `holidays` package knows it: "DK", "IN", "PL", "PH"
    timezone: str  # IANA name: "Europe/Copenhagen", "Asia/Kolkata", "Europe/Warsaw", "Asia/Manila"
    subdivision: str | None = None  # e.g. an Indian state "MH"
    working_days: frozenset[int] = MONDAY_TO_FRIDAY
    day_start: time = time(9, 0)
    day_end: time = time(17, 0)
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
        return moment.astimezone(self.zone).date()

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
            if self.is_business_day(day):
                closed_run = 0
                window_start, window_end = self.working_window(day)
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
            if self.is_business_day(day):
                window_start, window_end = self.working_window(day)
                overlap = min(window_end, hi) - max(window_start, lo)
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


@dataclass(frozen=True)
class SlaStatus:
    state: SlaState
    hours_left: float  # business hours until due (0 once breached)
    remaining_effort_hours: float
