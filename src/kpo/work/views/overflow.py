"""Overflow pages: the pool of released tasks, an engagement's overflow providers, and the release,
take and recall of one task (kpo.work.overflow)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kpo.core.access import authenticated, require
from kpo.core.clock import request_now
from kpo.core.errors import DomainError, error_text
from kpo.core.forms import submit
from kpo.core.listed import Listed
from kpo.work import overflow
from kpo.work.access import access_task
from kpo.work.forms import OverflowProviderForm, ReleaseReasonForm
from kpo.work.models import Engagement
from kpo.work.views.tasks import render_task_page


@login_required
@require_GET
def overflow_pool(request: HttpRequest) -> HttpResponse:
    if not overflow.sees_pool(request.user):
        raise Http404(_("The overflow pool is for the managers of providers and the people of clients."))
    offered, own = overflow.releases_for(request.user)
    for release in offered:  # a form per row: each reason field has an id of its own
        release.take_form = ReleaseReasonForm(auto_id=f"id_take_{release.pk}_%s")  # type: ignore[attr-defined]
    return render(request, "work/overflow_pool.html", {"offered": offered, "own": own})


def _render_engagement(
    request: HttpRequest,
    engagement: Engagement,
    form: OverflowProviderForm | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    can_approve = overflow.can_approve_overflow(request.user, engagement)
    return render(
        request,
        "work/engagement_overflow.html",
        {
            "engagement": engagement,
            "approvals": [
                Listed(
                    name=approval.provider.name,
                    sub=approval.provider.get_provider_type_display(),
                    added_at=approval.created_at,
                    added_by=approval.approved_by,
                    remove_url=reverse("overflow_remove", kwargs={"overflow_provider_id": approval.pk}),
                )
                for approval in overflow.overflow_providers_of(engagement)
            ],
            "releases": overflow.releases_of(engagement),
            "can_approve": can_approve,
            "form": form or OverflowProviderForm(candidates=overflow.overflow_candidates(engagement)),
        },
        status=status,
    )


@login_required
@require_GET
def engagement_overflow(request: HttpRequest, engagement_id: int) -> HttpResponse:
    return _render_engagement(request, overflow.access_overflow_engagement(request.user, engagement_id))


@login_required
@require_POST
def overflow_add(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = overflow.access_overflow_engagement(request.user, engagement_id)
    overflow.require_approver(request.user, engagement)
    user = authenticated(request)
    form = OverflowProviderForm(request.POST, candidates=overflow.overflow_candidates(engagement))
    return submit(
        request,
        form,
        lambda data: overflow.overflow_approve(user=user, engagement=engagement, provider=data["provider"]),
        success=lambda approval: (
            _("%(name)s is now an overflow provider of this engagement.") % {"name": approval.provider.name}
        ),
        then=redirect("engagement_overflow", engagement_id=engagement.pk),
    ) or _render_engagement(request, engagement, form, status=400)


@login_required
@require_POST
def overflow_remove(request: HttpRequest, overflow_provider_id: int) -> HttpResponse:
    approval = overflow.access_overflow_provider(request.user, overflow_provider_id)
    engagement = approval.engagement
    name = approval.provider.name
    overflow.overflow_remove(user=authenticated(request), approval=approval)
    messages.success(
        request, _("%(name)s is no longer an overflow provider of this engagement.") % {"name": name}
    )
    return redirect("engagement_overflow", engagement_id=engagement.pk)


def _task_url(task_id: int) -> str:
    return reverse("task_detail", kwargs={"task_id": task_id}) + "#overflow"


def _refused(
    request: HttpRequest, task_id: int, form: ReleaseReasonForm, error: DomainError | None
) -> HttpResponse:
    """The task page again, status 400, with what was wrong (the field and why) at the top."""
    if error is not None:
        messages.error(request, error_text(error))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for text in errors:
                messages.error(request, f"{label}: {text}" if label else str(text))
    return render_task_page(request, access_task(request.user, task_id), status=400)


@login_required
@require_POST
def task_release(request: HttpRequest, task_id: int) -> HttpResponse:
    task = overflow.access_releasing_task(request.user, task_id)
    form = ReleaseReasonForm(request.POST)
    if not form.is_valid():
        return _refused(request, task.pk, form, None)
    try:
        overflow.task_release(
            user=authenticated(request),
            task=task,
            reason=form.cleaned_data["reason"],
            now=request_now(request),
        )
    except (DomainError, ValidationError) as error:
        return _refused(
            request,
            task.pk,
            form,
            error if isinstance(error, DomainError) else DomainError(error_text(error)),
        )
    messages.success(
        request, _("The task is released to the overflow pool; its providers' managers are told.")
    )
    return HttpResponseRedirect(_task_url(task.pk))


@login_required
@require_POST
def release_take(request: HttpRequest, task_release_id: int) -> HttpResponse:
    release = overflow.access_release_to_take(request.user, task_release_id)
    form = ReleaseReasonForm(request.POST)
    if not form.is_valid():
        return _refused(request, release.task_id, form, None)
    try:
        overflow.release_take(
            user=authenticated(request),
            release=release,
            reason=form.cleaned_data["reason"],
            now=request_now(request),
        )
    except DomainError as error:
        return _refused(request, release.task_id, form, error)
    messages.success(request, _("The task is yours to staff: choose experts of your own."))
    return redirect("staff_picker", task_id=release.task_id)


@login_required
@require_POST
def release_recall(request: HttpRequest, task_release_id: int) -> HttpResponse:
    release = overflow.access_release(request.user, task_release_id)
    require(
        overflow.can_recall(request.user, release.task.engagement),
        _("Only the client's admins and requesters recall a release."),
    )
    try:
        overflow.release_recall(user=authenticated(request), release=release, now=request_now(request))
    except DomainError as error:
        messages.error(request, error_text(error))
        return render_task_page(request, release.task, status=400)
    messages.success(request, _("The release is recalled: the overflow providers no longer see the task."))
    return HttpResponseRedirect(_task_url(release.task_id))
