"""The one rule for turning an instant into a calendar date: an aware instant, read in a named zone.

Every conversion from an instant to a date in kpo goes through `date_in`; which zone counts for which use
is written in docs/decisions.md ("Dates and clocks"). A naive datetime is refused: it names no instant.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo


def date_in(moment: datetime, zone: tzinfo) -> date:
    """The calendar date that `moment` falls on in `zone`."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(zone).date()
