"""Meetings inside the overlap: bob (the client's requester, Copenhagen) proposes slots, carol (the
task's expert, Kolkata) picks one, both get a notice and an .ics invitation that parses back.

From Thursday 26 March 2026 00:00 UTC everyone on task A is at work together on Fri 27 08:00-11:30 UTC
(09:00-12:30 in Copenhagen) and on Mon 30 and Wed 1 April 07:00-11:30 UTC (09:00-13:30, summer time)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from kpo.audit.models import AuditEntry
from kpo.notices.models import Notice
from kpo.sla.models import Meeting, MeetingStatus
from tests.cast import Cast

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 3, 26, 0, 0, tzinfo=dt.UTC)


def _post(client: Client, url: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    with time_machine.travel(MOMENT, tick=False):
        return client.post(url, data)


def _propose(client: Client, task_id: int, **slots: str):  # type: ignore[no-untyped-def]
    data = {"minutes": "30", "slot_1": "", "slot_2": "", "slot_3": "", **slots}
    return _post(client, reverse("task_meetings", kwargs={"task_id": task_id}), data)


def test_propose_pick_and_download_a_valid_invitation(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    bob, carol = client_for("bob"), client_for("carol")
    answer = _propose(bob, cast.task_a.pk, slot_1="2026-03-27T09:00", slot_2="2026-03-30T12:30")
    assert answer.status_code == 302
    meeting = Meeting.objects.get(task=cast.task_a)
    assert meeting.slots == [
        dt.datetime(2026, 3, 27, 8, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 30, 10, 30, tzinfo=dt.UTC),  # 12:30 CEST
    ]
    assert Notice.objects.filter(user=cast.carol, kind="meeting_proposed").exists()

    # the proposing side cannot pick its own slot
    assert (
        _post(bob, reverse("meeting_pick", kwargs={"meeting_id": meeting.pk}), {"slot": "1"}).status_code
        == 400
    )
    answer = _post(carol, reverse("meeting_pick", kwargs={"meeting_id": meeting.pk}), {"slot": "2"})
    assert answer.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PICKED and meeting.picked_by == cast.carol
    assert meeting.picked == dt.datetime(2026, 3, 30, 10, 30, tzinfo=dt.UTC)
    assert AuditEntry.objects.filter(event="meeting_picked").count() == 1
    for user in (cast.bob, cast.carol):
        assert Notice.objects.filter(user=user, kind="meeting_picked").exists()

    with time_machine.travel(MOMENT, tick=False):
        download = bob.get(reverse("meeting_ics", kwargs={"meeting_id": meeting.pk}))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(download.content)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == dt.datetime(2026, 3, 30, 10, 30, tzinfo=dt.UTC)
    assert event.decoded("dtend") == dt.datetime(2026, 3, 30, 11, 0, tzinfo=dt.UTC)
    assert str(event["uid"]) == f"meeting-{meeting.pk}@kpo"
    assert str(event["summary"]) == f"Meeting: {cast.task_a.title}"
    attendees = event["attendee"]
    attendees = attendees if isinstance(attendees, list) else [attendees]
    addresses = {str(a).lower() for a in attendees}
    assert f"mailto:{cast.carol.email}".lower() in addresses
    assert f"mailto:{cast.bob.email}".lower() in addresses

    # a second pick is refused
    assert (
        _post(carol, reverse("meeting_pick", kwargs={"meeting_id": meeting.pk}), {"slot": "1"}).status_code
        == 400
    )


@pytest.mark.parametrize(
    ("slots", "field", "words"),
    [
        ({"slot_1": "2026-03-27T12:15"}, "slot_1", "outside the working hours"),  # 30 min past 12:30
        ({"slot_1": "2026-03-26T09:00"}, "slot_1", "outside the working hours"),  # Ram Navami in India
        ({"slot_1": "2026-03-25T09:00"}, "slot_1", "in the future"),
        ({"slot_1": "2026-03-27T09:00", "slot_2": "2026-03-27T09:00"}, "slot_2", "already proposed"),
        ({"slot_1": "not a time"}, "slot_1", "valid date"),
        ({}, "slot_1", "required"),
    ],
)
def test_bad_slots_name_the_field_and_change_nothing(
    cast: Cast, client_for, slots: dict[str, str], field: str, words: str
) -> None:  # type: ignore[no-untyped-def]
    answer = _propose(client_for("bob"), cast.task_a.pk, **slots)
    assert answer.status_code == 400
    errors = answer.context["form"].errors
    assert field in errors and words in " ".join(errors[field])
    assert not Meeting.objects.exists()


def test_a_bad_length_is_refused(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    answer = _propose(client_for("bob"), cast.task_a.pk, slot_1="2026-03-27T09:00", minutes="17")
    assert answer.status_code == 400 and "minutes" in answer.context["form"].errors


def test_the_invitation_waits_for_a_pick(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _propose(client_for("bob"), cast.task_a.pk, slot_1="2026-03-27T09:00")
    meeting = Meeting.objects.get()
    with time_machine.travel(MOMENT, tick=False):
        assert (
            client_for("bob").get(reverse("meeting_ics", kwargs={"meeting_id": meeting.pk})).status_code
            == 403
        )


def test_a_slot_that_has_passed_cannot_be_picked(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _propose(client_for("bob"), cast.task_a.pk, slot_1="2026-03-27T09:00")
    meeting = Meeting.objects.get()
    with time_machine.travel(dt.datetime(2026, 3, 28, tzinfo=dt.UTC), tick=False):
        answer = client_for("carol").post(
            reverse("meeting_pick", kwargs={"meeting_id": meeting.pk}), {"slot": "1"}
        )
    assert answer.status_code == 400
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PROPOSED


def test_the_meetings_page_in_danish(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _propose(client_for("bob"), cast.task_a.pk, slot_1="2026-03-27T09:00")
    carol = client_for("carol")
    carol.cookies["django_language"] = "da"
    with time_machine.travel(MOMENT, tick=False):
        html = carol.get(reverse("task_meetings", kwargs={"task_id": cast.task_a.pk})).content.decode()
    assert "Vælg dette tidspunkt" in html and "Foreslå et møde" in html
