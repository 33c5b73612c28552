"""Meetings inside a task's overlap windows: one side proposes up to three slots, the other picks one.

Both sides are the client's admins and requesters, and the provider's side (its managers and the
task's assigned experts). Each function is keyword-only and atomic; errors name the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.errors import DomainError
from kpo.core.formatting import when
from kpo.engine.lifecycle import TERMINAL_STATES, TaskState
from kpo.engine.overlap import slot_inside
from kpo.notices.services import notice_send
from kpo.sla.access import side_of
from kpo.sla.models import Meeting, MeetingSide, MeetingStatus
from kpo.sla.overlap import everyone_windows
from kpo.work.models import Task, TaskStatus

MAX_SLOTS = 3
MEETING_MINUTES = (30, 45, 60, 90)
SLOT_FIELDS = ("slot_1", "slot_2", "slot_3")


def _task_for_meetings(task: Task) -> Task:
    found = (
        Task.objects.select_related("engagement", "engagement__client")
        .prefetch_related("assignments__expert__user")
        .get(pk=task.pk)
    )
    if found.status == TaskStatus.DRAFT or TaskState(found.status) in TERMINAL_STATES:
        raise DomainError(_("Meetings are for tasks that are under way."), field="status")
    return found


def side_people(task: Task, side: str) -> list[User]:
    """Whom a meeting concerns on one side: the task's requester, or the task's assigned experts."""
    if side == MeetingSide.CLIENT:
        return [task.created_by]
    return sorted({a.expert.user for a in task.assignments.all()}, key=lambda user: user.pk)


@transaction.atomic
def meeting_propose(
    *,
    user: User,
    task: Task,
    slots: Sequence[dt.datetime | None],
    minutes: int,
    now: dt.datetime | None = None,
) -> Meeting:
    """Propose up to three slots of `minutes`, each inside the coming week's overlap of everyone on it."""
    moment = now or timezone.now()
    task = _task_for_meetings(task)
    side = side_of(user, task)
    if side is None:
        raise DomainError(
            _("Only the client's admins and requesters and the provider's side propose meetings.")
        )
    if minutes not in MEETING_MINUTES:
        raise ValidationError({"minutes": _("Choose one of the offered lengths.")})
    if len(slots) > MAX_SLOTS:
        raise ValidationError({"slot_1": _("Propose at most three slots.")})
    windows = everyone_windows(task, moment)
    if not windows:
        raise DomainError(_("The client and the experts have no working hours in common this week."))
    length = dt.timedelta(minutes=minutes)
    errors: dict[str, str] = {}
    chosen: list[dt.datetime] = []
    for field, slot in zip(SLOT_FIELDS, slots, strict=False):
        if slot is None:
            continue
        if slot <= moment:
            errors[field] = _("Pick a time in the future.")
        elif not slot_inside(windows, slot, slot + length):
            errors[field] = _("This slot is outside the working hours everyone has in common this week.")
        elif slot in chosen:
            errors[field] = _("This slot is already proposed.")
        else:
            chosen.append(slot)
    if not chosen and not errors:
        errors["slot_1"] = _("Propose at least one slot.")
    if errors:
        raise ValidationError(errors)
    later: list[dt.datetime | None] = [*chosen[1:], None, None]
    meeting = Meeting(
        task=task,
        proposed_by=user,
        side=side,
        minutes=minutes,
        slot_1=chosen[0],
        slot_2=later[0],
        slot_3=later[1],
    )
    meeting.full_clean()
    meeting.save()
    other = MeetingSide.PROVIDER if side == MeetingSide.CLIENT else MeetingSide.CLIENT
    title = task.title
    notice_send(
        users=[person for person in side_people(task, other) if person.pk != user.pk],
        kind="meeting_proposed",
        text=lambda: _("A meeting is proposed on “%(task)s”: pick one of its slots.") % {"task": title},
        url=reverse("task_detail", kwargs={"task_id": task.pk}) + "#overlap",
        now=moment,
    )
    return meeting


@transaction.atomic
def meeting_pick(*, user: User, meeting: Meeting, slot: int, now: dt.datetime | None = None) -> Meeting:
    """The other side picks slot number `slot` (1-3); both sides are told and get the invitation."""
    moment = now or timezone.now()
    meeting = Meeting.objects.select_for_update().select_related("proposed_by").get(pk=meeting.pk)
    task = _task_for_meetings(meeting.task)
    side = side_of(user, task)
    if side is None or side == meeting.side:
        raise DomainError(_("The other side picks the slot."), field="slot")
    if meeting.status != MeetingStatus.PROPOSED:
        raise DomainError(_("A slot is already picked."), field="slot")
    slots = meeting.slots
    if not 1 <= slot <= len(slots):
        raise ValidationError({"slot": _("Pick one of the proposed slots.")})
    start = slots[slot - 1]
    if start <= moment:
        raise ValidationError({"slot": _("This slot has passed: ask for new ones.")})
    meeting.picked, meeting.picked_by, meeting.status = start, user, MeetingStatus.PICKED
    meeting.save(update_fields=["picked", "picked_by", "status", "updated_at"])
    audit(
        user,
        AuditEvent.MEETING_PICKED,
        ("meeting", meeting.pk),
        task.engagement.client,
        {"task": task.pk, "slot": start.isoformat(), "minutes": meeting.minutes},
        at=moment,
    )
    title = task.title
    people = {meeting.proposed_by, user, *side_people(task, MeetingSide.CLIENT), *side_people(task, side)}
    notice_send(
        users=sorted(people, key=lambda person: person.pk),
        kind="meeting_picked",
        text=lambda: (
            _("Meeting on “%(task)s” at %(when)s: add the invitation to your calendar.")
            % {"task": title, "when": when(start)}
        ),
        url=reverse("meeting_ics", kwargs={"meeting_id": meeting.pk}),
        now=moment,
    )
    return meeting
