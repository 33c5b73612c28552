"""What people do on a task page: messages, material, deliverables, time, staffing."""

from __future__ import annotations

from typing import IO, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kpo.core.access import authenticated, get_visible_or_404
from kpo.core.errors import DomainError, error_text
from kpo.core.forms import apply_errors
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
from kpo.work.views._helpers import ANY_CAPACITY, back_to_task
from kpo.work.views.tasks import render_task_page


@login_required
@require_POST
def task_message(request: HttpRequest, task_id: int) -> HttpResponse:
    task, _held = access_task_for(request.user, task_id, *ANY_CAPACITY)
    user = authenticated(request)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_post(user=user, task=task, body=form.cleaned_data["body"])
        except (ValidationError, DomainError) as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Message sent."))
            return back_to_task(task, "messages")
    return render_task_page(request, task, bound={"message": form}, status=400)


def _upload(file: UploadedFile) -> services.Upload:
    return services.Upload(stream=cast(IO[bytes], file), name=file.name or "upload")


@login_required
@require_POST
def task_document_upload(request: HttpRequest, task_id: int) -> HttpResponse:
    task, _held = access_task_for(request.user, task_id, Capacity.CLIENT)
    user = authenticated(request)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.task_document_add(
                user=user,
                task=task,
                title=form.cleaned_data["title"],
                upload=_upload(form.cleaned_data["file"]),
                confidentiality=form.cleaned_data.get("confidentiality") or "",
            )
        except (ValidationError, DomainError) as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” added to the task.") % {"title": document.title})
            return back_to_task(task, "documents")
    return render_task_page(request, task, bound={"document": form}, status=400)


@login_required
@require_POST
def deliverable_upload(request: HttpRequest, task_id: int) -> HttpResponse:
    task, _held = access_task_for(request.user, task_id, Capacity.MAKER, Capacity.PROVIDER_MANAGER)
    user = authenticated(request)
    form = DeliverableForm(request.POST, request.FILES, deliverables=task.deliverables.all())
    if form.is_valid():
        data = form.cleaned_data
        deliverable = (
            get_visible_or_404(task.deliverables.all(), data["deliverable"])
            if data["deliverable"] is not None
            else None
        )
        try:
            version = services.deliverable_upload(
                user=user,
                task=task,
                upload=_upload(data["file"]),
                title=data["title"],
                note=data["note"],
                deliverable=deliverable,
            )
        except (ValidationError, DomainError) as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(number)s of “%(title)s” uploaded.")
                % {"number": version.number, "title": version.deliverable.title},
            )
            return back_to_task(task, "deliverables")
    return render_task_page(request, task, bound={"deliver": form}, status=400)


@login_required
@require_POST
def time_entry_create(request: HttpRequest, task_id: int) -> HttpResponse:
    task, _held = access_task_for(request.user, task_id, Capacity.MAKER, Capacity.REVIEWER)
    user = authenticated(request)
    form = TimeEntryForm(request.POST)
    if form.is_valid():
        try:
            entry = services.time_entry_create(user=user, task=task, **form.cleaned_data)
        except (ValidationError, DomainError) as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(hours)s h logged.") % {"hours": formats.localize(entry.hours)})
            return back_to_task(task, "time")
    return render_task_page(request, task, bound={"time": form}, status=400)


@login_required
@require_POST
def assignment_create(request: HttpRequest, task_id: int) -> HttpResponse:
    task, _held = access_task_for(request.user, task_id, Capacity.PROVIDER_MANAGER)
    user = authenticated(request)
    form = AssignmentForm(request.POST, experts=active_experts_of(task.engagement.provider_id))
    if form.is_valid():
        try:
            assignment = services.assignment_create(user=user, task=task, **form.cleaned_data)
        except (ValidationError, DomainError) as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s on this task.")
                % {"name": assignment.expert.display_name, "role": assignment.get_role_display().lower()},
            )
            return back_to_task(task, "staffing")
    return render_task_page(request, task, bound={"staff": form}, status=400)


@login_required
@require_POST
def assignment_delete(request: HttpRequest, task_id: int, assignment_id: int) -> HttpResponse:
    task, _held = access_task_for(request.user, task_id, Capacity.PROVIDER_MANAGER)
    user = authenticated(request)
    assignment = get_visible_or_404(task.assignments.select_related("expert__user", "task"), assignment_id)
    try:
        services.assignment_remove(user=user, assignment=assignment)
    except (ValidationError, DomainError) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("%(name)s was taken off the task.") % {"name": assignment.expert.display_name}
        )
    return back_to_task(task, "staffing")
