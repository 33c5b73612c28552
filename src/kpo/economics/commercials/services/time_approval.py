"""Time approval: the provider's manager approves or rejects submitted time entries, in bulk, with a note.

Only approved time is invoiced. A decision is final for the entry (an expert whose time was rejected
logs a corrected entry); it is audited (`time_decided`) and the experts get a notice.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import partial

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.access import require
from kpo.core.errors import DomainError
from kpo.core.formatting import number
from kpo.economics.commercials.access import manages_provider
from kpo.economics.commercials.services.budget import budget_check
from kpo.notices.services import notice_send
from kpo.work.models import Engagement, TimeEntry, TimeEntryStatus

DECISIONS = {TimeEntryStatus.APPROVED.value, TimeEntryStatus.REJECTED.value}
MAX_NOTE = 500


def _entry_ids(raw: Sequence[object]) -> list[int]:
    ids: list[int] = []
    for value in raw:
        try:
            number = int(str(value))
        except ValueError:
            raise ValidationError(
                {"entries": [_("%(value)s is not a time entry id.") % {"value": value}]}
            ) from None
        if number < 1 or number > 2**63 - 1:
            raise ValidationError({"entries": [_("%(value)s is not a time entry id.") % {"value": value}]})
        if number not in ids:
            ids.append(number)
    return ids


def _time_decided_text(decision: str, hours_value: Decimal, task: str, note: str) -> str:
    hours = number(hours_value)  # in the recipient's language
    if decision == TimeEntryStatus.APPROVED:
        return _("%(hours)s h of your time on %(task)s was approved.") % {"hours": hours, "task": task}
    return _("%(hours)s h of your time on %(task)s was rejected: %(note)s") % {
        "hours": hours,
        "task": task,
        "note": note,
    }


@transaction.atomic
def time_entries_decide(
    *, user: User, engagement: Engagement, entry_ids: Sequence[object], decision: str, note: str = ""
) -> list[TimeEntry]:
    """Approve or reject submitted entries of `engagement` (its provider's managers only).

    Refused, changing nothing: no entries (`entries`), an entry of another engagement (`entries`), an
    entry already decided (`entries`, 409), an unknown decision (`decision`), a rejection without a
    note or a note longer than 500 characters (`note`)."""
    require(manages_provider(user, engagement), _("Only the provider's managers approve time."))
    if decision not in DECISIONS:
        raise ValidationError({"decision": [_("Choose approve or reject.")]})
    ids = _entry_ids(entry_ids)
    if not ids:
        raise ValidationError({"entries": [_("Pick at least one time entry.")]})
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError(
            {"note": [_("Keep the note under %(limit)s characters.") % {"limit": MAX_NOTE}]}
        )
    if decision == TimeEntryStatus.REJECTED and not note:
        raise ValidationError({"note": [_("Say why the time is rejected; the expert reads the note.")]})
    entries = list(
        TimeEntry.objects.select_for_update()
        .filter(task__engagement=engagement, pk__in=ids)
        .select_related("expert", "expert__user", "task")
        .order_by("id")
    )
    found = {entry.pk for entry in entries}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ValidationError(
            {"entries": [_("Not time on this engagement: %(ids)s.") % {"ids": ", ".join(map(str, missing))}]}
        )
    done = [entry.pk for entry in entries if entry.status != TimeEntryStatus.SUBMITTED]
    if done:
        raise DomainError(
            _("Already decided: %(ids)s. Nothing was changed.") % {"ids": ", ".join(map(str, done))},
            field="entries",
        )
    now = timezone.now()
    for entry in entries:
        entry.status = decision
        entry.decided_by = user
        entry.decided_at = now
        entry.decision_note = note
        entry.full_clean()
    TimeEntry.objects.bulk_update(
        entries, ["status", "decided_by", "decided_at", "decision_note", "updated_at"]
    )
    hours = sum((entry.hours for entry in entries), Decimal(0))
    details = {
        "decision": decision,
        "entries": [entry.pk for entry in entries],
        "hours": str(hours),
        "note": note,
        "client_id": engagement.client_id,
    }
    audit(user, AuditEvent.TIME_DECIDED, ("engagement", engagement.pk), engagement.provider, details)
    by_person_and_task: dict[tuple[int, int], list[TimeEntry]] = {}
    for entry in entries:  # one notice per task: each names the task its hours were logged on
        by_person_and_task.setdefault((entry.expert.user_id, entry.task_id), []).append(entry)
    for user_entries in by_person_and_task.values():
        first = user_entries[0]
        task_hours = sum((e.hours for e in user_entries), Decimal(0))
        notice_send(
            users=[first.expert.user],
            kind="time_decided",
            text=partial(_time_decided_text, decision, task_hours, first.task.title, note),
            url=reverse("task_detail", kwargs={"task_id": first.task_id}),
            key=f"time-{decision}:" + ",".join(str(e.pk) for e in user_entries),
            now=now,
        )
    if decision == TimeEntryStatus.APPROVED:
        budget_check(engagement=engagement)
    return entries
