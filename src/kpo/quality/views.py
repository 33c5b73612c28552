"""Pages for the review rubric, the reviewer's review and the client's decision on a delivery."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kpo.core.access import authenticated
from kpo.core.errors import DomainError
from kpo.core.forms import submit
from kpo.engine.lifecycle import Capacity
from kpo.quality import services
from kpo.quality.access import access_rubric, can_configure_rubric
from kpo.quality.forms import CriterionFormSet, RatingForm, ReviewForm, criteria_from
from kpo.quality.models import RatingDecision, ReviewDecision
from kpo.quality.panels import BOUND_FORMS
from kpo.quality.selectors import rubric_criteria
from kpo.work.access import access_task_for
from kpo.work.models import Task
from kpo.work.views import back_to_task, render_task_page

R = TypeVar("R")


@login_required
@require_http_methods(["GET", "POST"])
def rubric_edit(request: HttpRequest, engagement_id: int) -> HttpResponse:
    """The engagement's review rubric: everyone on it reads it; the client's admins change it."""
    engagement = access_rubric(request.user, engagement_id, write=request.method == "POST")
    criteria, own = rubric_criteria(engagement)
    initial = [{"name": c.name, "weight": c.weight} for c in criteria]
    formset = CriterionFormSet(
        request.POST if request.method == "POST" else None, initial=initial, prefix="criteria"
    )
    status = 200
    if request.method == "POST":
        if formset.is_valid():
            try:
                services.rubric_update(
                    user=authenticated(request), engagement=engagement, criteria=criteria_from(formset)
                )
            except (ValidationError, DomainError) as error:
                formset._non_form_errors = formset.error_class(  # type: ignore[attr-defined]
                    [item for items in _messages_of(error) for item in items]
                )
            else:
                messages.success(request, _("Review rubric saved."))
                return redirect("quality_rubric", engagement_id=engagement.pk)
        status = 400
    return render(
        request,
        "quality/rubric.html",
        {
            "engagement": engagement,
            "criteria": criteria,
            "own": own,
            "formset": formset,
            "can_edit": can_configure_rubric(request.user, engagement),
        },
        status=status,
    )


def _messages_of(error: ValidationError | DomainError) -> list[list[str]]:
    if isinstance(error, DomainError):
        return [[error.message]]
    return [list(error.messages)]


def _task_form(
    request: HttpRequest,
    task: Task,
    key: str,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], R],
    done: Callable[[R], str],
) -> HttpResponse:
    """A quality form on the task page: back to its quality section, or the page again with the form
    and its errors (the quality panel shows the bound form `key`)."""
    answer = submit(request, form, action, success=done, then=back_to_task(task, "quality"))
    if answer:
        return answer
    setattr(request, BOUND_FORMS, {key: form})
    return render_task_page(request, task, status=400)


@login_required
@require_POST
def review_create(request: HttpRequest, task_id: int) -> HttpResponse:
    task, _held = access_task_for(request.user, task_id, Capacity.REVIEWER)
    criteria, _own = rubric_criteria(task.engagement)
    form = ReviewForm(request.POST, criteria=criteria)
    return _task_form(
        request,
        task,
        "review",
        form,
        lambda data: services.review_record(
            user=authenticated(request),
            task=task,
            scores=form.scores(),
            decision=data["decision"],
            comment=data["comment"],
        ),
        lambda review: (
            _("Review recorded: passed and delivered to the client.")
            if review.decision == ReviewDecision.PASS
            else _("Review recorded: sent back to the maker.")
        ),
    )


@login_required
@require_POST
def rating_create(request: HttpRequest, task_id: int) -> HttpResponse:
    task, _held = access_task_for(request.user, task_id, Capacity.CLIENT)
    texts = {
        RatingDecision.ACCEPT: _("Delivery accepted and rated."),
        RatingDecision.REQUEST_CHANGES: _("Changes requested: the maker has been told."),
        RatingDecision.RATE: _("Thank you: the delivery is rated."),
    }
    return _task_form(
        request,
        task,
        "rating",
        RatingForm(request.POST),
        lambda data: services.rating_record(user=authenticated(request), task=task, **data),
        lambda rating: texts[RatingDecision(rating.decision)],
    )
