"""Task pages: create, edit, list, the task page with its allowed actions, and lifecycle steps."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpo.core.access import authenticated
from kpo.core.clock import request_now, user_date
from kpo.core.errors import DomainError, error_text
from kpo.engine.lifecycle import OPEN_STATES, Capacity, Precondition, TaskState
from kpo.engine.mentions import Segment, segments
from kpo.experts.selectors import skill_search as skill_search_selector
from kpo.work import selectors, services
from kpo.work.access import (
    access_engagement,
    access_task,
    access_task_for,
    opens_engagement,
    task_capacities,
)
from kpo.work.activity_rules import thread_open, time_open
from kpo.work.extensions import task_description_for, task_texts_for
from kpo.work.forms import (
    DeliverableForm,
    DocumentForm,
    LanguageRequirementFormSet,
    MessageForm,
    SkillRequirementFormSet,
    TaskForm,
    TimeEntryForm,
    TransitionForm,
    requirement_formsets,
)
from kpo.work.models import Message, Priority, Task, TaskStatus
from kpo.work.transition_texts import ACTION_LABELS, CAPACITY_LABELS
from kpo.work.views._helpers import (
    ANY_CAPACITY,
    PAGE_SIZE,
    _choice,
    _posted,
    _whole_number,
    back_to_task,
    form_page,
)

PRIMARY_ACTIONS = {
    "submit",
    "start_staffing",
    "start_work",
    "send_to_review",
    "pass_review",
    "accept",
    "resume_work",
    "resume",
}
DANGER_ACTIONS = {"cancel"}
STATUS_HINTS = {
    "draft": gettext_lazy("Draft: the client prepares the task, attaches material and submits it."),
    "submitted": gettext_lazy("Submitted: waiting for the provider to start staffing."),
    "staffing": gettext_lazy("Staffing: the provider assigns a maker and a reviewer, then starts work."),
    "in_progress": gettext_lazy(
        "In progress: the maker works and uploads a deliverable, then sends it to review."
    ),
    "in_review": gettext_lazy("In review: the reviewer checks the deliverable before the client sees it."),
    "delivered": gettext_lazy("Delivered: the client accepts the work or asks for changes."),
    "changes_requested": gettext_lazy(
        "Changes requested: the maker resumes work, uploads a new version and sends it to review again."
    ),
    "accepted": gettext_lazy("Accepted: the work is done."),
    "on_hold": gettext_lazy("On hold: paused by the client or the provider."),
    "cancelled": gettext_lazy("Cancelled: no more work happens on this task."),
}
TASK_SORT_LABELS = [
    ("due", gettext_lazy("Due soonest")),
    ("-due", gettext_lazy("Due latest")),
    ("title", gettext_lazy("Title, A to Z")),
    ("-created", gettext_lazy("Newest first")),
]


def _requirements(skills: SkillRequirementFormSet, languages: LanguageRequirementFormSet) -> dict[str, Any]:
    """The services' `skills` and `languages` arguments from the posted formsets (absent: unchanged)."""
    out: dict[str, Any] = {}
    if skills.is_bound:
        out["skills"] = skills.requirements()
    if languages.is_bound:
        out["languages"] = languages.requirements()
    return out


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = access_engagement(request.user, engagement_id, write=True)
    user = authenticated(request)
    form = TaskForm(_posted(request))
    skills, languages = requirement_formsets(_posted(request))
    return form_page(
        request,
        "work/task_form.html",
        form,
        lambda data: services.task_create(
            user=user, engagement=engagement, **data, **_requirements(skills, languages)
        ),
        success=lambda task: (
            _("Task “%(title)s” saved as a draft. Add material, then submit it.") % {"title": task.title}
        ),
        then=lambda task: redirect("task_detail", task_id=task.pk),
        context={"engagement": engagement, "skill_rows": skills, "language_rows": languages},
        formsets=(skills, languages),
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, task_id: int) -> HttpResponse:
    task, _held = access_task_for(request.user, task_id, Capacity.CLIENT)
    user = authenticated(request)
    task = selectors.task_with_requirements(task)
    initial = {name: getattr(task, name) for name in services.TASK_FIELDS}
    form = TaskForm(_posted(request), initial=initial)
    skills, languages = requirement_formsets(
        _posted(request),
        skills=[
            {"skill": r.skill_id, "min_proficiency": r.min_proficiency} for r in task.required_skills.all()
        ],
        languages=[{"language": r.language, "min_level": r.min_level} for r in task.languages.all()],
    )
    return form_page(
        request,
        "work/task_form.html",
        form,
        lambda data: services.task_update(user=user, task=task, **data, **_requirements(skills, languages)),
        success=_("Task saved."),
        then=redirect("task_detail", task_id=task.pk),
        context={
            "engagement": task.engagement,
            "task": task,
            "skill_rows": skills,
            "language_rows": languages,
        },
        formsets=(skills, languages),
    )


