"""A task's overlap windows: the hours in the coming week when the client and its assigned experts
are all at work, on kpo's default working day in each one's own time zone and country (holidays
excluded), read on the viewer's clock. No queries: the task page has its engagement's organisations
and its assignments' experts loaded already."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.dates import WEEKDAYS_ABBR

from kpo.engine.business_calendar import BusinessCalendar
from kpo.engine.overlap import Interval, OverlapGroup, describe, overlap_windows, summarise
from kpo.sla.selectors import working_calendar
from kpo.work.models import Task

WINDOW = dt.timedelta(days=7)


@dataclass(frozen=True)
class PersonOverlap:
    """The client's overlap with one assigned expert."""

    name: str
    time_zone: str
    country: str
    windows: tuple[Interval, ...]
    groups: tuple[OverlapGroup, ...]
    text: str  # "09:00-12:30 man-tor" (en dashes) in the viewer's language

    @property
    def hours(self) -> float:
        return sum(window.hours for window in self.windows)


@dataclass(frozen=True)
class TaskOverlap:
    client_zone: str
    people: tuple[PersonOverlap, ...]
    mine: PersonOverlap | None  # the viewer's own, when the viewer is one of the experts
    everyone: str  # the client and every assigned expert together


def weekday_names() -> list[str]:
    return [str(WEEKDAYS_ABBR[day]) for day in range(7)]


def _text(windows: tuple[Interval, ...], viewer_zone: str) -> tuple[tuple[OverlapGroup, ...], str]:
    groups = summarise(windows, viewer_zone)
    return groups, describe(groups, weekday_names())


def summary_text(windows: tuple[Interval, ...], viewer_zone: str) -> str:
    """The windows as one line on the viewer's clock, weekdays in the active language."""
    return _text(windows, viewer_zone)[1]


def _client_calendar(task: Task) -> BusinessCalendar:
    client = task.engagement.client
    return working_calendar(client.country, client.time_zone)


def everyone_windows(task: Task, now: dt.datetime) -> tuple[Interval, ...]:
    """The week from `now` when the client and every expert assigned to `task` are all at work."""
    experts = {assignment.expert for assignment in task.assignments.all()}
    if not experts:
        return ()
    calendars = [_client_calendar(task)] + [working_calendar(e.country, e.time_zone) for e in experts]
    return overlap_windows(calendars, now, now + WINDOW)


def task_overlap(
    task: Task, user: AbstractBaseUser | AnonymousUser, now: dt.datetime, viewer_zone: str
) -> TaskOverlap | None:
    """The overlap of the client with each expert from `now` for a week, or None with no expert."""
    assignments = list(task.assignments.all())
    if not assignments:
        return None
    client_calendar = _client_calendar(task)
    end = now + WINDOW
    people: list[PersonOverlap] = []
    mine: PersonOverlap | None = None
    seen: set[int] = set()
    for assignment in assignments:
        expert = assignment.expert
        if expert.pk in seen:
            continue
        seen.add(expert.pk)
        calendar = working_calendar(expert.country, expert.time_zone)
        windows = overlap_windows([client_calendar, calendar], now, end)
        groups, text = _text(windows, viewer_zone)
        person = PersonOverlap(
            name=expert.user.get_full_name() or expert.user.get_username(),
            time_zone=expert.time_zone,
            country=expert.country,
            windows=windows,
            groups=groups,
            text=text,
        )
        people.append(person)
        if expert.user_id == getattr(user, "pk", None):
            mine = person
    _groups, everyone = _text(everyone_windows(task, now), viewer_zone)
    return TaskOverlap(task.engagement.client.time_zone, tuple(people), mine, everyone)
