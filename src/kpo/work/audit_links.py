"""The audit page links the tasks and engagements its entries are about, for viewers who may open them,
and names a task's statuses in words."""

from __future__ import annotations

from kpo.audit.details import register_value_labels
from kpo.audit.objects import linker_of, register_object_links
from kpo.work.access import engagements_visible_to, tasks_visible_to
from kpo.work.models import TaskStatus


def register() -> None:
    register_object_links("task", linker_of(tasks_visible_to, "task_detail", "task_id"))
    register_object_links(
        "engagement", linker_of(engagements_visible_to, "engagement_detail", "engagement_id")
    )
    for field in ("from", "to"):
        register_value_labels(field, dict(TaskStatus.choices))
