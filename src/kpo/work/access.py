"""Who sees and changes which engagements and tasks (docs/decisions.md, Tenancy: one door).

A client's draft tasks are its own until submitted: the provider sees tasks from submission on.
Operators (staff) have no shortcut: they read a client's work only under an approved break-glass grant,
which counts as an auditor membership (kpo.orgs.break_glass).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kpo.core.access import get_visible_or_404, require
from kpo.core.types import AnyUser
from kpo.engine.lifecycle import Capacity
from kpo.engine.taxonomy import Role
from kpo.orgs.selectors import org_ids_with_roles
from kpo.work.models import Assignment, AssignmentRole, Engagement, Task, TaskStatus

CLIENT_READERS = {Role.CLIENT_ADMIN.value, Role.REQUESTER.value, Role.AUDITOR.value}
CLIENT_WRITERS = {Role.CLIENT_ADMIN.value, Role.REQUESTER.value}
PROVIDER_READERS = {Role.PROVIDER_MANAGER.value, Role.AUDITOR.value}
PROVIDER_WRITERS = {Role.PROVIDER_MANAGER.value}


def engagements_visible_to(user: AnyUser) -> QuerySet[Engagement]:
    if not user.is_authenticated:
        return Engagement.objects.none()
    client_orgs = org_ids_with_roles(user, CLIENT_READERS)
    provider_orgs = org_ids_with_roles(user, PROVIDER_READERS)
    assigned = Task.objects.filter(assignments__expert__user=user).values("engagement_id")
    return Engagement.objects.filter(
        Q(client_id__in=client_orgs) | Q(provider_id__in=provider_orgs) | Q(id__in=assigned)
    )


def tasks_visible_to(user: AnyUser) -> QuerySet[Task]:
    if not user.is_authenticated:
        return Task.objects.none()
    client_orgs = org_ids_with_roles(user, CLIENT_READERS)
    provider_orgs = org_ids_with_roles(user, PROVIDER_READERS)
    assigned = Task.objects.filter(assignments__expert__user=user).values("id")
    submitted_to_provider = Q(engagement__provider_id__in=provider_orgs) & ~Q(status=TaskStatus.DRAFT)
    return Task.objects.filter(
        Q(engagement__client_id__in=client_orgs) | submitted_to_provider | Q(id__in=assigned)
    )


def can_create_engagement_for(user: AnyUser, client_id: int) -> bool:
    return client_id in org_ids_with_roles(user, CLIENT_WRITERS)


def can_edit_engagement(user: AnyUser, engagement: Engagement) -> bool:
    return engagement.client_id in org_ids_with_roles(user, CLIENT_WRITERS)


def is_provider_manager(user: AnyUser, engagement: Engagement) -> bool:
    return engagement.provider_id in org_ids_with_roles(user, PROVIDER_WRITERS)


def access_engagement(user: AnyUser, engagement_id: object, *, write: bool = False) -> Engagement:
    engagement = get_visible_or_404(
        engagements_visible_to(user).select_related("client", "provider"), engagement_id
    )
    if write:
        require(
            can_edit_engagement(user, engagement),
            _("Only the client's admins and requesters change an engagement."),
        )
    return engagement


def task_capacities(user: AnyUser, task: Task) -> frozenset[Capacity]:
    """The capacities in which `user` acts on `task` (see kpo.engine.lifecycle)."""
    capacities: set[Capacity] = set()
    engagement = task.engagement
    if can_edit_engagement(user, engagement):
        capacities.add(Capacity.CLIENT)
    if is_provider_manager(user, engagement):
        capacities.add(Capacity.PROVIDER_MANAGER)
    for role in _assignment_roles(user, task):
        capacities.add(Capacity.MAKER if role == AssignmentRole.MAKER else Capacity.REVIEWER)
    return frozenset(capacities)


def people_acting_on(people: Iterable[User], task: Task) -> list[User]:
    """Those of `people` who act on `task` in some capacity (as `task_capacities` would say), the task's
    assignments read once for all of them."""
    assigned = set(task.assignments.values_list("expert__user_id", flat=True))
    engagement = task.engagement
    return [
        person
        for person in people
        if person.pk in assigned
        or can_edit_engagement(person, engagement)
        or is_provider_manager(person, engagement)
    ]


def people_who_see(people: Iterable[User], task: Task) -> list[User]:
    """Those of `people` (active accounts) who may open `task` now, each by the same door as the task page."""
    return [
        person
        for person in people
        if person.is_active and tasks_visible_to(person).filter(pk=task.pk).exists()
    ]


def _assignment_roles(user: AnyUser, task: Task) -> list[str]:
    """The user's roles on the task, read from its assignments when a page prefetched them with experts."""
    prefetched = getattr(task, "_prefetched_objects_cache", {}).get("assignments")
    if prefetched is not None and all(Assignment.expert.is_cached(a) for a in prefetched):
        return [a.role for a in prefetched if a.expert.user_id == user.pk]
    return list(task.assignments.filter(expert__user_id=user.pk or 0).values_list("role", flat=True))


def access_task(user: AnyUser, task_id: object) -> Task:
    return get_visible_or_404(
        tasks_visible_to(user).select_related("engagement", "engagement__client", "engagement__provider"),
        task_id,
    )


def access_task_for(
    user: AnyUser, task_id: object, *capacities: Capacity
) -> tuple[Task, frozenset[Capacity]]:
    """Look the task up and require that the user acts on it in one of `capacities`."""
    task = access_task(user, task_id)
    held = task_capacities(user, task)
    require(bool(held & set(capacities)), _("Your role on this task does not allow this."))
    return task, held
