"""Reads on engagements and tasks, always inside what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Concat

from kpo.core.queries import contains_text, filter_given
from kpo.core.types import AnyUser
from kpo.engine.lifecycle import TaskState, Transition, available_transitions
from kpo.engine.taxonomy import Role
from kpo.experts.models import ExpertProfile, ExpertStatus
from kpo.orgs.selectors import org_ids_with_roles
from kpo.work.access import engagements_visible_to, task_capacities, tasks_visible_to
from kpo.work.models import (
    OPEN_STATUS_VALUES,
    Assignment,
    AssignmentRole,
    Deliverable,
    DeliverableVersion,
    Engagement,
    Message,
    Task,
    TaskDocument,
    TaskSkill,
    TaskStatus,
    TaskTransition,
    ThreadReadMarker,
    TimeEntry,
)

# --- engagements ---------------------------------------------------------------------------------------

ENGAGEMENT_SORTS = {
    "title": "title",
    "-title": "-title",
    "start": "start_date",
    "-start": "-start_date",
    "budget": "budget",
    "-budget": "-budget",
    "created": "created_at",
    "-created": "-created_at",
}


@dataclass(frozen=True)
class EngagementFilter:
    q: str = ""
    status: str = ""
    domain: str = ""
    client: int | None = None
    provider: int | None = None
    sort: str = "-created"


def engagement_list(user: AnyUser, filters: EngagementFilter) -> QuerySet[Engagement]:
    queryset = filter_given(
        engagements_visible_to(user),
        status=filters.status,
        domain=filters.domain,
        client_id=filters.client,
        provider_id=filters.provider,
    )
    if filters.q:
        queryset = queryset.filter(contains_text(filters.q, "title", "objective"))
    order = ENGAGEMENT_SORTS.get(filters.sort, "-created_at")
    return (
        queryset.select_related("client", "provider")
        .annotate(task_count=Count("tasks", distinct=True))
        .order_by(order, "-id")
    )


def _engagements_with_counts(queryset: QuerySet[Engagement]) -> QuerySet[Engagement]:
    return queryset.select_related("client", "provider").annotate(
        task_count=Count("tasks", distinct=True),
        open_task_count=Count("tasks", filter=Q(tasks__status__in=OPEN_STATUS_VALUES), distinct=True),
        accepted_task_count=Count("tasks", filter=Q(tasks__status=TaskStatus.ACCEPTED), distinct=True),
    )


def engagements_requested_by(user: AnyUser, *, limit: int) -> list[Engagement]:
    """The engagements the user created or asked for tasks in, newest first, with task counts."""
    asked = Task.objects.filter(created_by_id=user.pk or 0).values("engagement_id")
    queryset = engagements_visible_to(user).filter(Q(created_by_id=user.pk or 0) | Q(id__in=asked))
    return list(_engagements_with_counts(queryset).order_by("-created_at", "-id")[:limit])


def client_engagement_overview(
    user: AnyUser, client_ids: set[int], *, limit: int
) -> tuple[list[Engagement], int]:
    """The clients' engagements (newest first, with budgets and task counts) and how many there are."""
    queryset = engagements_visible_to(user).filter(client_id__in=client_ids)
    rows = list(_engagements_with_counts(queryset).order_by("-created_at", "-id")[:limit])
    return rows, queryset.count()


def engagements_of_organisations(user: AnyUser, org_ids: set[int], *, limit: int) -> list[Engagement]:
    """Visible engagements in which these organisations are the client or the provider, newest first."""
    queryset = engagements_visible_to(user).filter(Q(client_id__in=org_ids) | Q(provider_id__in=org_ids))
    return list(_engagements_with_counts(queryset).order_by("-created_at", "-id")[:limit])


# --- lists of tasks ------------------------------------------------------------------------------------

TASK_SORTS = {
    "due": "due_at",
    "-due": "-due_at",
    "priority": "priority",
    "title": "title",
    "-created": "-created_at",
}


@dataclass(frozen=True)
class TaskFilter:
    q: str = ""
    status: str = ""
    priority: str = ""
    engagement: int | None = None
    assigned_to_me: bool = False
    requested_by_me: bool = False
    sort: str = "due"


OPEN = "open"  # the status filter's "any open status" (not accepted, not cancelled)


def _requested_by(user: AnyUser) -> Q:
    """Tasks the user asked for: created, or on engagements they created."""
    return Q(created_by_id=user.pk or 0) | Q(engagement__created_by_id=user.pk or 0)