SKILL_SUGGESTIONS = 30


@login_required
@require_GET
def skill_search(request: HttpRequest) -> HttpResponse:
    """htmx: `<option>`s of the ESCO skills matching what the user typed (the task form's skill rows)."""
    q = request.GET.get("q", "").strip()[:100]
    skills = list(skill_search_selector(q)[:SKILL_SUGGESTIONS]) if len(q) >= 2 else []
    return render(request, "work/_skill_options.html", {"skills": skills, "q": q})


@login_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.TaskFilter(
        q=request.GET.get("q", "").strip()[:200],
        status=_choice(request.GET.get("status"), [selectors.OPEN, *TaskStatus.values]),
        priority=_choice(request.GET.get("priority"), Priority.values),
        engagement=_whole_number(request.GET.get("engagement")),
        assigned_to_me=request.GET.get("mine") == "1",
        requested_by_me=request.GET.get("asked") == "1",
        sort=_choice(request.GET.get("sort"), list(selectors.TASK_SORTS)) or "due",
    )
    tasks = selectors.with_new_messages(selectors.task_list(request.user, filters), request.user)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "work/task_list.html",
        {
            "page": page,
            "filters": filters,
            "status_choices": [(selectors.OPEN, gettext_lazy("Any open status")), *TaskStatus.choices],
            "priority_choices": Priority.choices,
            "sort_choices": TASK_SORT_LABELS,
        },
    )


@dataclass(frozen=True)
class Action:
    target: str
    action: str
    label: str
    needs_comment: bool
    style: str
    href: str = ""  # the form that takes this step instead of a bare button


def _actions(request: HttpRequest, task: Task) -> list[Action]:
    actions = []
    for transition in selectors.task_available_transitions(request.user, task):
        if Precondition.HAS_PASSING_REVIEW in transition.preconditions:
            continue  # delivered by passing the review form, not by a bare button
        style = (
            "danger"
            if transition.action in DANGER_ACTIONS
            else "primary"
            if transition.action in PRIMARY_ACTIONS
            else "secondary"
        )
        accepts = Precondition.HAS_ACCEPTING_RATING in transition.preconditions
        actions.append(
            Action(
                target=transition.target.value,
                action=transition.action,
                label=str(ACTION_LABELS.get(transition.action, transition.action.replace("_", " "))),
                needs_comment=transition.needs_comment,
                style=style,
                href="#accept-and-rate" if accepts else "",  # accepted with its rating (kpo.quality)
            )
        )
    return actions


@dataclass(frozen=True)
class ThreadRow:
    """One message as the task page shows it: its parts (mentions marked) and whether it is new to the
    reader."""

    message: Message
    parts: list[Segment]
    new: bool


def _thread(request: HttpRequest, task: Task) -> tuple[list[ThreadRow], int]:
    """The task's messages (prefetched) for this reader, and how many are new to them; the thread then
    counts as read up to its newest message (one query to read how far they had read, one to move it)."""
    user = authenticated(request)
    messages_ = list(task.messages.all())
    read_up_to = selectors.thread_read_up_to(user, task)
    bodies = task_texts_for(user, task, [message.body for message in messages_])  # e.g. redacted
    rows = [
        ThreadRow(
            message=message,
            parts=segments(body, message.mentioned_handles),
            new=message.pk > read_up_to and message.author_id != user.pk,
        )
        for message, body in zip(messages_, bodies, strict=True)
    ]
    if messages_ and messages_[-1].pk > read_up_to:
        services.thread_mark_read(user=user, task=task, message_id=max(m.pk for m in messages_))
    return rows, sum(row.new for row in rows)


