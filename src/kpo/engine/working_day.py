"""The default working day kpo assumes for a person or organisation that states none.

One notion for every feature that reasons about working hours: matching's time-zone fit, SLA business
calendars and the overlap of a task's people. Profiles and organisations carry a time zone and a country
but no working hours, so everyone works 09:00-17:00 local wall-clock time, Monday to Friday, minus the
public holidays of their country.
"""

from __future__ import annotations

from datetime import time

MONDAY_TO_FRIDAY = frozenset({0, 1, 2, 3, 4})  # date.weekday(): Monday is 0
DAY_START = time(9, 0)
DAY_END = time(17, 0)


def hour_of(moment: time) -> float:
    """A wall-clock time as hours after midnight (09:30 is 9.5)."""
    return moment.hour + moment.minute / 60 + moment.second / 3600


DAY_START_HOUR = hour_of(DAY_START)
DAY_END_HOUR = hour_of(DAY_END)
