"""Time entries awaiting the provider's decision, and those decided."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kpo.work.models import Engagement, TimeEntry, TimeEntryStatus


def time_awaiting(engagement: Engagement) -> QuerySet[TimeEntry]:
    """Submitted time on the engagement's tasks, oldest first."""
    return (
        TimeEntry.objects.filter(task__engagement=engagement, status=TimeEntryStatus.SUBMITTED)
        .select_related("task", "expert", "expert__user")
        .order_by("date", "id")
    )


def time_decided(engagement: Engagement, limit: int = 50) -> list[TimeEntry]:
    return list(
        TimeEntry.objects.filter(task__engagement=engagement)
        .exclude(status=TimeEntryStatus.SUBMITTED)
        .select_related("task", "expert", "expert__user", "decided_by")
        .order_by("-decided_at", "-id")[:limit]
    )


def time_awaiting_count(engagement: Engagement) -> int:
    return TimeEntry.objects.filter(task__engagement=engagement, status=TimeEntryStatus.SUBMITTED).count()


def time_awaiting_by_engagement(provider_ids: set[int]) -> list[dict[str, Any]]:
    """Per engagement of these providers, the submitted entries awaiting a decision, by title:
    [{"id", "title", "count"}] (counted over at most 2,000 entries)."""
    rows = (
        TimeEntry.objects.filter(
            task__engagement__provider_id__in=provider_ids, status=TimeEntryStatus.SUBMITTED
        )
        .values_list("task__engagement_id", "task__engagement__title")
        .order_by("task__engagement__title")
    )
    counts: dict[int, dict[str, Any]] = {}
    for engagement_id, title in rows[:2000]:
        item = counts.setdefault(engagement_id, {"id": engagement_id, "title": title, "count": 0})
        item["count"] += 1
    return list(counts.values())