def _mentionable(request: HttpRequest, task: Task) -> list[tuple[str, str]]:
    """(handle, name) of the people on the task the reader may @mention: its requester, its assigned
    experts and, once the provider sees the task, the provider's managers (one query)."""
    people = {a.expert.user.pk: a.expert.user for a in task.assignments.all()}
    people.update({person.pk: person for person in selectors.requester_and_managers(task)})
    return sorted(
        (
            (person.get_username(), person.get_full_name() or person.get_username())
            for person in people.values()
            if person.pk != request.user.pk and person.is_active
        ),
        key=lambda pair: pair[1].lower(),
    )


def render_task_page(
    request: HttpRequest,
    task: Task,
    *,
    bound: dict[str, forms.BaseForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The task page: what it holds, and the forms for what this user may do now.

    `bound` replaces some of the page's blank forms by submitted ones, to show them with their errors.
    """
    task = selectors.task_for_page(task)
    capacities = task_capacities(request.user, task)
    open_task = TaskState(task.status) in OPEN_STATES
    client = Capacity.CLIENT in capacities
    manager = Capacity.PROVIDER_MANAGER in capacities
    maker = Capacity.MAKER in capacities
    reviewer = Capacity.REVIEWER in capacities
    deliverables = list(task.deliverables.all())
    allowed = {
        "edit": client and task.status in services.EDITABLE_TASK_STATES,
        "document": client and open_task,
        "deliver": (maker or manager) and task.status in services.WORKING_STATES,
        "time": (maker or reviewer) and time_open(task),
        "message": bool(capacities) and thread_open(task),
        "staff": manager and task.status in services.STAFFABLE_STATES,
        "unstaff": manager and open_task,
    }
    for refused in {"time", "message"} & set(bound or {}):
        allowed[refused] = True  # shown again with the reason it was refused
    made: dict[str, forms.BaseForm] = {
        "document": DocumentForm(),
        "deliver": DeliverableForm(deliverables=deliverables),
        "time": TimeEntryForm(initial={"date": user_date(request_now(request))}),
        "message": MessageForm(initial={"language": services.message_language(get_language())}),
    }
    made.update(bound or {})
    entries = list(task.time_entries.all())
    description, description_redacted = task_description_for(request.user, task)  # e.g. redacted
    thread, new_messages = _thread(request, task)
    return render(
        request,
        "work/task_detail.html",
        {
            "task": task,
            "description": description,
            "description_redacted": description_redacted,
            "engagement": task.engagement,
            "engagement_plain": not opens_engagement(
                request.user, task.engagement, assigned=maker or reviewer
            ),
            "capacities": {c.value for c in capacities},
            "actions": _actions(request, task),
            "status_hint": STATUS_HINTS.get(task.status, ""),
            "my_roles": [str(CAPACITY_LABELS[c]) for c in Capacity if c in capacities],
            "allowed": allowed,
            "thread_closed": bool(capacities) and not thread_open(task),
            "forms": made,
            "deliverables": deliverables,
            "time_entries": entries,
            "hours_logged": sum((e.hours for e in entries), Decimal(0)),
            "thread": thread,
            "new_messages": new_messages,
            "mentionable": _mentionable(request, task) if allowed["message"] else [],
        },
        status=status,
    )


@login_required
@require_GET
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = access_task(request.user, task_id)
    return render_task_page(request, task)


@login_required
@require_POST
def task_transition(request: HttpRequest, task_id: int) -> HttpResponse:
    task, _held = access_task_for(request.user, task_id, *ANY_CAPACITY)
    user = authenticated(request)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an action."))
        return back_to_task(task)
    try:
        task = services.task_transition(
            user=user,
            task=task,
            target=form.cleaned_data["status"],
            comment=form.cleaned_data["comment"],
            expected_status=form.cleaned_data["expected_status"] or None,
        )
    except services.TaskMovedError as error:
        messages.warning(request, error.message)  # not a failure: the page shows the task as it is now
    except (ValidationError, DomainError) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The task is now “%(status)s”.") % {"status": task.get_status_display()})
    return back_to_task(task)
