"""Staffing run pages: start a run over open tasks, watch it solve, edit and commit its plan.

Each view: parse input, check access, call one selector or service, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpo.core.access import authenticated
from kpo.core.errors import DomainError
from kpo.core.job_state import FAILED, latest_job
from kpo.staffing.access import access_run, access_staffing_provider
from kpo.staffing.forms import StartRunForm
from kpo.staffing.jobs import execute_staffing_run
from kpo.staffing.models import StaffingRun
from kpo.staffing.selectors import recent_runs, run_view, staffable_tasks
from kpo.staffing.services import staffing_run_commit, staffing_run_create


@login_required
@require_http_methods(["GET", "POST"])
def staffing_runs(request: HttpRequest) -> HttpResponse:
    tasks = list(staffable_tasks(request.user))
    choices = [(task.pk, task.title) for task in tasks]
    status = 200
    error = ""
    if request.method == "POST":
        user = authenticated(request)
        form = StartRunForm(request.POST, task_choices=choices)
        if form.is_valid():
            picked = [task for task in tasks if task.pk in set(form.cleaned_data["task_ids"])]
            provider_ids = {task.engagement.provider_id for task in picked}
            try:
                if len(provider_ids) > 1:
                    raise DomainError(_("Pick tasks of one provider per run."), field="task_ids")
                if not picked:
                    raise DomainError(_("Pick at least one task to staff."), field="task_ids")
                provider = access_staffing_provider(user, provider_ids.pop())
                run = staffing_run_create(
                    user=user,
                    provider=provider,
                    task_ids=[task.pk for task in picked],
                    objective=form.cleaned_data["objective"],
                )
            except (DomainError, ValidationError, Http404) as failure:
                error = getattr(failure, "message", "") or str(failure)
            else:
                return HttpResponseRedirect(reverse("staffing_run_detail", kwargs={"run_id": run.pk}))
        else:
            error = _("Pick open tasks from the list.")
        status = 400
    else:
        form = StartRunForm(task_choices=choices)
    return render(
        request,
        "staffing/runs.html",
        {"form": form, "tasks": tasks, "runs": list(recent_runs(request.user)), "error": error},
        status=status,
    )


@login_required
@require_GET
def staffing_run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_run(request.user, run_id)
    job = latest_job(execute_staffing_run, run_id=run.pk) if run.active else None
    polling = run.active and not (job is not None and job.state == FAILED)
    context = {"view": run_view(run, request.user), "run": run, "job": job, "polling": polling}
    if request.htmx and request.GET.get("part") == "progress":  # type: ignore[attr-defined]
        response = render(request, "staffing/_progress.html", context)
        if not polling:
            response["HX-Refresh"] = "true"  # the plan is ready: show the whole page
        return response
    return render(request, "staffing/run_detail.html", context)


@login_required
@require_POST
def staffing_run_commit_view(request: HttpRequest, run_id: int) -> HttpResponse:
    run: StaffingRun = access_run(request.user, run_id)
    user = authenticated(request)
    lines = []
    for task_id in request.POST.getlist("task"):
        expert_id = request.POST.get(f"expert_{task_id}", "")
        if expert_id and expert_id != "drop":
            lines.append({"task_id": task_id, "expert_id": expert_id})
    try:
        created = staffing_run_commit(user=user, run=run, lines=lines)
    except DomainError as failure:
        messages.error(request, failure.message)
        context = {"view": run_view(run, request.user), "run": run, "error": failure.message}
        return render(request, "staffing/run_detail.html", context, status=409)
    except PermissionDenied:
        raise
    messages.success(request, _("%(n)s assignments created.") % {"n": len(created)})
    return HttpResponseRedirect(reverse("staffing_run_detail", kwargs={"run_id": run.pk}))
