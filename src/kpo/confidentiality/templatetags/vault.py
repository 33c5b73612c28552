"""Task-page helpers: each document with the access decision and a single-use link."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpo.confidentiality.access import CLOSED_STATES, Decision, viewer_for
from kpo.confidentiality.selectors import admin_client_ids
from kpo.confidentiality.tokens import document_url, version_url
from kpo.work.models import Confidentiality, DeliverableVersion, Task, TaskDocument

register = template.Library()


@dataclass(frozen=True)
class DocumentRow:
    document: TaskDocument
    level: str
    decision: Decision
    url: str
    """A single-use download link, or "" when the document is locked for this user."""
    sign_url: str
    """The NDA to sign when that is what unlocks it."""
    level_label: str
    can_classify: bool
    level_choices: list[tuple[str, str]]


@register.simple_tag(takes_context=True)
def vault_documents(context: Any, task: Task) -> list[DocumentRow]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    viewer = viewer_for(user, task)
    can_classify = task.engagement.client_id in admin_client_ids(user) and task.status not in CLOSED_STATES
    choices = [("", str(_("As the task")))] + [
        (value, str(label)) for value, label in Confidentiality.choices
    ]
    labels = dict(Confidentiality.choices)
    here = reverse("task_detail", kwargs={"task_id": task.pk})
    rows = []
    for document in task.documents.all():
        document.task = task
        level = document.effective_confidentiality
        decision = viewer.decide(level)
        sign_url = ""
        if decision.reason in {"nda"} and viewer.nda_version is not None:
            sign_url = (
                reverse("nda_sign", kwargs={"nda_template_id": viewer.nda_version.template_id})
                + f"?next={here}%23documents"
            )
        rows.append(
            DocumentRow(
                document=document,
                level=level,
                decision=decision,
                url=document_url(user.pk, document) if decision.allowed else "",
                sign_url=sign_url,
                level_label=str(labels.get(level, level)),
                can_classify=can_classify,
                level_choices=choices,
            )
        )
    return rows


@register.simple_tag(takes_context=True)
def version_link(context: Any, task: Task, version: DeliverableVersion) -> str:
    """A single-use link to a deliverable version, or "" when it is locked for this user."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    decision = viewer_for(user, task).decide(task.effective_confidentiality)
    return version_url(user.pk, task.pk, version) if decision.allowed else ""
