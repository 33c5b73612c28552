"""Capacity, committed hours and the bench: per expert and ISO week, for the next few weeks.

An expert's capacity in a week is their working days in it (`kpo.engine.working_day`: Monday to
Friday, 8 hours a day) less the public holidays of their country (their business calendar) less the
days they declared absent. Committed hours are each open assignment's planned hours spread evenly over
the expert's working days from the assignment's start to its task's due date (holidays and absences
excluded, so the hours move to the days the expert works). Free hours are capacity less committed,
never below zero; utilisation is committed over capacity (none when the week has no capacity).

Edge cases, stated so the numbers can be checked by hand:
- A window with no working day of the expert (a task due on a holiday, say) puts its hours on the first
  working day from its due date on (within four weeks), else nowhere.
- An open task past its due date is still work to do: its window ends at `today`, so its hours land on
  the expert's working days up to today, or on their next working day.
- An assignment ended early (`Booking.ends`) counts nothing after its last day: its window ends there,
  before `today` too, and its hours are never carried past it.
- The horizon is whole ISO weeks from the Monday of `today`'s week; hours before that are not counted.

Pure: every input, the current date included, is an argument.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kpo.engine.business_calendar import BusinessCalendar
from kpo.engine.working_day import DAY_END_HOUR, DAY_START_HOUR

DAY_HOURS = DAY_END_HOUR - DAY_START_HOUR
DEFAULT_WEEKS = 12
MAX_WEEKS = 26
BENCH_WEEKS = (2, 4)
BENCH_MIN_HOURS = DAY_HOURS
"""An expert is on the bench for a period when that much is free in it: at least one working day."""
MAX_ABSENCE_DAYS = 366
CARRY_DAYS = 28
_ONE_DAY = timedelta(days=1)
_PLACES = 2


class CapacityError(ValueError):
    """A bad argument; `field` names it."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Span:
    """Days from `start` to `end`, both included."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True)
class Booking:
    """Hours of one assignment, to be done from `start` to `due` (both included); `ends` is the last day
    of an assignment ended early (an expert released from the team): nothing is counted after it."""

    start: date
    due: date
    hours: float
    ends: date | None = None


@dataclass(frozen=True)
class WeekLoad:
    week_start: date  # a Monday
    capacity: float
    committed: float

    @property
    def free(self) -> float:
        return round(max(0.0, self.capacity - self.committed), _PLACES)

    @property
    def utilisation(self) -> float | None:
        """Committed over capacity (1.0 is fully booked; above 1 is overbooked), None without capacity."""
        if self.capacity <= 0:
            return None
        return self.committed / self.capacity


@dataclass(frozen=True)
class TeamWeek:
    """A team's week: the sums of its members' capacity, committed and free hours."""

    week_start: date
    capacity: float
    committed: float
    free: float
    members: int

    @property
    def utilisation(self) -> float | None:
        if self.capacity <= 0:
            return None
        return self.committed / self.capacity


def team_weeks(mondays: Sequence[date], members: Sequence[Sequence[WeekLoad]]) -> list[TeamWeek]:
    """Per week of `mondays`, the sums over `members` (each one's loads over the same weeks). Free hours
    are the sum of each member's free hours, not capacity less committed: one member's overbooking frees
    no hours of another's."""
    weeks = []
    for index, monday in enumerate(mondays):
        loads = [member[index] for member in members]
        if any(load.week_start != monday for load in loads):
            raise CapacityError("Every member's loads must cover the same weeks.", field="members")
        weeks.append(
            TeamWeek(
                week_start=monday,
                capacity=round(sum(load.capacity for load in loads), _PLACES),
                committed=round(sum(load.committed for load in loads), _PLACES),
                free=round(sum(load.free for load in loads), _PLACES),
                members=len(loads),
            )
        )
    return weeks


def check_weeks(weeks: object) -> int:
    """`weeks` as a whole number from 1 to MAX_WEEKS, else CapacityError naming `weeks`."""
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        raise CapacityError(f"Give a whole number of weeks from 1 to {MAX_WEEKS}.", field="weeks")
    return weeks


def check_absence(start: date, end: date) -> None:
    """An absence ends on or after its start and lasts at most MAX_ABSENCE_DAYS days."""
    if end < start:
        raise CapacityError("The absence cannot end before it starts.", field="end")
    if (end - start).days + 1 > MAX_ABSENCE_DAYS:
        raise CapacityError(f"An absence lasts at most {MAX_ABSENCE_DAYS} days.", field="end")


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_starts(today: date, weeks: int) -> list[date]:
    """The Mondays of the `weeks` ISO weeks from `today`'s week on."""
    first = monday_of(today)
    return [first + timedelta(weeks=index) for index in range(check_weeks(weeks))]


def _days(start: date, end: date) -> Iterable[date]:
    day = start
    while day <= end:
        yield day
        day += _ONE_DAY


class _Days:
    """Which days an expert works: business days of their calendar outside their absences."""

    def __init__(self, calendar: BusinessCalendar, absences: Sequence[Span]) -> None:
        self.calendar = calendar
        self.absences = absences
        self._known: dict[date, bool] = {}

    def works(self, day: date) -> bool:
        known = self._known.get(day)
        if known is None:
            known = self.calendar.is_business_day(day) and not any(day in span for span in self.absences)
            self._known[day] = known
        return known


def _spread(days: _Days, booking: Booking, today: date) -> dict[date, float]:
    """The booking's hours per working day of its window (see the module's edge cases)."""
    if booking.hours <= 0:
        return {}
    end = max(booking.due, today)
    if booking.ends is not None:
        end = min(end, booking.ends)
    start = min(booking.start, end)
    working = [day for day in _days(start, end) if days.works(day)]
    if not working and booking.ends is not None:
        return {}
    if not working:
        after = (end + timedelta(days=offset) for offset in range(1, CARRY_DAYS + 1))
        carried = next((day for day in after if days.works(day)), None)
        if carried is None:
            return {}
        working = [carried]
    share = booking.hours / len(working)
    return dict.fromkeys(working, share)


def expert_weeks(
    *,
    calendar: BusinessCalendar,
    absences: Sequence[Span],
    bookings: Sequence[Booking],
    today: date,
    weeks: int = DEFAULT_WEEKS,
    day_hours: float = DAY_HOURS,
) -> list[WeekLoad]:
    """One expert's capacity and committed hours in each of the `weeks` ISO weeks from today's week."""
    mondays = week_starts(today, weeks)
    days = _Days(calendar, absences)
    first, last = mondays[0], mondays[-1] + timedelta(days=6)
    committed: dict[date, float] = dict.fromkeys(mondays, 0.0)
    for booking in bookings:
        for day, hours in _spread(days, booking, today).items():
            if first <= day <= last:
                committed[monday_of(day)] += hours
    loads = []
    for monday in mondays:
        working = sum(1 for day in _days(monday, monday + timedelta(days=6)) if days.works(day))
        loads.append(
            WeekLoad(
                week_start=monday,
                capacity=round(working * day_hours, _PLACES),
                committed=round(committed[monday], _PLACES),
            )
        )
    return loads


def free_within(loads: Sequence[WeekLoad], weeks: int) -> float:
    """Free hours in the first `weeks` weeks of `loads`."""
    return round(sum(load.free for load in loads[:weeks]), _PLACES)


def on_bench(loads: Sequence[WeekLoad], weeks: int, min_hours: float = BENCH_MIN_HOURS) -> bool:
    """Whether at least `min_hours` are free in the first `weeks` weeks."""
    return free_within(loads, weeks) >= min_hours


def bench(
    loads: Mapping[int, Sequence[WeekLoad]], weeks: int, min_hours: float = BENCH_MIN_HOURS
) -> list[int]:
    """The experts (keys of `loads`) with at least `min_hours` free in the first `weeks` weeks, the
    freest first (ties by key)."""
    free = {key: free_within(rows, weeks) for key, rows in loads.items()}
    return sorted((key for key, hours in free.items() if hours >= min_hours), key=lambda k: (-free[k], k))
