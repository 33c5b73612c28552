"""Instants that have broken date code elsewhere: the date-sensitive tests (marker `dates`) run under each.

`KPO_TEST_AT` names one of them (or gives an ISO 8601 instant with its offset); tests/conftest.py then
moves the whole test session's clock there with time-machine, and lets it tick from that moment.
No moment puts Denmark, India and the Philippines on three different dates (they span at most 7 hours,
so one midnight at a time separates them): `manila-alone` and `denmark-alone` split them both ways.
"""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

CPH = ZoneInfo("Europe/Copenhagen")


def _utc_today_at(hour: int, minute: int) -> dt.datetime:
    today = dt.datetime.fromtimestamp(time.time(), dt.UTC)  # the real clock, before any travel
    return today.replace(hour=hour, minute=minute, second=0, microsecond=0)


HOSTILE: dict[str, dt.datetime] = {
    # 00:30 in Copenhagen, the previous day in UTC (the quality scores broke here)
    "utc-2330": dt.datetime(2027, 1, 14, 23, 30, tzinfo=dt.UTC),
    "cph-0030": dt.datetime(2027, 7, 15, 0, 30, tzinfo=CPH),
    # spring forward: 02:00 becomes 03:00 at 01:00 UTC; this is 01:30 local on a 23-hour day
    "spring-forward": dt.datetime(2027, 3, 28, 0, 30, tzinfo=dt.UTC),
    # fall back: 02:00-03:00 local happens twice; this is 02:30 the first time (summer time)
    "fall-back": dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.UTC),
    "new-years-eve": dt.datetime(2027, 12, 31, 23, 59, tzinfo=CPH),
    "leap-day": dt.datetime(2028, 2, 29, 12, 0, tzinfo=CPH),
    # Manila 00:30 on the 21st, Kolkata 22:00 and Copenhagen 18:30 on the 20th
    "manila-alone": dt.datetime(2027, 5, 20, 16, 30, tzinfo=dt.UTC),
    # Manila 05:45 and Kolkata 03:15 on the 21st, Copenhagen 23:45 on the 20th
    "denmark-alone": dt.datetime(2027, 5, 20, 21, 45, tzinfo=dt.UTC),
}


def instant(name: str) -> dt.datetime:
    """A named hostile instant; `tonight-utc-2330` is today's date at 23:30 UTC; else an ISO instant."""
    if name in HOSTILE:
        return HOSTILE[name]
    if name == "tonight-utc-2330":
        return _utc_today_at(23, 30)
    moment = dt.datetime.fromisoformat(name)
    if moment.tzinfo is None:
        raise ValueError(f"KPO_TEST_AT={name!r}: give a named instant or an ISO instant with its offset")
    return moment