def task_list(user: AnyUser, filters: TaskFilter) -> QuerySet[Task]:
    queryset = filter_given(
        tasks_visible_to(user),
        status="" if filters.status == OPEN else filters.status,
        priority=filters.priority,
        engagement_id=filters.engagement,
    )
    if filters.status == OPEN:
        queryset = queryset.filter(status__in=OPEN_STATUS_VALUES)
    if filters.requested_by_me:
        queryset = queryset.filter(_requested_by(user))
    if filters.q:
        queryset = queryset.filter(contains_text(filters.q, "title", "description"))
    if filters.assigned_to_me:
        queryset = queryset.filter(assignments__expert__user_id=user.pk or 0)
    order = TASK_SORTS.get(filters.sort, "due_at")
    return queryset.distinct().select_related("engagement", "engagement__client").order_by(order, "id")


def with_new_messages(queryset: QuerySet[Task], user: AnyUser) -> QuerySet[Task]:
    """The tasks, each with `new_messages`: the messages others wrote after the newest one the user was
    shown on the task page (all of them before their first visit), counted in the same query."""
    read_up_to = ThreadReadMarker.objects.filter(
        task_id=OuterRef(OuterRef("pk")), user_id=user.pk or 0
    ).values("last_read_id")[:1]
    unread = (
        Message.objects.filter(task_id=OuterRef("pk"), id__gt=Coalesce(Subquery(read_up_to), Value(0)))
        .exclude(author_id=user.pk or 0)
        .order_by()
        .values("task_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return queryset.annotate(new_messages=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)))


def thread_read_up_to(user: AnyUser, task: Task) -> int:
    """The id of the newest message of `task` the user was shown (0: none yet)."""
    marker = ThreadReadMarker.objects.filter(task=task, user_id=user.pk or 0).values_list(
        "last_read_id", flat=True
    )
    return marker.first() or 0


def tasks_by_status(user: AnyUser) -> dict[str, int]:
    """Counts of visible tasks per status, for dashboards."""
    rows = tasks_visible_to(user).values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in rows}


def tasks_waiting_for(user: AnyUser) -> QuerySet[Task]:
    """Visible tasks on which the user is the next to act.

    The client side: delivered tasks to accept or send back. Provider managers: submitted tasks and
    tasks being staffed. Experts: the tasks they make (in progress, changes requested) and the tasks
    they review (in review).
    """
    if not user.is_authenticated:
        return Task.objects.none()
    client_orgs = org_ids_with_roles(user, {Role.CLIENT_ADMIN.value, Role.REQUESTER.value})
    manager_orgs = org_ids_with_roles(user, {Role.PROVIDER_MANAGER.value})
    mine = Assignment.objects.filter(expert__user_id=user.pk)
    condition = Q(
        id__in=mine.filter(role=AssignmentRole.MAKER).values("task_id"),
        status__in=[TaskStatus.IN_PROGRESS, TaskStatus.CHANGES_REQUESTED],
    ) | Q(id__in=mine.filter(role=AssignmentRole.REVIEWER).values("task_id"), status=TaskStatus.IN_REVIEW)
    if client_orgs:
        condition |= Q(engagement__client_id__in=client_orgs, status=TaskStatus.DELIVERED)
    if manager_orgs:
        condition |= Q(
            engagement__provider_id__in=manager_orgs,
            status__in=[TaskStatus.SUBMITTED, TaskStatus.STAFFING],
        )
    return (
        tasks_visible_to(user)
        .filter(condition)
        .select_related("engagement", "engagement__client")
        .order_by("due_at", "id")
    )


LIFECYCLE_ORDER = [status.value for status in TaskStatus]


def _status_rank() -> Case:
    return Case(
        *[When(status=value, then=Value(rank)) for rank, value in enumerate(LIFECYCLE_ORDER)],
        default=Value(len(LIFECYCLE_ORDER)),
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class StatusGroup:
    status: str
    label: str
    count: int
    tasks: list[Task]


def requested_tasks_by_status(user: AnyUser, *, per_status: int) -> list[StatusGroup]:
    """The tasks the user asked for (created, or on engagements they created), grouped by status in
    lifecycle order: every status's count, and its first `per_status` tasks by due date (two queries)."""
    mine = tasks_visible_to(user).filter(_requested_by(user))
    counts = {row["status"]: row["n"] for row in mine.values("status").annotate(n=Count("id")).order_by()}
    ranked = (
        mine.filter(status__in=OPEN_STATUS_VALUES)
        .select_related("engagement")
        .annotate(status_rank=_status_rank())
        .order_by("status_rank", "due_at", "id")[: per_status * len(OPEN_STATUS_VALUES)]
    )
    shown: dict[str, list[Task]] = {}
    for task in ranked:
        bucket = shown.setdefault(task.status, [])
        if len(bucket) < per_status:
            bucket.append(task)
    return [
        StatusGroup(status=value, label=str(label), count=counts[value], tasks=shown.get(value, []))
        for value, label in TaskStatus.choices
        if counts.get(value)
    ]


def tasks_to_staff(user: AnyUser, provider_ids: set[int], *, limit: int) -> list[Task]:
    """Submitted tasks and tasks being staffed at these providers, soonest due first, with maker counts."""
    return list(
        tasks_visible_to(user)
        .filter(
            engagement__provider_id__in=provider_ids,
            status__in=[TaskStatus.SUBMITTED, TaskStatus.STAFFING],
        )
        .select_related("engagement", "engagement__client")
        .annotate(maker_count=Count("assignments", filter=Q(assignments__role=AssignmentRole.MAKER)))
        .order_by("due_at", "id")[:limit]
    )


def tasks_in_review_at(user: AnyUser, provider_ids: set[int], *, limit: int) -> list[Task]:
    """Tasks in review at these providers, soonest due first, each with `reviewer_name` (one query)."""
    reviewer = (
        Assignment.objects.filter(task_id=OuterRef("pk"), role=AssignmentRole.REVIEWER)
        .order_by("id")
        .annotate(name=Concat("expert__user__first_name", Value(" "), "expert__user__last_name"))
        .values("name")[:1]
    )
    return list(
        tasks_visible_to(user)
        .filter(engagement__provider_id__in=provider_ids, status=TaskStatus.IN_REVIEW)
        .select_related("engagement", "engagement__client")
        .annotate(reviewer_name=Subquery(reviewer))
        .order_by("due_at", "id")[:limit]
    )


# --- one task and its parts (call after access_task) ---------------------------------------------------


def _task_page_prefetches() -> list[str | Prefetch[Any]]:
    return [
        Prefetch("required_skills", queryset=TaskSkill.objects.select_related("skill")),
        "languages",
        Prefetch("assignments", queryset=Assignment.objects.select_related("expert", "expert__user")),
        "deliverables__versions",
        "documents",
        Prefetch("transitions", queryset=TaskTransition.objects.select_related("actor")),
        Prefetch("messages", queryset=Message.objects.select_related("author")),
        Prefetch("time_entries", queryset=TimeEntry.objects.select_related("expert", "expert__user")),
    ]


def task_detail_queryset(queryset: QuerySet[Task]) -> QuerySet[Task]:
    """What a task page shows, prefetched."""
    return queryset.select_related(
        "engagement", "engagement__client", "engagement__provider"
    ).prefetch_related(*_task_page_prefetches())


def task_for_page(task: Task) -> Task:
    """The task with everything its page shows prefetched onto it (call after access_task, which
    already joined its engagement and both organisations)."""
    prefetch_related_objects([task], *_task_page_prefetches())
    return task


def task_with_requirements(task: Task) -> Task:
    """The task again with its required skills (and their ESCO labels) and languages prefetched."""
    return (
        Task.objects.filter(pk=task.pk)
        .select_related("engagement", "engagement__client", "engagement__provider")
        .prefetch_related(
            Prefetch("required_skills", queryset=TaskSkill.objects.select_related("skill").order_by("id")),
            "languages",
        )
        .get()
    )


def requester_and_managers(task: Task) -> list[User]:
    """The task's requester and, unless it is a draft the provider does not see yet, the active managers
    of its provider (one query)."""
    people = Q(pk=task.created_by_id)
    if task.status != TaskStatus.DRAFT:
        people |= Q(
            memberships__organisation_id=task.engagement.provider_id,
            memberships__role=Role.PROVIDER_MANAGER.value,
        )
    return list(User.objects.filter(people, is_active=True).distinct().order_by("id"))


def task_available_transitions(user: AnyUser, task: Task) -> list[Transition]:
    """The lifecycle steps `user` may attempt on `task` now (preconditions are checked on the attempt)."""
    resume_to = TaskState(task.resume_status) if task.resume_status else None
    return available_transitions(TaskState(task.status), task_capacities(user, task), resume_to)


def task_assignments(task: Task) -> QuerySet[Assignment]:
    return task.assignments.select_related("expert", "expert__user").order_by("role", "id")


def task_documents(task: Task) -> QuerySet[TaskDocument]:
    return task.documents.select_related("uploaded_by").order_by("created_at", "id")


def task_deliverables(task: Task) -> QuerySet[Deliverable]:
    versions = DeliverableVersion.objects.select_related("uploaded_by").order_by("number")
    return (
        task.deliverables.select_related("created_by")
        .prefetch_related(Prefetch("versions", queryset=versions))
        .order_by("created_at", "id")
    )


def latest_versions(task: Task) -> QuerySet[DeliverableVersion]:
    return DeliverableVersion.objects.filter(deliverable__task=task).order_by("deliverable_id", "-number")


def task_transition_history(task: Task) -> QuerySet[TaskTransition]:
    return task.transitions.select_related("actor").order_by("at", "id")


def task_time_entries(task: Task) -> QuerySet[TimeEntry]:
    return task.time_entries.select_related("expert", "expert__user").order_by("-date", "-id")


def task_messages(task: Task) -> QuerySet[Message]:
    return task.messages.select_related("author").order_by("created_at", "id")


# --- people's work: team load and the user's own assignments -------------------------------------------

# the states in which planned hours are being worked off (a task on hold or closed weighs nothing)
LOADED_STATUS_VALUES = [s for s in OPEN_STATUS_VALUES if s != TaskStatus.DRAFT.value]


@dataclass(frozen=True)
class LoadRow:
    expert_id: int
    name: str
    capacity: Decimal
    open_tasks: int
    planned_hours: Decimal

    @property
    def weeks_of_work(self) -> Decimal | None:
        """Planned hours over weekly capacity: 1.0 is a full week; None when there is no capacity."""
        return (self.planned_hours / self.capacity).quantize(Decimal("0.1")) if self.capacity else None

    @property
    def overloaded(self) -> bool:
        return self.capacity == 0 or self.planned_hours > self.capacity


@dataclass(frozen=True)
class TeamLoad:
    rows: list[LoadRow]
    experts: int  # active experts in the team
    busy: int  # of them, how many have open work


def team_load(provider_ids: set[int], *, limit: int) -> TeamLoad:
    """Per expert of these organisations with open work: planned hours of open assignments against
    weekly capacity, busiest first (two queries, whatever the team's size)."""
    loads = list(
        Assignment.objects.filter(
            expert__organisation_id__in=provider_ids, task__status__in=LOADED_STATUS_VALUES
        )
        .values(
            "expert_id",
            "expert__weekly_capacity_hours",
            "expert__user__first_name",
            "expert__user__last_name",
            "expert__user__username",
        )
        .annotate(hours=Sum("planned_hours"), tasks=Count("task_id", distinct=True))
        .order_by("-hours", "expert_id")
    )
    rows = [
        LoadRow(
            expert_id=row["expert_id"],
            name=f"{row['expert__user__first_name']} {row['expert__user__last_name']}".strip()
            or row["expert__user__username"],
            capacity=Decimal(row["expert__weekly_capacity_hours"]),
            open_tasks=row["tasks"],
            planned_hours=row["hours"],
        )
        for row in loads[:limit]
    ]
    size = ExpertProfile.objects.filter(organisation_id__in=provider_ids, status=ExpertStatus.ACTIVE).count()
    return TeamLoad(rows=rows, experts=size, busy=len(loads))


def my_open_assignments(user: AnyUser, *, limit: int) -> list[Assignment]:
    """The user's assignments on tasks that are not closed, soonest due first."""
    return list(
        Assignment.objects.filter(
            expert__user_id=user.pk or 0,
            task__status__in=[*OPEN_STATUS_VALUES, TaskStatus.ON_HOLD.value],
        )
        .select_related("task", "task__engagement", "task__engagement__client")
        .order_by("task__due_at", "task_id", "role")[:limit]
    )


# --- recent activity -----------------------------------------------------------------------------------


def recent_messages_on_my_tasks(user: AnyUser, *, limit: int) -> list[Message]:
    """The newest messages others wrote on the tasks the user is assigned to."""
    my_tasks = Assignment.objects.filter(expert__user_id=user.pk or 0).values("task_id")
    return list(
        Message.objects.filter(task_id__in=my_tasks)
        .exclude(author_id=user.pk or 0)
        .select_related("task", "task__engagement", "author")
        .order_by("-created_at", "-id")[:limit]
    )


def recent_transitions_of_organisations(
    user: AnyUser, org_ids: set[int], *, limit: int
) -> list[TaskTransition]:
    """The newest lifecycle steps on visible tasks of these organisations' engagements."""
    tasks = tasks_visible_to(user).filter(
        Q(engagement__client_id__in=org_ids) | Q(engagement__provider_id__in=org_ids)
    )
    return list(
        TaskTransition.objects.filter(task__in=tasks.values("id"))
        .select_related("task", "actor")
        .order_by("-at", "-id")[:limit]
    )
