"""Small pieces the engagement and task pages share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from kpo.engine.lifecycle import Capacity
from kpo.work.models import Task

PAGE_SIZE = 25
ANY_CAPACITY = tuple(Capacity)


def _posted(request: HttpRequest) -> Any:
    """The submitted data on a POST (even an empty one, so the form shows what is missing), else None."""
    return request.POST if request.method == "POST" else None


def _choice(value: str | None, allowed: list[str]) -> str:
    return value if value in allowed else ""


def back_to_task(task: Task, anchor: str = "") -> HttpResponseRedirect:
    """A redirect to the task page, at `anchor` (a section's id) when given."""
    url = reverse("task_detail", kwargs={"task_id": task.pk})
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)


def _render_form(
    request: HttpRequest,
    template: str,
    form: forms.BaseForm,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(request, template, {"form": form, **(context or {})}, status=status)
