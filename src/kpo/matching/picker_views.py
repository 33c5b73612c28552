"""The staffing picker's pages: a task's candidates searched and paged (GET), one assigned (POST).

The assignment goes through kpo.work's service (its row locks and assignment checks) once matching's
own rules say the expert may do the task; a refusal names the rules, on the picker, with status 400.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kpo.core.access import authenticated, require
from kpo.core.clock import request_now
from kpo.core.errors import DomainError
from kpo.core.forms import submit
from kpo.experts.models import ExpertProfile, ExpertStatus
from kpo.matching.access import MatchingAccess, access_task_for_matching
from kpo.matching.forms import PickerForm
from kpo.matching.picker import staff_picker
from kpo.matching.selectors import why_not_for
from kpo.work.access import opens_engagement
from kpo.work.forms import AssignmentForm
from kpo.work.models import Assignment, Task
from kpo.work.services import STAFFABLE_STATES, assignment_create


def access_picker_assign(user: Any, task_id: object) -> MatchingAccess:
    """Assigning from the picker is for those who staff the task: the engagement's provider managers
    (403 for the others who find experts for it, 404 for the rest). The picker itself is read by all
    who find experts for the task (kpo.matching.access)."""
    access = access_task_for_matching(user, task_id)
    require(access.can_assign, _("Only the provider's managers staff a task."))
    return access


def staffable_experts(access: MatchingAccess) -> QuerySet[ExpertProfile]:
    """The active experts this user staffs the task with: their own overflow provider's, or the
    engagement's provider's."""
    provider_ids = access.organisation_ids or {access.task.engagement.provider_id}
    return (
        ExpertProfile.objects.filter(organisation_id__in=provider_ids, status=ExpertStatus.ACTIVE)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )


def picker_url(task: Task, q: str = "", page: int = 1) -> str:
    query = {key: value for key, value in (("q", q), ("page", page if page > 1 else "")) if value}
    base = reverse("staff_picker", kwargs={"task_id": task.pk})
    return f"{base}?{urlencode(query)}" if query else base


def _render(
    request: HttpRequest,
    access: MatchingAccess,
    search: PickerForm,
    assign: AssignmentForm | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    task = access.task
    picker = staff_picker(
        task,
        now=request_now(request),
        viewer=request.user,
        sees_client_staff=access.sees_client_staff,
        q=search.query(),
        page=search.page_number(),
        organisation_ids=access.organisation_ids,
    )
    return render(
        request,
        "matching/staff_picker.html",
        {
            "task": task,
            "engagement": task.engagement,
            "engagement_plain": not opens_engagement(request.user, task.engagement),
            "picker": picker,
            "search": search,
            "assign": assign,
            "can_staff": access.can_assign and task.status in STAFFABLE_STATES,
            "staffable": task.status in STAFFABLE_STATES,
            "client_side": access.client_side,
            "previous_url": picker_url(task, picker.query, picker.page - 1),
            "next_url": picker_url(task, picker.query, picker.page + 1),
        },
        status=status,
    )


@login_required
@require_GET
def staff_picker_page(request: HttpRequest, task_id: int) -> HttpResponse:
    access = access_task_for_matching(request.user, task_id)
    search = PickerForm(request.GET)
    search.is_valid()  # a bad page or an over-long search is reported; the rest still applies
    return _render(request, access, search, status=400 if search.errors else 200)


def _assign_if_eligible(user: User, task: Task, data: dict[str, Any], now: dt.datetime) -> Assignment:
    why = why_not_for(task, data["expert"], now=now)
    if not why.eligible:
        reasons = "; ".join(f"{failure.label}: {failure.detail}" for failure in why.failures)
        raise DomainError(
            _("%(name)s may not do this task: %(reasons)s.")
            % {"name": data["expert"].display_name, "reasons": reasons},
            field="expert",
        )
    return assignment_create(user=user, task=task, **data)


@login_required
@require_POST
def staff_picker_assign(request: HttpRequest, task_id: int) -> HttpResponse:
    access = access_picker_assign(request.user, task_id)
    task = access.task
    user = authenticated(request)
    now = request_now(request)
    search = PickerForm(request.POST)  # the search the row was picked from, to return to it
    search.is_valid()
    form = AssignmentForm(request.POST, experts=staffable_experts(access))
    return submit(
        request,
        form,
        lambda data: _assign_if_eligible(user, task, data, now),
        success=lambda assignment: (
            _("%(name)s is now %(role)s on this task.")
            % {"name": assignment.expert.display_name, "role": assignment.get_role_display().lower()}
        ),
        then=HttpResponseRedirect(picker_url(task, search.query(), search.page_number())),
    ) or _render(request, access, search, form, status=400)
