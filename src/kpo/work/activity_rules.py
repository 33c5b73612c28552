"""When time may be logged and a thread written in: the task's state, the engagement's period and the
expert's own calendar (docs/decisions.md, "Dates and clocks")."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext as _

from kpo.core.clock import installation_zone
from kpo.core.errors import DomainError
from kpo.core.formatting import day
from kpo.engine.dates import date_in
from kpo.engine.lifecycle import TERMINAL_STATES, TaskState
from kpo.experts.models import ExpertProfile
from kpo.work.models import Task

TIME_STATES = frozenset({TaskState.IN_PROGRESS, TaskState.IN_REVIEW, TaskState.CHANGES_REQUESTED})


def time_open(task: Task) -> bool:
    """Whether the task's state lets its assigned experts log time."""
    return TaskState(task.status) in TIME_STATES


def thread_open(task: Task) -> bool:
    """Whether the task's thread takes new messages (a closed task's thread is read-only)."""
    return TaskState(task.status) not in TERMINAL_STATES


def expert_today(expert: ExpertProfile, now: dt.datetime) -> dt.date:
    """Today on the expert's own calendar (the installation's when the profile names no known zone)."""
    try:
        zone: dt.tzinfo = ZoneInfo(expert.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = installation_zone()
    return date_in(now, zone)


def check_time_entry(
    task: Task, expert: ExpertProfile, date: dt.date, now: dt.datetime, *, ends_on: dt.date | None = None
) -> None:
    """Raise DomainError unless time may be logged on `task` by `expert` for `date` at `now`;
    `ends_on` is the last day of the expert's assignment when they were released from the team."""
    if not time_open(task):
        raise DomainError(
            _("Time is logged only while the task is in progress, in review or has changes requested."),
            field="status",
        )
    engagement = task.engagement
    if date < engagement.start_date:
        raise DomainError(
            _("The date is before the engagement started (%(start)s).")
            % {"start": day(engagement.start_date)},
            field="date",
        )
    if engagement.end_date is not None and date > engagement.end_date:
        raise DomainError(
            _("The date is after the engagement ended (%(end)s).") % {"end": day(engagement.end_date)},
            field="date",
        )
    if ends_on is not None and date > ends_on:
        raise DomainError(
            _("The date is after your assignment on this task ended (%(end)s).") % {"end": day(ends_on)},
            field="date",
        )
    if date > expert_today(expert, now):
        raise DomainError(
            _("The date is in the future: time is logged for days already worked."), field="date"
        )


def check_thread_open(task: Task) -> None:
    if not thread_open(task):
        raise DomainError(_("The task is closed: its thread is read-only."), field="body")
