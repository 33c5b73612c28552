"""The auditor's view of the audit trail, and its CSV export."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kpo.audit.forms import AuditFilterForm
from kpo.audit.models import AuditEntry
from kpo.audit.presenters import entry_rows
from kpo.audit.selectors import AuditFilter, audit_entries_for, may_read_audit
from kpo.audit.verification import chain_status
from kpo.core.pagination import CappedPaginator

PER_PAGE = 50
CSV_HEADER = ["seq", "at", "event", "actor", "organisation", "object_type", "object_id", "details", "hash"]


def _filters(request: HttpRequest) -> tuple[AuditFilterForm, AuditFilter]:
    """The form as filled in, and the filters its valid fields give (an invalid field is left out)."""
    form = AuditFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else getattr(form, "cleaned_data", {})
    filters = AuditFilter(
        event=data.get("event") or "",
        actor=data.get("actor") or "",
        kind=data.get("kind") or "",
        since=data.get("since"),
        until=data.get("until"),
    )
    return form, filters


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    if not may_read_audit(request.user):
        raise Http404
    form, filters = _filters(request)
    page = CappedPaginator(audit_entries_for(request.user, filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "audit/audit_log.html",
        {
            "form": form,
            "page": page,
            "rows": entry_rows(request.user, page.object_list),
            "status": chain_status(),
            "export_query": request.GET.urlencode(),
        },
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
    entries = audit_entries_for(request.user, _filters(request)[1])
    response = StreamingHttpResponse(_rows(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
