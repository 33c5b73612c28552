"""Template helpers for SLA pages: moments in the provider's time zone, shares and state labels."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext

from kpo.core.formatting import day
from kpo.sla.charts import STATE_LABELS

register = template.Library()


@register.filter
def in_zone(value: Any, zone: Any) -> str:
    """A moment in another time zone (e.g. the provider's): "15 Jan 2027, 12:00 IST"."""
    if not isinstance(value, dt.datetime):
        return ""
    try:
        tz = zone if isinstance(zone, dt.tzinfo) else ZoneInfo(str(zone))
    except (ValueError, KeyError):
        return ""
    local = timezone.localtime(value, tz)
    return gettext("%(date)s, %(time)s") % {"date": day(local), "time": formats.date_format(local, "H:i T")}


@register.filter
def percent(value: Any) -> str:
    """A share 0..1 as a whole percentage: 0.8 -> "80 %"."""
    if value is None or value == "":
        return "\u2013"
    try:
        return f"{round(float(value) * 100)} %"
    except (TypeError, ValueError):
        return "\u2013"


@register.filter
def sla_state(value: Any) -> str:
    label = STATE_LABELS.get(str(value))
    return str(label) if label is not None else ""
