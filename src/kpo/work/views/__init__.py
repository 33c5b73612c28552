"""Engagement and task pages. Each view: parse input, check access, call one service or selector, render.

`render_task_page` and `back_to_task` are public: other apps' forms on the task page answer with them.
"""

from kpo.work.views._helpers import back_to_task
from kpo.work.views.engagements import engagement_create, engagement_detail, engagement_edit, engagement_list
from kpo.work.views.task_actions import (
    assignment_create,
    assignment_delete,
    deliverable_upload,
    task_document_upload,
    task_message,
    time_entry_create,
)
from kpo.work.views.tasks import (
    render_task_page,
    skill_search,
    task_create,
    task_detail,
    task_edit,
    task_list,
    task_transition,
)

__all__ = [
    "assignment_create",
    "assignment_delete",
    "back_to_task",
    "deliverable_upload",
    "engagement_create",
    "engagement_detail",
    "engagement_edit",
    "engagement_list",
    "render_task_page",
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
