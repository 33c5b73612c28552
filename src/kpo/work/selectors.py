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
