"""One `ExpertIndex` per process, rebuilt when the experts change, refreshed when staffing changes.

Building the index reads every expert (seconds at 100,000), so it is built once and shared by every
request of the process. Each use first asks the database for a cheap fingerprint (ONE query of a few
aggregates) in two parts:

- experts: count, max(id), max(updated_at) of ExpertProfile. A change rebuilds the index;
- staffing: count, max(id), max(updated_at) of Assignment (planned hours) and max(updated_at) of Task
  (a task leaving the open states frees its experts' hours). A change only re-reads the planned hours
  (one aggregate query) into a copy of the index (`ExpertIndex.with_assigned_hours`): tasks change all
  day, and a rebuild per change made every process rebuild 100,000 experts after each transition.

The fingerprint costs a scan of the profiles (max(updated_at) has no index: ~20 ms at 100,000 on
SQLite); `KPO_MATCHING_CHECK_SECONDS` (default 0: every use) lets a busy process check at most that
often, accepting changes showing up that much later. A TTL
(`KPO_MATCHING_INDEX_TTL` seconds, default 300; 0 rebuilds on every use) is the backstop for changes
the fingerprint cannot see (a user deactivated, daylight saving time moving an offset, a new day's
exchange rate, quality scores refreshed) and for rows changed without touching their profile.

THE RULE for code that writes expert data: a service that adds, changes or deletes an expert's child
rows (skills, languages, domains, degrees) must also touch the profile
(`ExpertProfile.objects.filter(pk=...).update(updated_at=now)`, or save it), so the fingerprint sees
the change at once instead of after the TTL. `invalidate()` drops the index explicitly.

Thread safety: one lock guards rebuilds and refreshes. The thread that finds the index stale rebuilds
it; other threads meanwhile keep using the previous index (or wait, when there is none yet).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from kpo.engine.matching import ExpertIndex
from kpo.experts.models import ExpertProfile
from kpo.matching.records import assigned_hours_by_expert, expert_records
from kpo.work.models import Assignment, Task

DEFAULT_TTL_SECONDS = 300.0

Fingerprint = tuple[Any, ...]
EXPERT_PART = 5
"""fingerprint[:EXPERT_PART] (database, name and the three profile aggregates) names the experts."""


def ttl_seconds() -> float:
    configured: object = getattr(settings, "KPO_MATCHING_INDEX_TTL", None)
    if configured is None:
        configured = os.environ.get("KPO_MATCHING_INDEX_TTL", DEFAULT_TTL_SECONDS)
    try:
        return max(float(str(configured)), 0.0)
    except (TypeError, ValueError):
        return DEFAULT_TTL_SECONDS


def check_seconds() -> float:
    configured: object = getattr(settings, "KPO_MATCHING_CHECK_SECONDS", None)
    if configured is None:
        configured = os.environ.get("KPO_MATCHING_CHECK_SECONDS", 0)
    try:
        return max(float(str(configured)), 0.0)
    except (TypeError, ValueError):
        return 0.0


def fingerprint() -> Fingerprint:
    """A few aggregates that change whenever experts, their assignments or open tasks change (one query)."""
    profile = connection.ops.quote_name(ExpertProfile._meta.db_table)
    assignment = connection.ops.quote_name(Assignment._meta.db_table)
    task = connection.ops.quote_name(Task._meta.db_table)
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {profile}), (SELECT MAX(id) FROM {profile}), "  # noqa: S608
        f"(SELECT MAX(updated_at) FROM {profile}), "
        f"(SELECT COUNT(*) FROM {assignment}), (SELECT MAX(id) FROM {assignment}), "
        f"(SELECT MAX(updated_at) FROM {assignment}), (SELECT MAX(updated_at) FROM {task})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return (connection.alias, connection.settings_dict.get("NAME"), *(str(value) for value in row))


@dataclass(frozen=True)
class Built:
    index: ExpertIndex
    fingerprint: Fingerprint
    built_at: float
    """time.monotonic() when built."""
    seconds: float
    """How long the build took."""


class IndexCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: Built | None = None
        self._checked_at = 0.0
        self.builds = 0
        self.refreshes = 0

    def invalidate(self) -> None:
        with self._lock:
            self._built = None

    def _fresh(self, built: Built | None, current: Fingerprint) -> bool:
        if built is None or built.fingerprint != current:
            return False
        return self._young(built)

    def _young(self, built: Built) -> bool:
        ttl = ttl_seconds()
        return ttl > 0 and time.monotonic() - built.built_at < ttl

    def _same_experts(self, built: Built | None, current: Fingerprint) -> bool:
        return (
            built is not None
            and built.fingerprint[:EXPERT_PART] == current[:EXPERT_PART]
            and self._young(built)
        )

    def _refresh_hours(self, built: Built, current: Fingerprint) -> Built:
        index = built.index.with_assigned_hours(assigned_hours_by_expert())
        self.refreshes += 1
        self._checked_at = time.monotonic()
        return Built(index=index, fingerprint=current, built_at=built.built_at, seconds=built.seconds)

    def _build(self, current: Fingerprint, now: dt.datetime) -> Built:
        started = time.monotonic()
        index = ExpertIndex.build(expert_records(now))
        finished = time.monotonic()
        self.builds += 1
        self._checked_at = finished
        return Built(index=index, fingerprint=current, built_at=finished, seconds=finished - started)

    def get(self, now: dt.datetime | None = None, *, force: bool = False) -> Built:
        """The index, rebuilt first when the experts changed (or `force`)."""
        built = self._built
        interval = check_seconds()
        if not force and built is not None and interval > 0:
            clock = time.monotonic()
            if clock - self._checked_at < interval and self._fresh(built, built.fingerprint):
                return built
            self._checked_at = clock
        current = fingerprint()
        if not force and self._fresh(built, current):
            assert built is not None
            return built
        if force or built is None:
            self._lock.acquire()
        elif not self._lock.acquire(blocking=False):
            return built  # another thread is rebuilding: use the previous index meanwhile
        try:
            built = self._built
            if not force and self._fresh(built, current):
                assert built is not None
                return built
            if not force and built is not None and self._same_experts(built, current):
                built = self._built = self._refresh_hours(built, current)
                return built
            built = self._built = self._build(current, now or timezone.now())
            return built
        finally:
            self._lock.release()


_CACHE = IndexCache()


def expert_index(now: dt.datetime | None = None, *, force: bool = False) -> ExpertIndex:
    """The process-wide index of all experts, current as of the fingerprint (see the module docstring)."""
    return _CACHE.get(now, force=force).index


def cache() -> IndexCache:
    return _CACHE


def invalidate() -> None:
    """Drop the index: the next use rebuilds it."""
    _CACHE.invalidate()
