"""Small pieces the engagement and task pages share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from kpo.core.forms import submit
from kpo.core.links import redirect_at
from kpo.engine.lifecycle import Capacity
from kpo.work.models import Task

R = TypeVar("R")

PAGE_SIZE = 25
ANY_CAPACITY = tuple(Capacity)


def _posted(request: HttpRequest) -> Any:
    """The submitted data on a POST (even an empty one, so the form shows what is missing), else None."""
    return request.POST if request.method == "POST" else None


def _choice(value: str | None, allowed: list[str]) -> str:
    return value if value in allowed else ""


def _whole_number(value: str | None) -> int | None:
    """A list filter's id, or None when it is missing or not a plain number (the filter is then off)."""
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 12 else None


def back_to_task(task: Task, anchor: str = "") -> HttpResponseRedirect:
    """A redirect to the task page, at `anchor` (a section's id) when given."""
    return redirect_at("task_detail", anchor, task_id=task.pk)


def form_page(
    request: HttpRequest,
    template: str,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], R],
    *,
    success: str | Callable[[R], str],
    then: HttpResponse | Callable[[R], HttpResponse],
    context: dict[str, Any] | None = None,
    formsets: Sequence[forms.BaseFormSet] = (),  # type: ignore[type-arg]
) -> HttpResponse:
    """A page of one form: GET shows it; POST `submit`s it, or shows it again with its errors (400).

    The bound ones of `formsets` (rows that belong to the form) must be valid too; all are checked, so
    each shows its own errors.
    """
    if request.method != "POST":
        return render(request, template, {"form": form, **(context or {})})
    parts: list[forms.BaseForm | forms.BaseFormSet] = [form, *formsets]  # type: ignore[type-arg]
    checked = [part.is_valid() for part in parts if part.is_bound]
    answer = all(checked) and submit(request, form, action, success=success, then=then)
    return answer or render(request, template, {"form": form, **(context or {})}, status=400)
