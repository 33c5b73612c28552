"""Demand forecast: expected hours per ISO week, by domain and by skill, and the shortfall against free hours.

The method, in the words the forecast page uses:

1. **Tasks waiting for staff.** Each task submitted but not yet staffed brings its estimated effort,
   spread evenly over the working days (Monday to Friday) from the first forecast day to its due date.
   A task already overdue counts in full in the first week; a task with a planned start (a team scaled
   up from a later week, a hand-over from a release date) is spread from that start instead.
2. **Running work.** Each engagement keeps burning hours at its recent pace: an exponentially weighted
   moving average (EWMA) of its approved hours in the last `history_weeks` complete weeks, the latest
   week weighing `alpha`, the one before `alpha x (1 - alpha)`, and so on; weeks before the engagement's
   first approved hour in that window are left out (work had not begun). An engagement with no approved
   time yet runs at its hours still fundable divided by the weeks left until its end. Nothing is
   expected after an engagement's end date.
3. **Budget cap.** The hours still fundable are the remaining budget divided by the engagement's hourly
   rate. Week by week, an engagement's waiting tasks and running work together never exceed them: once
   the budget is spent, later weeks expect nothing from it.
4. **Skills.** A waiting task's hours count in full for every skill it requires (an expert who does the
   task must hold them all), so the skill rows do not add up to the domain rows. Running work counts for
   a skill in proportion to the share of the engagement's task effort that requires the skill.
5. **Shortfall** = expected hours minus free hours, per domain or skill and week; above zero, more work
   is expected than there are free people for it.

Everything here is pure: the caller passes the first forecast day and every input.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import ClassVar

WORKING_DAYS = 5
DEFAULT_ALPHA = 0.5
DEFAULT_HISTORY_WEEKS = 8
METHOD_NAME = "waiting tasks spread to their due dates + EWMA of approved hours, capped by the budget"
MAX_WEEKS = 52


class ForecastInputError(ValueError):
    """An input the forecast cannot use, naming the field."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


@dataclass(frozen=True)
class Method:
    """The forecast's parameters: the EWMA's weight of the latest week and how many weeks it reads."""

    alpha: float = DEFAULT_ALPHA
    history_weeks: int = DEFAULT_HISTORY_WEEKS

    name: ClassVar[str] = METHOD_NAME

    def __post_init__(self) -> None:
        if not 0 < self.alpha <= 1:
            raise ForecastInputError("alpha", "must be above 0 and at most 1")
        if self.history_weeks < 1:
            raise ForecastInputError("history_weeks", "must be at least 1")


@dataclass(frozen=True)
class WaitingTask:
    """A task submitted but not yet staffed: its remaining effort, due date, domain and required skills;
    `starts`, when the work may not begin before a given day (a planned start)."""

    engagement: int
    domain: str
    hours: float
    due: date
    skills: tuple[str, ...] = ()
    starts: date | None = None


@dataclass(frozen=True)
class EngagementBurn:
    """One engagement's running work.

    `weekly_hours`: approved hours per complete week before the first forecast week, oldest first (only
    the weeks since the engagement started). `fundable_hours`: remaining budget / rate, None when no rate
    is known (no cap). `skill_shares`: the share (0-1) of the engagement's task effort requiring each skill.
    """

    engagement: int
    domain: str
    weekly_hours: tuple[float, ...] = ()
    fundable_hours: float | None = None
    ends: date | None = None
    skill_shares: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Forecast:
    """Expected hours per week (Mondays in `weeks`) by domain and by skill, split into their two sources."""

    weeks: tuple[date, ...]
    by_domain: dict[str, tuple[float, ...]]
    by_skill: dict[str, tuple[float, ...]]
    from_tasks: dict[str, tuple[float, ...]]  # by domain: tasks waiting for staff (after the cap)
    from_burn: dict[str, tuple[float, ...]]  # by domain: running work (after the cap)
    capped: tuple[int, ...]  # engagements whose budget cut the forecast

    def total(self) -> tuple[float, ...]:
        return _sum_rows(self.by_domain.values(), len(self.weeks))


