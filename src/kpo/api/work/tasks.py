"""Tasks: the unit of work inside an engagement, its lifecycle and its staffing."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Schema

from kpo.api.outputs import Ref, SkillRowOut, Username
from kpo.api.routing import ApiRouter
from kpo.api.schemas import (
    OMITTED,
    CefrLevel,
    DateTime,
    DegreeCodeOrNone,
    Id,
    LanguageCode,
    RequiredText,
    Search,
    Text,
    Title,
    decimal_input,
    filters_for,
    user_of,
)
from kpo.work.access import access_engagement, access_task
from kpo.work.extensions import task_description_for
from kpo.work.models import Task, TaskSkill, TaskTransition
from kpo.work.selectors import (
    TaskFilter,
    task_available_transitions,
    task_list,
    task_transition_history,
    task_with_requirements,
)
from kpo.work.services import (
    task_create,
    task_transition,
    task_update,
)

router = ApiRouter(tags=["tasks"])

TaskStatus = Literal[
    "draft",
    "submitted",
    "staffing",
    "in_progress",
    "in_review",
    "delivered",
    "changes_requested",
    "accepted",
    "on_hold",
    "cancelled",
]
Priority = Literal["low", "normal", "high", "urgent"]
TaskSort = Literal["due", "-due", "priority", "title", "-created"]
Effort = Annotated[
    Decimal,
    *decimal_input(ge=Decimal("0.5"), le=10000, max_digits=8, places=1, digits=6, minimum=1, maximum=10000),
]
Proficiency = Annotated[int, Field(ge=1, le=5)]


class TaskListItemOut(Schema):
    id: int
    engagement: Ref
    title: str
    status: str
    priority: str
    due_at: dt.datetime
    effort_hours: Decimal
    created_at: dt.datetime


class TaskSkillOut(SkillRowOut):
    min_proficiency: int


class TaskLanguageOut(Schema):
    language: str
    min_level: str


class TransitionOptionOut(Schema):
    status: str
    action: str
    needs_comment: bool


class TaskOut(TaskListItemOut):
    description: str
    description_redacted: bool = Field(
        False, description="True when sensitive terms and personal data were replaced with placeholders."
    )
    min_degree_level: str
    resume_status: str
    skills: list[TaskSkillOut]
    languages: list[TaskLanguageOut]
    updated_at: dt.datetime
    available_transitions: list[TransitionOptionOut] = Field(
        default_factory=list, description="What the caller may do next (preconditions checked on attempt)."
    )

    @staticmethod
    def resolve_skills(obj: Task) -> list[TaskSkill]:
        return list(obj.required_skills.all())


class SkillRequirementIn(Schema):
    skill_id: Id
    min_proficiency: Proficiency


class LanguageRequirementIn(Schema):
    language: LanguageCode
    min_level: CefrLevel


class TaskIn(Schema):
    title: Title
    description: RequiredText
    effort_hours: Effort
    due_at: DateTime
    priority: Priority = "normal"
    min_degree_level: DegreeCodeOrNone = ""
    skills: list[SkillRequirementIn] = Field(default_factory=list, max_length=50)
    languages: list[LanguageRequirementIn] = Field(default_factory=list, max_length=20)


class TaskPatch(Schema):
    """Send only what changes; `skills` and `languages`, when sent, replace the lists."""

    title: Title = OMITTED
    description: RequiredText = OMITTED
    effort_hours: Effort = OMITTED
    due_at: DateTime = OMITTED
    priority: Priority = OMITTED
    min_degree_level: DegreeCodeOrNone = OMITTED
    skills: list[SkillRequirementIn] = Field(OMITTED, max_length=50)
    languages: list[LanguageRequirementIn] = Field(OMITTED, max_length=20)


class TaskFilterIn(Schema):
    q: Search = ""
    status: TaskStatus = OMITTED
    priority: Priority = OMITTED
    engagement: Id = OMITTED
    assigned_to_me: bool = False
    sort: TaskSort = "due"


class TaskTransitionIn(Schema):
    status: TaskStatus
    comment: Text = ""
    expected_status: TaskStatus = Field(
        OMITTED,
        description="The status the caller last saw; if the task has moved since, nothing changes (409).",
    )


class TransitionOut(Schema):
    id: int
    from_status: str
    to_status: str
    actor: Username
    comment: str
    at: dt.datetime


def _task_out(user: User, task: Task) -> TaskOut:
    task = task_with_requirements(task)
    out = TaskOut.model_validate(task)
    out.description, out.description_redacted = task_description_for(user, task)  # provider side: redacted
    out.available_transitions = [
        TransitionOptionOut(status=t.target.value, action=t.action, needs_comment=t.needs_comment)
        for t in task_available_transitions(user, task)
    ]
    return out


def _requirements(payload: TaskIn | TaskPatch, fields: set[str]) -> dict[str, Any]:
    """`skills` and `languages` as the services take them: lists of pairs, or absent."""
    out: dict[str, Any] = {}
    if "skills" in fields and payload.skills is not None:
        out["skills"] = [(s.skill_id, s.min_proficiency) for s in payload.skills]
    if "languages" in fields and payload.languages is not None:
        out["languages"] = [(lang.language, lang.min_level) for lang in payload.languages]
    return out


@router.lists("/tasks", TaskListItemOut, 422)
def list_tasks(request: HttpRequest, filters: Query[TaskFilterIn]) -> QuerySet[Task]:
    return task_list(user_of(request), filters_for(TaskFilter, filters))


@router.creates("/engagements/{engagement_id}/tasks", TaskOut, 400, 403, 404, 409, 422)
def create_task(request: HttpRequest, engagement_id: Id, payload: TaskIn) -> TaskOut:
    user = user_of(request)
    engagement = access_engagement(user, engagement_id, write=True)
    fields = payload.model_dump(exclude={"skills", "languages"})
    task = task_create(
        user=user, engagement=engagement, **fields, **_requirements(payload, {"skills", "languages"})
    )
    return _task_out(user, task)


@router.reads("/tasks/{task_id}", TaskOut, 404, 422)
def get_task(request: HttpRequest, task_id: Id) -> TaskOut:
    user = user_of(request)
    return _task_out(user, access_task(user, task_id))


@router.writes("PATCH", "/tasks/{task_id}", TaskOut, 400, 403, 404, 409, 422)
def update_task(request: HttpRequest, task_id: Id, payload: TaskPatch) -> TaskOut:
    """Change a task before work starts (the client's admins and requesters)."""
    user = user_of(request)
    task = access_task(user, task_id)
    sent = payload.model_fields_set
    fields = payload.model_dump(include=sent - {"skills", "languages"})
    task = task_update(user=user, task=task, **fields, **_requirements(payload, sent))
    return _task_out(user, task)


@router.writes("POST", "/tasks/{task_id}/transitions", TaskOut, 400, 403, 404, 409, 422)
def transition_task(request: HttpRequest, task_id: Id, payload: TaskTransitionIn) -> TaskOut:
    """Move the task to `status`; an illegal step is a 409 naming what was wrong."""
    user = user_of(request)
    task = access_task(user, task_id)
    task = task_transition(
        user=user,
        task=task,
        target=payload.status,
        comment=payload.comment,
        expected_status=payload.expected_status,
    )
    return _task_out(user, task)


@router.lists("/tasks/{task_id}/transitions", TransitionOut, 404, 422)
def list_task_transitions(request: HttpRequest, task_id: Id) -> QuerySet[TaskTransition]:
    return task_transition_history(access_task(user_of(request), task_id))
