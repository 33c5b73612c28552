"""SLA pages (report, CSV, policy) and dispute pages. Each view: check access, call one service or
selector, render."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import IO, Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.access import authenticated, require
from kpo.core.clock import request_now
from kpo.core.errors import DomainError
from kpo.core.files import serve_stored
from kpo.core.forms import ErrorHook, apply_errors, submit
from kpo.core.spreadsheets import safe_cell
from kpo.sla.access import (
    access_dispute,
    access_dispute_evidence,
    access_sla_engagement,
    access_task_for_dispute,
    disputes_visible_to,
    is_client_admin,
    is_client_writer,
    is_operator,
    is_provider_manager,
)
from kpo.sla.charts import STATE_LABELS, state_chart, usage_chart
from kpo.sla.forms import (
    DisputeForm,
    DisputeNoteForm,
    DisputeResolveForm,
    DisputeResponseForm,
    EvidenceForm,
    SlaPolicyForm,
)
from kpo.sla.models import Dispute, DisputeStatus
from kpo.sla.selectors import calendar_for, calendar_in_force, policy_for, sla_report
from kpo.sla.services import disputes as dispute_services
from kpo.sla.services.policy import sla_policy_update
from kpo.work.services import Upload

DISPUTES_PER_PAGE = 50


def _upload(file: UploadedFile) -> Upload:
    return Upload(stream=cast(IO[bytes], file), name=file.name or "upload")


# --- SLA report and policy --------------------------------------------------------------------------


@login_required
@require_GET
def sla_report_view(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = access_sla_engagement(request.user, engagement_id)
    report = sla_report(engagement, request_now(request))
    return render(
        request,
        "sla/report.html",
        {
            "engagement": engagement,
            "report": report,
            "state_chart": state_chart(report),
            "usage_chart": usage_chart(report),
            "state_labels": STATE_LABELS,
            "can_edit": is_client_admin(request.user, engagement),
            "in_force": calendar_in_force(report.calendar, report.now),
        },
    )


def _hours(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


@login_required
@require_GET
def sla_report_csv(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = access_sla_engagement(request.user, engagement_id)
    report = sla_report(engagement, request_now(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sla-engagement-{engagement.pk}.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(
        [
            "task_id",
            "task",
            "status",
            "response_started",
            "response_due",
            "response_finished",
            "response_hours",
            "response_state",
            "delivery_started",
            "delivery_due",
            "delivery_finished",
            "delivery_hours",
            "delivery_state",
        ]
    )
    for row in report.rows:
        cells: list[Any] = [row.task.pk, safe_cell(row.task.title), row.task.status]
        for started, clock in ((row.response_started, row.response), (row.delivery_started, row.delivery)):
            if clock is None:
                cells += ["", "", "", "", ""]
                continue
            cells += [
                started.isoformat() if started else "",
                clock.due.isoformat(),
                clock.finished.isoformat() if clock.finished else "",
                _hours(clock.used_hours),
                clock.state.value,
            ]
        writer.writerow(cells)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def sla_policy_edit(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = access_sla_engagement(request.user, engagement_id, write=True)
    policy = policy_for(engagement)
    status = 200
    if request.method == "POST":
        form = SlaPolicyForm(request.POST)
        done = submit(
            request,
            form,
            lambda _data: sla_policy_update(
                user=authenticated(request), engagement=engagement, **form.policy_fields()
            ),
            success=_("Service levels saved."),
            then=HttpResponseRedirect(reverse("sla_report", kwargs={"engagement_id": engagement.pk})),
            on_error=_apply_policy_errors,
        )
        if done:
            return done
        status = 400
    else:
        form = SlaPolicyForm(initial=SlaPolicyForm.initial_from(policy))
    return render(
        request,
        "sla/policy_form.html",
        {
            "engagement": engagement,
            "form": form,
            "provider": engagement.provider,
            "in_force": calendar_in_force(calendar_for(engagement, policy), request_now(request)),
        },
        status=status,
    )


def _apply_policy_errors(form: forms.BaseForm, error: ValidationError | DomainError) -> None:
    if (
        isinstance(error, ValidationError)
        and hasattr(error, "error_dict")
        and "at_risk_share" in error.error_dict
    ):
        for message in error.message_dict.pop("at_risk_share"):
            form.add_error("at_risk_percent", message)
        remaining = {k: v for k, v in error.message_dict.items() if k != "at_risk_share"}
        if remaining:
            apply_errors(form, ValidationError(remaining))
        return
    apply_errors(form, error)


# --- disputes ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def dispute_create(request: HttpRequest, task_id: int) -> HttpResponse:
    task = access_task_for_dispute(request.user, task_id)
    status = 200
    if request.method == "POST":
        form = DisputeForm(request.POST, request.FILES)
        done = submit(
            request,
            form,
            lambda data: dispute_services.dispute_open(
                user=authenticated(request),
                task=task,
                reason=data["reason"],
                evidence=_upload(data["evidence"]) if data.get("evidence") else None,
            ),
            success=_("Dispute opened. The provider has been asked to respond."),
            then=lambda dispute: HttpResponseRedirect(
                reverse("dispute_detail", kwargs={"dispute_id": dispute.pk})
            ),
        )
        if done:
            return done
        status = 400
    else:
        form = DisputeForm()
    return render(request, "sla/dispute_form.html", {"task": task, "form": form}, status=status)


@login_required
@require_GET
def dispute_list(request: HttpRequest) -> HttpResponse:
    queryset = disputes_visible_to(request.user).select_related("task", "task__engagement", "opened_by")
    chosen = request.GET.get("status", "")
    if chosen in DisputeStatus.values:
        queryset = queryset.filter(status=chosen)
    elif chosen == "open":
        queryset = queryset.exclude(status=DisputeStatus.RESOLVED)
    page = Paginator(queryset.order_by("-created_at", "-id"), DISPUTES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "sla/dispute_list.html",
        {
            "page": page,
            "disputes": page.object_list,
            "status_choices": [("open", _("Open")), *DisputeStatus.choices],
            "chosen": chosen,
            "now": request_now(request),
            "operator": is_operator(request.user),
        },
    )


def _render_dispute(
    request: HttpRequest,
    dispute: Dispute,
    *,
    bound: dict[str, forms.BaseForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    engagement = dispute.task.engagement
    client = is_client_writer(user, engagement)
    manager = is_provider_manager(user, engagement)
    operator = is_operator(user)
    now = request_now(request)
    allowed = {
        "respond": manager and dispute.status == DisputeStatus.OPENED,
        "agree": client and dispute.status == DisputeStatus.RESPONDED,
        "mediation": (
            ((client or manager) and dispute.status == DisputeStatus.RESPONDED)
            or (client and dispute.status == DisputeStatus.OPENED and now >= dispute.response_due_at)
        ),
        "resolve": operator and dispute.status == DisputeStatus.MEDIATION,
        "evidence": (client or manager) and dispute.is_open,
    }
    made: dict[str, forms.BaseForm] = {
        "respond": DisputeResponseForm(),
        "agree": DisputeNoteForm(),
        "mediation": DisputeNoteForm(),
        "resolve": DisputeResolveForm(),
        "evidence": EvidenceForm(),
    }
    made.update(bound or {})
    due = dispute.current_due_at
    return render(
        request,
        "sla/dispute_detail.html",
        {
            "dispute": dispute,
            "task": dispute.task,
            "engagement": engagement,
            "steps": list(dispute.steps.select_related("actor")),
            "evidence": list(dispute.evidence.select_related("uploaded_by")),
            "allowed": allowed,
            "forms": made,
            "due": due,
            "overdue": due is not None and now >= due,
        },
        status=status,
    )


@login_required
@require_GET
def dispute_detail(request: HttpRequest, dispute_id: int) -> HttpResponse:
    return _render_dispute(request, access_dispute(request.user, dispute_id))


def _back(dispute: Dispute) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("dispute_detail", kwargs={"dispute_id": dispute.pk}))


def _dispute_step(
    request: HttpRequest,
    dispute: Dispute,
    key: str,
    form: forms.BaseForm,
    service: Callable[..., object],
    done: str,
    on_error: ErrorHook = apply_errors,
) -> HttpResponse:
    """One step on the dispute page: `service` gets the user, the dispute and the form's fields; back to
    the page, or the page again with the form and its errors in place of the blank form `key`."""
    return submit(
        request,
        form,
        lambda data: service(user=authenticated(request), dispute=dispute, **data),
        success=done,
        then=_back(dispute),
        on_error=on_error,
    ) or _render_dispute(request, dispute, bound={key: form}, status=400)


@login_required
@require_POST
def dispute_respond(request: HttpRequest, dispute_id: int) -> HttpResponse:
    dispute = access_dispute(request.user, dispute_id)
    require(
        is_provider_manager(request.user, dispute.task.engagement),
        _("Only the provider's managers respond to a dispute."),
    )
    form = DisputeResponseForm(request.POST)
    done = _("Response sent to the client.")
    return _dispute_step(request, dispute, "respond", form, dispute_services.dispute_respond, done)


@login_required
@require_POST
def dispute_agree(request: HttpRequest, dispute_id: int) -> HttpResponse:
    dispute = access_dispute(request.user, dispute_id)
    require(
        is_client_writer(request.user, dispute.task.engagement),
        _("Only the client's admins and requesters agree to the provider's proposal."),
    )
    form = DisputeNoteForm(request.POST)
    done = _("Dispute resolved with the provider's proposal.")
    return _dispute_step(request, dispute, "agree", form, dispute_services.dispute_agree, done)


@login_required
@require_POST
def dispute_mediation(request: HttpRequest, dispute_id: int) -> HttpResponse:
    dispute = access_dispute(request.user, dispute_id)
    engagement = dispute.task.engagement
    require(
        is_client_writer(request.user, engagement) or is_provider_manager(request.user, engagement),
        _("Only the two sides of a dispute ask for mediation."),
    )
    form = DisputeNoteForm(request.POST)
    done = _("Mediation requested. An operator will decide.")
    return _dispute_step(
        request, dispute, "mediation", form, dispute_services.dispute_request_mediation, done
    )


@login_required
@require_POST
def dispute_resolve(request: HttpRequest, dispute_id: int) -> HttpResponse:
    dispute = access_dispute(request.user, dispute_id)
    require(is_operator(request.user), _("Only an operator resolves a dispute in mediation."))
    form = DisputeResolveForm(request.POST)
    return _dispute_step(
        request, dispute, "resolve", form, dispute_services.dispute_resolve, _("Dispute resolved.")
    )


def _apply_evidence_errors(form: forms.BaseForm, error: ValidationError | DomainError) -> None:
    """The service names the upload `evidence`; the evidence form calls it `file`."""
    if isinstance(error, DomainError) and error.field == "evidence":
        error = DomainError(error.message, field="file")
    apply_errors(form, error)


def _add_evidence(*, user: User, dispute: Dispute, file: UploadedFile, note: str) -> object:
    return dispute_services.dispute_add_evidence(user=user, dispute=dispute, upload=_upload(file), note=note)


@login_required
@require_POST
def dispute_evidence_add(request: HttpRequest, dispute_id: int) -> HttpResponse:
    dispute = access_dispute(request.user, dispute_id)
    engagement = dispute.task.engagement
    require(
        is_client_writer(request.user, engagement) or is_provider_manager(request.user, engagement),
        _("Only the client's admins and requesters and the provider's managers add evidence."),
    )
    form = EvidenceForm(request.POST, request.FILES)
    return _dispute_step(
        request, dispute, "evidence", form, _add_evidence, _("Evidence added."), _apply_evidence_errors
    )


@login_required
@require_GET
def dispute_evidence_download(
    request: HttpRequest, dispute_id: int, dispute_evidence_id: int
) -> FileResponse:
    evidence = access_dispute_evidence(request.user, dispute_id, dispute_evidence_id)
    details = {"dispute": evidence.dispute_id, "file": evidence.original_name, "sha256": evidence.sha256}
    target, client = ("dispute_evidence", evidence.pk), evidence.dispute.task.engagement.client
    audit(request.user, AuditEvent.DOWNLOAD, target, client, details)
    return serve_stored(evidence, text_charset=True)
