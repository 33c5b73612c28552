"""What people do on a task page: messages, material, deliverables, time, staffing."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any, TypeVar, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kpo.core.access import authenticated, get_visible_or_404
from kpo.core.forms import attempt, submit
from kpo.engine.lifecycle import Capacity
from kpo.experts.selectors import active_experts_of
from kpo.work import services
from kpo.work.access import access_task_for
from kpo.work.forms import (
    AssignmentForm,
    DeliverableForm,
    DocumentForm,
    MessageForm,
    TimeEntryForm,
)
from kpo.work.models import DeliverableVersion, Task
from kpo.work.views._helpers import ANY_CAPACITY, back_to_task
from kpo.work.views.tasks import render_task_page

R = TypeVar("R")


def _task_form(
    request: HttpRequest,
    task: Task,
    key: str,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], R],
    done: str | Callable[[R], str],
    anchor: str,
) -> HttpResponse:
    """A form on the task page: `action` calls the service; back to the page's section `anchor`, or the
    page again with the form and its errors in place of the blank form `key`."""
    return submit(request, form, action, success=done, then=back_to_task(task, anchor)) or render_task_page(
        request, task, bound={key: form}, status=400
    )


@login_required
@require_POST
def task_message(request: HttpRequest, task_id: int) -> HttpResponse:
    task, _held = access_task_for(request.user, task_id, *ANY_CAPACITY)
    user = authenticated(request)
    return _task_form(
        request,
        task,
        "message",
        MessageForm(request.POST),
        lambda data: services.message_post(
            user=user,
            task=task,
            body=data["body"],
            language=data["language"] or services.message_language(get_language()),
        ),
        _("Message sent."),
        "messages",
    )


def _upload(file: UploadedFile) -> services.Upload:
    return services.Upload(stream=cast(IO[bytes], file), name=file.name or "upload")


@login_required
@require_POST
def task_document_upload(request: HttpRequest, task_id: int) -> HttpResponse:
    task, _held = access_task_for(request.user, task_id, Capacity.CLIENT)
    user = authenticated(request)
    return _task_form(
        request,
        task,
        "document",
        DocumentForm(request.POST, request.FILES),
        lambda data: services.task_document_add(
            user=user,
            task=task,
            title=data["title"],
            upload=_upload(data["file"]),
            confidentiality=data.get("confidentiality") or "",
        ),
        lambda document: _("“%(title)s” added to the task.") % {"title": document.title},
        "documents",
    )


@login_required
@require_POST
def deliverable_upload(request: HttpRequest, task_id: int) -> HttpResponse:
    task, _held = access_task_for(request.user, task_id, Capacity.MAKER, Capacity.PROVIDER_MANAGER)
    user = authenticated(request)

    def upload(data: dict[str, Any]) -> DeliverableVersion:
        chosen = data["deliverable"]
        return services.deliverable_upload(
            user=user,
            task=task,
            upload=_upload(data["file"]),
            title=data["title"],
            note=data["note"],
            deliverable=get_visible_or_404(task.deliverables.all(), chosen) if chosen is not None else None,
        )

    return _task_form(
        request,
        task,
        "deliver",
        DeliverableForm(request.POST, request.FILES, deliverables=task.deliverables.all()),
        upload,
        lambda version: (
            _("Version %(number)s of “%(title)s” uploaded.")
            % {"number": version.number, "title": version.deliverable.title}
        ),
        "deliverables",
    )


@login_required
@require_POST
def time_entry_create(request: HttpRequest, task_id: int) -> HttpResponse:
    task, _held = access_task_for(request.user, task_id, Capacity.MAKER, Capacity.REVIEWER)
    user = authenticated(request)
    return _task_form(
        request,
        task,
        "time",
        TimeEntryForm(request.POST),
        lambda data: services.time_entry_create(user=user, task=task, **data),
        lambda entry: _("%(hours)s h logged.") % {"hours": formats.localize(entry.hours)},
        "time",
    )


@login_required
@require_POST
def assignment_create(request: HttpRequest, task_id: int) -> HttpResponse:
    task, _held = access_task_for(request.user, task_id, Capacity.PROVIDER_MANAGER)
    user = authenticated(request)
    return _task_form(
        request,
        task,
        "staff",
        AssignmentForm(request.POST, experts=active_experts_of(task.engagement.provider_id)),
        lambda data: services.assignment_create(user=user, task=task, **data),
        lambda assignment: (
            _("%(name)s is now %(role)s on this task.")
            % {"name": assignment.expert.display_name, "role": assignment.get_role_display().lower()}
        ),
        "staffing",
    )


@login_required
@require_POST
def assignment_delete(request: HttpRequest, task_id: int, assignment_id: int) -> HttpResponse:
    task, _held = access_task_for(request.user, task_id, Capacity.PROVIDER_MANAGER)
    user = authenticated(request)
    assignment = get_visible_or_404(task.assignments.select_related("expert__user", "task"), assignment_id)
    attempt(
        request,
        lambda: services.assignment_remove(user=user, assignment=assignment),
        success=_("%(name)s was taken off the task.") % {"name": assignment.expert.display_name},
    )
    return back_to_task(task, "staffing")
