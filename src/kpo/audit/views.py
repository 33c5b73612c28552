"""The auditor's view of the audit trail, and its CSV export."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kpo.audit.models import AuditEntry, AuditEvent
from kpo.audit.selectors import audit_entries_for, may_read_audit

PER_PAGE = 50
CSV_HEADER = ["seq", "at", "event", "actor", "organisation", "object_type", "object_id", "details", "hash"]


def _event_filter(request: HttpRequest) -> str:
    event = request.GET.get("event", "")
    return event if event in AuditEvent.values else ""


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    if not may_read_audit(request.user):
        raise Http404
    event = _event_filter(request)
    page = Paginator(audit_entries_for(request.user, event=event), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/audit_log.html",
        {"page": page, "entries": page.object_list, "event": event, "events": AuditEvent.choices},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text  # no spreadsheet formulas


def _rows(entries: Any) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    entry: AuditEntry
    for entry in entries.iterator(chunk_size=500):
        yield writer.writerow(
            [
                _cell(v)
                for v in (
                    entry.seq,
                    entry.at.isoformat(),
                    entry.event,
                    entry.actor.get_username() if entry.actor else "",
                    entry.organisation.name if entry.organisation else "",
                    entry.object_type,
                    entry.object_id,
                    entry.details,
                    entry.hash,
                )
            ]
        )


@login_required
@require_GET
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    if not may_read_audit(request.user):
        raise Http404
    entries = audit_entries_for(request.user, event=_event_filter(request))
    response = StreamingHttpResponse(_rows(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
