"""The picked slot of a meeting as an iCalendar invitation (RFC 5545, written with `icalendar`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import User
from icalendar import Calendar, Event, vCalAddress, vText

from kpo.sla.models import Meeting

PRODID = "-//kpo//meetings//EN"


def _address(user: User) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email or f'{user.get_username()}@invalid'}")
    address.params["cn"] = vText(user.get_full_name() or user.get_username())
    return address


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@kpo"


def meeting_ics(meeting: Meeting, summary: str, attendees: Iterable[User], now: dt.datetime) -> bytes:
    """One VEVENT at the picked slot, organised by the proposer, with every attendee invited."""
    if meeting.picked is None or meeting.picked_end is None:
        raise ValueError("The meeting has no picked slot yet.")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", meeting.picked.astimezone(dt.UTC))
    event.add("dtend", meeting.picked_end.astimezone(dt.UTC))
    event.add("summary", summary)
    event["organizer"] = _address(meeting.proposed_by)
    for user in attendees:
        event.add("attendee", _address(user), encode=False)
    calendar.add_component(event)
    body: bytes = calendar.to_ical()
    return body