def monday_of(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def forecast_weeks(first_day: date, weeks: int) -> tuple[date, ...]:
    """The Mondays of the `weeks` ISO weeks from the one holding `first_day`."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise ForecastInputError("weeks", f"must be between 1 and {MAX_WEEKS}")
    start = monday_of(first_day)
    return tuple(start + timedelta(weeks=index) for index in range(weeks))


def ewma(values: Sequence[float], alpha: float = DEFAULT_ALPHA) -> float:
    """Exponentially weighted moving average, oldest value first; 0 for no values."""
    if not values:
        return 0.0
    level = float(values[0])
    for value in values[1:]:
        level = alpha * float(value) + (1 - alpha) * level
    return level


def _working_days(start: date, end: date) -> list[date]:
    """Monday-to-Friday days from `start` to `end`, both included."""
    days: list[date] = []
    day = start
    while day <= end:
        if day.weekday() < WORKING_DAYS:
            days.append(day)
        day += timedelta(days=1)
    return days


def spread_to_due(hours: float, first_day: date, due: date, weeks: Sequence[date]) -> list[float]:
    """`hours` spread evenly over the working days from `first_day` to `due`, summed per week in `weeks`.

    Overdue (or due before the first working day): everything in the week of `first_day`. Hours
    falling after the last week are left out of the result (they belong to later weeks)."""
    result = [0.0] * len(weeks)
    if not weeks or hours <= 0:
        return result
    days = _working_days(first_day, due)
    index = {week: position for position, week in enumerate(weeks)}
    if not days:  # overdue: all of it in the week work can start
        position = index.get(monday_of(first_day), 0 if first_day < weeks[0] else None)
        if position is not None:
            result[position] = hours
        return result
    per_day = hours / len(days)
    for day in days:
        position = index.get(monday_of(day))
        if position is not None:
            result[position] += per_day
    return result


def _share_of_week_before(week: date, ends: date | None) -> float:
    """The share of a week's working days on or before `ends` (1 with no end)."""
    if ends is None:
        return 1.0
    days = _working_days(week, week + timedelta(days=WORKING_DAYS - 1))
    return sum(1 for day in days if day <= ends) / len(days)


def run_rate(burn: EngagementBurn, first_day: date, method: Method) -> float:
    """Hours per week the engagement's running work is expected to burn from `first_day`."""
    history = list(burn.weekly_hours[-method.history_weeks :])
    while history and history[0] <= 0:  # weeks before the first approved hour are no pace yet
        history.pop(0)
    if history:
        return max(0.0, ewma(history, method.alpha))
    if burn.fundable_hours is None or burn.ends is None or burn.ends < first_day:
        return 0.0
    weeks_left = max(1.0, len(_working_days(first_day, burn.ends)) / WORKING_DAYS)
    return max(0.0, burn.fundable_hours) / weeks_left


def _sum_rows(rows: Iterable[Sequence[float]], width: int) -> tuple[float, ...]:
    total = [0.0] * width
    for row in rows:
        for index, value in enumerate(row):
            total[index] += value
    return tuple(total)


def _check(tasks: Sequence[WaitingTask], burns: Sequence[EngagementBurn]) -> None:
    for task in tasks:
        if task.hours < 0:
            raise ForecastInputError("hours", "a task's hours cannot be negative")
    for burn in burns:
        if any(value < 0 for value in burn.weekly_hours):
            raise ForecastInputError("weekly_hours", "approved hours cannot be negative")
        if any(not 0 <= share <= 1 for share in burn.skill_shares.values()):
            raise ForecastInputError("skill_shares", "a share must lie between 0 and 1")


def forecast(
    *,
    first_day: date,
    weeks: int,
    tasks: Sequence[WaitingTask],
    burns: Sequence[EngagementBurn],
    method: Method | None = None,
) -> Forecast:
    """Expected hours per week from `first_day`'s week on, by domain and skill (see the module's method)."""
    chosen = method or Method()
    _check(tasks, burns)
    mondays = forecast_weeks(first_day, weeks)
    width = len(mondays)
    by_engagement: dict[int, list[WaitingTask]] = defaultdict(list)
    for task in tasks:
        by_engagement[task.engagement].append(task)
    burn_of = {burn.engagement: burn for burn in burns}
    by_domain: dict[str, list[float]] = defaultdict(lambda: [0.0] * width)
    by_skill: dict[str, list[float]] = defaultdict(lambda: [0.0] * width)
    from_tasks: dict[str, list[float]] = defaultdict(lambda: [0.0] * width)
    from_burn: dict[str, list[float]] = defaultdict(lambda: [0.0] * width)
    capped: list[int] = []
    for engagement in sorted(set(by_engagement) | set(burn_of)):
        burn = burn_of.get(engagement)
        task_rows = [
            (task, spread_to_due(task.hours, max(first_day, task.starts or first_day), task.due, mondays))
            for task in by_engagement[engagement]
        ]
        running = [0.0] * width
        if burn is not None:
            rate = run_rate(burn, first_day, chosen)
            running = [rate * _share_of_week_before(week, burn.ends) for week in mondays]
        planned = [sum(row[index] for _task, row in task_rows) + running[index] for index in range(width)]
        factors = [1.0] * width
        if burn is not None and burn.fundable_hours is not None:
            left = max(0.0, burn.fundable_hours)
            for index, wanted in enumerate(planned):
                allowed = min(wanted, left)
                factors[index] = allowed / wanted if wanted > 0 else 1.0
                left -= allowed
            if any(factor < 1 for factor in factors):
                capped.append(engagement)
        for task, row in task_rows:
            for index, value in enumerate(row):
                hours = value * factors[index]
                by_domain[task.domain][index] += hours
                from_tasks[task.domain][index] += hours
                for skill in task.skills:
                    by_skill[skill][index] += hours
        if burn is not None:
            for index, value in enumerate(running):
                hours = value * factors[index]
                by_domain[burn.domain][index] += hours
                from_burn[burn.domain][index] += hours
                for skill, share in burn.skill_shares.items():
                    by_skill[skill][index] += hours * share
    return Forecast(
        weeks=mondays,
        by_domain={key: tuple(row) for key, row in sorted(by_domain.items())},
        by_skill={key: tuple(row) for key, row in sorted(by_skill.items())},
        from_tasks={key: tuple(row) for key, row in sorted(from_tasks.items())},
        from_burn={key: tuple(row) for key, row in sorted(from_burn.items())},
        capped=tuple(capped),
    )


def shortfall(
    expected: Mapping[str, Sequence[float]], free: Mapping[str, Sequence[float]]
) -> dict[str, tuple[float, ...]]:
    """Expected minus free hours per key and week (above zero: a shortfall). A key with no free hours
    given has none free; a key only in `free` has a negative gap (spare hours)."""
    result: dict[str, tuple[float, ...]] = {}
    for key in sorted(set(expected) | set(free)):
        wanted = list(expected.get(key, ()))
        spare = list(free.get(key, ()))
        width = max(len(wanted), len(spare))
        wanted += [0.0] * (width - len(wanted))
        spare += [0.0] * (width - len(spare))
        result[key] = tuple(want - have for want, have in zip(wanted, spare, strict=True))
    return result


@dataclass(frozen=True)
class Errors:
    """Forecast error over paired weeks: mean absolute error (hours) and weighted absolute percentage
    error (sum of absolute errors / sum of actual hours; None when nothing actually happened)."""

    mae: float
    wape: float | None
    points: int
    actual_hours: float


def errors(pairs: Sequence[tuple[float, float]]) -> Errors:
    """Errors of (actual, predicted) pairs."""
    if not pairs:
        return Errors(0.0, None, 0, 0.0)
    absolute = sum(abs(actual - predicted) for actual, predicted in pairs)
    actual_total = sum(actual for actual, _predicted in pairs)
    return Errors(
        mae=absolute / len(pairs),
        wape=absolute / actual_total if actual_total > 0 else None,
        points=len(pairs),
        actual_hours=actual_total,
    )


def naive_forecast(last_week: float, weeks: int) -> tuple[float, ...]:
    """The naive baseline: last complete week's hours, repeated."""
    return tuple(float(last_week) for _ in range(weeks))
