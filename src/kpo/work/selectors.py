"""Reads on engagements and tasks, always inside what the user may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Prefetch, Q, QuerySet

from kpo.work.access import engagements_visible_to, tasks_visible_to
from kpo.work.models import Assignment, DeliverableVersion, Engagement, Task, TaskSkill

AnyUser = User | AnonymousUser

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
TASK_SORTS = {
    "due": "due_at",
    "-due": "-due_at",
    "priority": "priority",
    "title": "title",
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


@dataclass(frozen=True)
class TaskFilter:
    q: str = ""
    status: str = ""
    priority: str = ""
    engagement: int | None = None
    assigned_to_me: bool = False
    sort: str = "due"


def engagement_list(user: AnyUser, filters: EngagementFilter) -> QuerySet[Engagement]:
    queryset = engagements_visible_to(user)
    if filters.q:
        queryset = queryset.filter(Q(title__icontains=filters.q) | Q(objective__icontains=filters.q))
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.domain:
        queryset = queryset.filter(domain=filters.domain)
    if filters.client is not None:
        queryset = queryset.filter(client_id=filters.client)
    if filters.provider is not None:
        queryset = queryset.filter(provider_id=filters.provider)
    order = ENGAGEMENT_SORTS.get(filters.sort, "-created_at")
    return (
        queryset.select_related("client", "provider")
        .annotate(task_count=Count("tasks", distinct=True))
        .order_by(order, "-id")
    )


def task_list(user: AnyUser, filters: TaskFilter) -> QuerySet[Task]:
    queryset = tasks_visible_to(user)
    if filters.q:
        queryset = queryset.filter(Q(title__icontains=filters.q) | Q(description__icontains=filters.q))
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.priority:
        queryset = queryset.filter(priority=filters.priority)
    if filters.engagement is not None:
        queryset = queryset.filter(engagement_id=filters.engagement)
    if filters.assigned_to_me:
        queryset = queryset.filter(assignments__expert__user_id=user.pk or 0)
    order = TASK_SORTS.get(filters.sort, "due_at")
    return queryset.distinct().select_related("engagement", "engagement__client").order_by(order, "id")


def task_detail_queryset(queryset: QuerySet[Task]) -> QuerySet[Task]:
    """What a task page shows, prefetched."""
    return queryset.select_related(
        "engagement", "engagement__client", "engagement__provider"
    ).prefetch_related(
        Prefetch("required_skills", queryset=TaskSkill.objects.select_related("skill")),
        "languages",
        Prefetch("assignments", queryset=Assignment.objects.select_related("expert", "expert__user")),
        "deliverables__versions",
        "documents",
        "transitions__actor",
        "messages__author",
        "time_entries__expert__user",
    )


def tasks_by_status(user: AnyUser) -> dict[str, int]:
    """Counts of visible tasks per status, for dashboards."""
    rows = tasks_visible_to(user).values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in rows}


def latest_versions(task: Task) -> QuerySet[DeliverableVersion]:
    return DeliverableVersion.objects.filter(deliverable__task=task).order_by("deliverable_id", "-number")


def tasks_waiting_for(user: AnyUser) -> QuerySet[Task]:
    """Visible tasks on which the user is the next to act.

    The client side: delivered tasks to accept or send back. Provider managers: submitted tasks and
    tasks being staffed. Experts: the tasks they make (in progress, changes requested) and the tasks
    they review (in review).
    """
    from kpo.engine.taxonomy import Role
    from kpo.orgs.selectors import org_ids_with_roles
    from kpo.work.models import AssignmentRole, TaskStatus

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


def task_for_page(task: Task) -> Task:
    """The task again, with everything its page shows prefetched (call after access_task)."""
    return task_detail_queryset(Task.objects.filter(pk=task.pk)).get()


# --- reads for the REST API (kpo.api); call after access_task -------------------------------------
# (imports are local so these additions stay a self-contained block at the end of the module)
from kpo.engine.lifecycle import Transition  # noqa: E402
from kpo.work.models import Deliverable, Message, TaskDocument, TaskTransition, TimeEntry  # noqa: E402


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


def task_available_transitions(user: AnyUser, task: Task) -> list[Transition]:
    """The lifecycle steps `user` may attempt on `task` now (preconditions are checked on the attempt)."""
    from kpo.engine.lifecycle import TaskState, available_transitions
    from kpo.work.access import task_capacities

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


def task_transition_history(task: Task) -> QuerySet[TaskTransition]:
    return task.transitions.select_related("actor").order_by("at", "id")


def task_time_entries(task: Task) -> QuerySet[TimeEntry]:
    return task.time_entries.select_related("expert", "expert__user").order_by("-date", "-id")


def task_messages(task: Task) -> QuerySet[Message]:
    return task.messages.select_related("author").order_by("created_at", "id")
