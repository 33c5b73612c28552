"""Periodic jobs: apps register a job and its interval in `AppConfig.ready()`; the worker enqueues each
job once per slot (a slot is one interval, counted from the Unix epoch in UTC)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django_tasks.base import Task

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: dt.timedelta
    task: Task[Any, Any]
    kwargs: dict[str, Any] = field(default_factory=dict)

    def slot_start(self, now: dt.datetime) -> dt.datetime:
        """The start of the slot that holds `now` (an aware instant)."""
        slots = (now - EPOCH) // self.every
        return EPOCH + slots * self.every


_JOBS: dict[str, PeriodicJob] = {}


def register_periodic(name: str, every: dt.timedelta, task: Task[Any, Any], **kwargs: Any) -> None:
    """Run `task(**kwargs)` once every `every` (at least a minute); registering a name again replaces it."""
    if every < dt.timedelta(minutes=1):
        raise ValueError(f"periodic job {name!r}: the interval must be at least a minute")
    _JOBS[name] = PeriodicJob(name=name, every=every, task=task, kwargs=dict(kwargs))


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_JOBS.values(), key=lambda job: job.name)
