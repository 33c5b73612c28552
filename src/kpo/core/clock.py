"""Whose calendar a date is read on (docs/decisions.md, "Dates and clocks").

- `installation_date`: the installation's zone (settings.TIME_ZONE). Facts that several organisations must
  read alike: quality ages, credential and re-verification expiry, cooling-off ends, rate-card validity and
  the ECB rate of a day, budget forecasts, invoice and NDA dates, the demo world.
- `user_date`: the zone active for this request, i.e. the signed-in user's own (UserTimezoneMiddleware).
  Only for defaults a user sees and may change in a form ("today" as the user knows it).
- `request_now`: the one instant a request works with, read once, so a page never mixes two clocks.

SLA clocks read dates in the business calendar's own zone (kpo.engine.business_calendar).
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from django.http import HttpRequest
from django.utils import timezone

from kpo.engine.dates import date_in

_REQUEST_NOW = "_kpo_now"


def installation_zone() -> tzinfo:
    return timezone.get_default_timezone()


def installation_date(moment: datetime) -> date:
    """The date of `moment` on the installation's calendar."""
    return date_in(moment, installation_zone())


def user_date(moment: datetime) -> date:
    """The date of `moment` on the calendar of the zone active for this request (the user's own)."""
    return date_in(moment, timezone.get_current_timezone())


def request_now(request: HttpRequest) -> datetime:
    """The instant this request works with: read from the clock once, then the same for the whole request."""
    now = getattr(request, _REQUEST_NOW, None)
    if now is None:
        now = timezone.now()
        setattr(request, _REQUEST_NOW, now)
    return now
