"""The audit page's rows: who did what to which object, and the details as lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from kpo.audit.details import DetailLine, detail_lines
from kpo.audit.models import AuditEntry, AuditEvent
from kpo.audit.objects import object_kind_label, object_links
from kpo.core.types import AnyUser


@dataclass(frozen=True)
class EntryRow:
    seq: int
    at: dt.datetime
    action: str
    actor: str
    organisation: str
    object_kind: str
    object_id: str
    object_url: str
    lines: list[DetailLine]


def entry_rows(user: AnyUser, entries: Iterable[AuditEntry]) -> list[EntryRow]:
    """One row per entry; links to the objects the viewer may open (one query per kind of object)."""
    listed = list(entries)
    links = object_links(user, ((entry.object_type, entry.object_id) for entry in listed))
    labels = dict(AuditEvent.choices)
    return [
        EntryRow(
            seq=entry.seq,
            at=entry.at,
            action=str(labels.get(entry.event, entry.event)),
            actor=(entry.actor.get_full_name() or entry.actor.get_username()) if entry.actor else "",
            organisation=entry.organisation.name if entry.organisation else "",
            object_kind=object_kind_label(entry.object_type) if entry.object_type else "",
            object_id=entry.object_id,
            object_url=links.get((entry.object_type, entry.object_id), ""),
            lines=detail_lines(entry.event, entry.details),
        )
        for entry in listed
    ]
