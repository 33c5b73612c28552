"""Who sees and changes which engagements and tasks (docs/decisions.md, Tenancy: one door).

A client's draft tasks are its own until submitted: the provider sees tasks from submission on.
A task released to the engagement's overflow pool (kpo.work.overflow) is seen by the managers of the
approved overflow providers while the release is open, and by the managers of the one that took it after;
they see no other task of the engagement, and not the engagement itself.
Operators (staff) have no shortcut: they read a client's work only under an approved break-glass grant,
which counts as an auditor membership (kpo.orgs.break_glass).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kpo.core.access import get_visible_or_404, require
from kpo.core.types import AnyUser
from kpo.engine.lifecycle import Capacity
from kpo.engine.taxonomy import Role
from kpo.orgs.selectors import org_ids_with_roles
from kpo.work.models import (
    Assignment,
    AssignmentRole,
    Engagement,
    OverflowProvider,
    ReleaseStatus,
    Task,
    TaskRelease,
    TaskStatus,
)

T = TypeVar("T")

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
    visible = Q(engagement__client_id__in=client_orgs) | submitted_to_provider | Q(id__in=assigned)
    managed = org_ids_with_roles(user, PROVIDER_WRITERS)
    if managed:
        visible |= Q(id__in=released_to(managed).values("task_id"))
    return Task.objects.filter(visible)


def released_to(provider_ids: Iterable[int]) -> QuerySet[TaskRelease]:
    """The releases the providers `provider_ids` see as overflow: open ones of engagements that approved
    them, and those they took."""
    ids = list(provider_ids)
    return TaskRelease.objects.filter(
        Q(status=ReleaseStatus.OPEN, task__engagement__overflow_providers__provider_id__in=ids)
        | Q(status=ReleaseStatus.TAKEN, taken_by_organisation_id__in=ids)
    )


def taken_by(task: Task) -> int | None:
    """The overflow provider that took `task` (its release is taken), or None."""
    return (
        TaskRelease.objects.filter(task=task, status=ReleaseStatus.TAKEN)
        .values_list("taken_by_organisation_id", flat=True)
        .first()
    )


def _memo(instance: object, name: str, compute: Callable[[], T]) -> T:
    """`compute()` once per loaded instance (a page reads it for the shortlist and the why-not alike)."""
    held: dict[str, Any] = instance.__dict__.setdefault("_overflow_memo", {})
    if name not in held:
        held[name] = compute()
    return cast(T, held[name])


def staffing_organisation_ids(task: Task) -> frozenset[int]:
    """The organisations whose experts may staff `task`: the engagement's provider, and the overflow
    provider that took the task's release (read once per loaded task)."""

    def compute() -> frozenset[int]:
        taker = taken_by(task)
        return frozenset({task.engagement.provider_id} | ({taker} if taker is not None else set()))

    return _memo(task, "staffing", compute)


def staffs_task(user: AnyUser, task: Task) -> bool:
    """A manager of the engagement's provider, or of the overflow provider that took the task."""
    if is_provider_manager(user, task.engagement):
        return True
    managed = org_ids_with_roles(user, PROVIDER_WRITERS)
    return bool(managed) and taken_by(task) in managed


def overflow_managed_ids(user: AnyUser, task: Task) -> set[int]:
    """The overflow providers of `task` this user manages: those approved for its engagement while its
    release is open, or the one that took it."""
    managed = org_ids_with_roles(user, PROVIDER_WRITERS) - {task.engagement.provider_id}
    if not managed:
        return set()
    release = active_release(task)
    if release is None:
        return set()
    if release.status == ReleaseStatus.TAKEN:
        return {release.taken_by_organisation_id} & managed if release.taken_by_organisation_id else set()
    approved = set(task.engagement.overflow_providers.values_list("provider_id", flat=True))
    return approved & managed


def active_release(task: Task) -> TaskRelease | None:
    """The task's open or taken release, or None."""
    return TaskRelease.objects.filter(task=task, status__in=[ReleaseStatus.OPEN, ReleaseStatus.TAKEN]).first()


def can_create_engagement_for(user: AnyUser, client_id: int) -> bool:
    return client_id in org_ids_with_roles(user, CLIENT_WRITERS)


def can_edit_engagement(user: AnyUser, engagement: Engagement) -> bool:
    return engagement.client_id in org_ids_with_roles(user, CLIENT_WRITERS)


def opens_engagement(user: AnyUser, engagement: Engagement, *, assigned: bool = False) -> bool:
    """Whether the engagement's page opens for the user (`engagements_visible_to`), told by their
    memberships without a query; `assigned`: the caller knows the user works on one of its tasks. An
    overflow provider's manager sees a task released to it, not the engagement."""
    return (
        assigned
        or engagement.client_id in org_ids_with_roles(user, CLIENT_READERS)
        or engagement.provider_id in org_ids_with_roles(user, PROVIDER_READERS)
    )


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
    if staffs_task(user, task):
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
        if person.pk in assigned or can_edit_engagement(person, engagement) or staffs_task(person, task)
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


def overflow_organisation_ids(engagement: Engagement) -> set[int]:
    """The engagement's approved overflow providers and those that took one of its tasks (one query,
    once per loaded engagement): the organisations besides its provider and client whose experts may
    come to staff it, which the eligibility rules that read experts by organisation must cover."""
    return set(_memo(engagement, "overflow", lambda: frozenset(_overflow_organisation_ids(engagement))))


def _overflow_organisation_ids(engagement: Engagement) -> set[int]:
    approved = (
        OverflowProvider.objects.filter(engagement=engagement)
        .order_by()
        .values_list("provider_id", flat=True)
    )
    taken = (
        TaskRelease.objects.filter(
            task__engagement=engagement, status=ReleaseStatus.TAKEN, taken_by_organisation__isnull=False
        )
        .order_by()
        .values_list("taken_by_organisation_id", flat=True)
    )
    return set(approved.union(taken))
