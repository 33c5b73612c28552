"""The demo world's moment and fixed numbers.

The world is laid relative to the moment it is seeded (`seeded_at`), so its SLA states, budgets and
expiry dates look the same whenever `kpo demo` runs: "three weeks ago" is three weeks before that moment.
The catalogue's few calendar dates were written for `CATALOGUE_MOMENT`; `moved` shifts them by as many
days as the seeding moment lies after it. The same seed at the same moment gives the same data.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime

from kpo.core.clock import installation_date

CATALOGUE_MOMENT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday morning
DEFAULT_SEED = 2026
DEFAULT_EXPERTS = 2000
MIN_EXPERTS = 10
BATCH_SIZE = 5000

_SEEDED_AT: ContextVar[datetime] = ContextVar("demo_seeded_at")


@contextmanager
def seeded_at(moment: datetime) -> Iterator[datetime]:
    """While the world is written, `demo_now()` is `moment` (to the minute)."""
    if moment.tzinfo is None:
        raise ValueError("The demo world needs an aware moment to be seeded at.")
    token = _SEEDED_AT.set(moment.astimezone(UTC).replace(second=0, microsecond=0))
    try:
        yield _SEEDED_AT.get()
    finally:
        _SEEDED_AT.reset(token)


def demo_now() -> datetime:
    """The moment the world is being seeded at (only inside `seeded_at`)."""
    return _SEEDED_AT.get()


def demo_today() -> date:
    return installation_date(demo_now())


def moved(day: date) -> date:
    """A catalogue date, moved as many days as the seeding moment lies after CATALOGUE_MOMENT."""
    return day + (demo_today() - installation_date(CATALOGUE_MOMENT))
