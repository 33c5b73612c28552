"""The dashboard: one page per person, a section for each role they hold."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kpo.core.access import authenticated
from kpo.engine.taxonomy import Role
from kpo.orgs import selectors as orgs
from kpo.work import selectors as work
from kpo.work.access import CLIENT_WRITERS
from kpo.work.extensions import task_texts_for
from kpo.work.models import Message, TaskStatus

RECENT_ENGAGEMENTS = 5
WAITING_SHOWN = 10
SECTION_ROWS = 10
TASKS_PER_STATUS = 5
MESSAGES_SHOWN = 5
TRANSITIONS_SHOWN = 10


def _requester_section(user: User, roles: set[str]) -> dict[str, Any] | None:
    if Role.REQUESTER.value not in roles:
        return None
    return {
        "engagements": work.engagements_requested_by(user, limit=SECTION_ROWS),
        "task_groups": work.requested_tasks_by_status(user, per_status=TASKS_PER_STATUS),
    }


def _client_admin_section(user: User) -> dict[str, Any] | None:
    org_ids = orgs.org_ids_with_roles(user, {Role.CLIENT_ADMIN.value})
    if not org_ids:
        return None
    engagements, total = work.client_engagement_overview(user, org_ids, limit=SECTION_ROWS)
    return {"engagements": engagements, "engagement_total": total, "people": _people(user, org_ids)}


def _people(user: User, org_ids: set[int]) -> list[dict[str, Any]]:
    """Per administered organisation: people per role and open invitations (two queries in all)."""
    counts = orgs.role_counts(org_ids)
    invitations = orgs.open_invitation_counts(org_ids)
    return [
        {
            "organisation": organisation,
            "roles": [
                {"label": label, "count": counts.get(organisation.pk, {}).get(value, 0)}
                for value, label in orgs.roles_for_kind(organisation)
            ],
            "invitations": invitations.get(organisation.pk, 0),
        }
        for organisation in orgs.organisations_of(user)
        if organisation.pk in org_ids
    ]


def _manager_section(user: User) -> dict[str, Any] | None:
    org_ids = orgs.org_ids_with_roles(user, {Role.PROVIDER_MANAGER.value})
    if not org_ids:
        return None
    return {
        "to_staff": work.tasks_to_staff(user, org_ids, limit=SECTION_ROWS),
        "in_review": work.tasks_in_review_at(user, org_ids, limit=SECTION_ROWS),
        "load": work.team_load(org_ids, limit=SECTION_ROWS),
        "people": _people(user, org_ids),
    }


def _expert_section(user: User, roles: set[str]) -> dict[str, Any] | None:
    if not roles & {Role.EXPERT.value, Role.REVIEWER.value}:
        return None
    return {
        "assignments": work.my_open_assignments(user, limit=SECTION_ROWS),
        "messages": _as_read(user, work.recent_messages_on_my_tasks(user, limit=MESSAGES_SHOWN)),
    }


def _as_read(user: User, messages: list[Message]) -> list[Message]:
    """The messages with their bodies as this reader may read them (redacted for the provider side), read
    once per task: the task page's placeholders."""
    by_task: dict[int, list[Message]] = {}
    for message in messages:
        by_task.setdefault(message.task_id, []).append(message)
    for group in by_task.values():
        bodies = task_texts_for(user, group[0].task, [message.body for message in group])
        for message, body in zip(group, bodies, strict=True):
            message.body = body  # as read, never saved
    return messages


def _auditor_section(user: User) -> dict[str, Any] | None:
    org_ids = orgs.org_ids_with_roles(user, {Role.AUDITOR.value})
    if not org_ids:
        return None
    return {
        "engagements": work.engagements_of_organisations(user, org_ids, limit=SECTION_ROWS),
        "transitions": work.recent_transitions_of_organisations(user, org_ids, limit=TRANSITIONS_SHOWN),
    }


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """One page per person: what waits for them, then a section for each role they hold, then an
    overview. Every section is a fixed number of queries, whatever the amount of data."""
    user = authenticated(request)
    roles = orgs.roles_of(user)
    counts = work.tasks_by_status(user)
    status_counts = [
        {"value": value, "label": label, "count": counts.get(value, 0)}
        for value, label in TaskStatus.choices
        if counts.get(value, 0)
    ]
    return render(
        request,
        "site/dashboard.html",
        {
            "status_counts": status_counts,
            "task_total": sum(counts.values()),
            "waiting": list(work.tasks_waiting_for(user)[:WAITING_SHOWN]),
            "recent_engagements": list(
                work.engagement_list(user, work.EngagementFilter())[:RECENT_ENGAGEMENTS]
            ),
            "organisations": orgs.organisations_of(user),
            "roles": roles,
            "requester": _requester_section(user, roles),
            "client_admin": _client_admin_section(user),
            "manager": _manager_section(user),
            "expert": _expert_section(user, roles),
            "auditor": _auditor_section(user),
            "can_create_engagement": bool(orgs.org_ids_with_roles(user, CLIENT_WRITERS)),
        },
    )
