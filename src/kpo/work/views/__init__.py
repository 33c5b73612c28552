"""Engagement and task pages. Each view: parse input, check access, call one service or selector, render."""

from kpo.work.views.engagements import engagement_create, engagement_detail, engagement_edit, engagement_list
from kpo.work.views.task_actions import (
    assignment_create,
    assignment_delete,
    deliverable_upload,
    task_document_upload,
    task_message,
    time_entry_create,
)
from kpo.work.views.tasks import skill_search, task_create, task_detail, task_edit, task_list, task_transition

__all__ = [
    "assignment_create",
    "assignment_delete",
    "deliverable_upload",
    "engagement_create",
    "engagement_detail",
    "engagement_edit",
    "engagement_list",
    "skill_search",
    "task_create",
    "task_detail",
    "task_document_upload",
    "task_edit",
    "task_list",
    "task_message",
    "task_transition",
    "time_entry_create",
]
