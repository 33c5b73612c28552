"""Overflow pools: other providers a client approves per engagement, and tasks released to them.

A client's admins approve (and remove) overflow providers for an engagement: a freelance pool or a
second firm. When the engagement's provider cannot staff a task in time, its managers or the client's
admins and requesters release the task to the pool with a reason; the managers of every approved
overflow provider are told and see the task (kpo.work.access), and one of them takes it, saying why.
From then on that provider's managers staff the task with their own experts through matching's
shortlist and picker, where every eligibility rule applies as for the engagement's provider. The client
may recall a release nobody has taken. Every step is audited.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.access import get_visible_or_404, require
from kpo.core.errors import DomainError
from kpo.core.links import url_at
from kpo.core.types import AnyUser
from kpo.engine.taxonomy import Role
from kpo.notices.services import notice_send
from kpo.orgs.models import Organisation, OrganisationKind, ProviderType
from kpo.orgs.selectors import members_with_roles, org_ids_with_roles
from kpo.work.access import (
    CLIENT_READERS,
    CLIENT_WRITERS,
    PROVIDER_READERS,
    PROVIDER_WRITERS,
    access_engagement,
    access_task,
    engagements_visible_to,
    is_provider_manager,
    released_to,
    tasks_visible_to,
)
from kpo.work.models import (
    Engagement,
    OverflowProvider,
    ReleaseStatus,
    Task,
    TaskRelease,
    TaskStatus,
)

OVERFLOW_APPROVERS = {Role.CLIENT_ADMIN.value}
RELEASABLE_STATES = {TaskStatus.SUBMITTED.value, TaskStatus.STAFFING.value}
REASON_MAX = 2000
RELEASE_RELATED = (  # what a release is shown with: its task, engagement, parties and people
    "task",
    "task__engagement",
    "task__engagement__client",
    "task__engagement__provider",
    "released_by",
    "taken_by",
    "taken_by_organisation",
    "recalled_by",
)


# --- who may do what -------------------------------------------------------------------------------


def can_approve_overflow(user: AnyUser, engagement: Engagement) -> bool:
    return engagement.client_id in org_ids_with_roles(user, OVERFLOW_APPROVERS)


def can_release(user: AnyUser, engagement: Engagement) -> bool:
    """The engagement's provider managers and the client's admins and requesters."""
    return is_provider_manager(user, engagement) or engagement.client_id in org_ids_with_roles(
        user, CLIENT_WRITERS
    )


def can_recall(user: AnyUser, engagement: Engagement) -> bool:
    return engagement.client_id in org_ids_with_roles(user, CLIENT_WRITERS)


def can_read_overflow(user: AnyUser, engagement: Engagement) -> bool:
    """The engagement's overflow page: the client's members and the provider's managers and auditors."""
    return engagement.client_id in org_ids_with_roles(
        user, CLIENT_READERS
    ) or engagement.provider_id in org_ids_with_roles(user, PROVIDER_READERS)


def taker_ids(user: AnyUser, release: TaskRelease) -> list[int]:
    """The approved overflow providers of the release's engagement this user manages (who may take it)."""
    managed = org_ids_with_roles(user, PROVIDER_WRITERS) - {release.task.engagement.provider_id}
    if not managed:
        return []
    approved = OverflowProvider.objects.filter(
        engagement_id=release.task.engagement_id, provider_id__in=managed
    ).values_list("provider_id", flat=True)
    return sorted(approved)


# --- doors: look up inside what the user sees (404), then require the right to act (403) -------------


def access_overflow_engagement(user: AnyUser, engagement_id: object) -> Engagement:
    """An engagement whose overflow providers the user reads (`can_read_overflow`)."""
    engagement = access_engagement(user, engagement_id)
    require(
        can_read_overflow(user, engagement),
        _("Only the client's people and the provider's managers see an engagement's overflow providers."),
    )
    return engagement


def require_approver(user: AnyUser, engagement: Engagement) -> None:
    require(can_approve_overflow(user, engagement), _("Only the client's admins approve overflow providers."))


def access_overflow_provider(user: AnyUser, overflow_provider_id: object) -> OverflowProvider:
    """An approval of an engagement the user sees, for the client's admins to withdraw."""
    approval = get_visible_or_404(
        OverflowProvider.objects.filter(engagement__in=engagements_visible_to(user)).select_related(
            "engagement", "engagement__client", "provider", "approved_by"
        ),
        overflow_provider_id,
    )
    require_approver(user, approval.engagement)
    return approval


def access_releasing_task(user: AnyUser, task_id: object) -> Task:
    """A task the user sees and may release to the overflow pool (`can_release`)."""
    task = access_task(user, task_id)
    require(
        can_release(user, task.engagement),
        _("Only the provider's managers and the client's admins and requesters release a task."),
    )
    return task


def access_release(user: AnyUser, task_release_id: object) -> TaskRelease:
    """A release of a task the user sees."""
    return get_visible_or_404(
        TaskRelease.objects.filter(task__in=tasks_visible_to(user)).select_related(*RELEASE_RELATED),
        task_release_id,
    )


def access_release_to_take(user: AnyUser, task_release_id: object) -> TaskRelease:
    """A release the user may take for an approved overflow provider they manage."""
    release = access_release(user, task_release_id)
    require(
        bool(taker_ids(user, release)),
        _("Only the managers of an approved overflow provider take a released task."),
    )
    return release


# --- reads ------------------------------------------------------------------------------------------


def overflow_providers_of(engagement: Engagement) -> list[OverflowProvider]:
    return list(engagement.overflow_providers.select_related("provider", "approved_by").order_by("id"))


def overflow_candidates(engagement: Engagement) -> QuerySet[Organisation]:
    """Provider organisations the client may approve for `engagement`: not its provider, not already
    approved, and no captive subsidiary of another client."""
    approved = engagement.overflow_providers.values("provider_id")
    return (
        Organisation.objects.filter(kind=OrganisationKind.PROVIDER)
        .exclude(pk=engagement.provider_id)
        .exclude(pk__in=approved)
        .filter(~Q(provider_type=ProviderType.CAPTIVE) | Q(parent_id=engagement.client_id))
        .order_by("name")
    )


def _release_rows(queryset: QuerySet[TaskRelease]) -> list[TaskRelease]:
    return list(queryset.select_related(*RELEASE_RELATED).order_by("-released_at", "-id"))


def releases_of(engagement: Engagement) -> list[TaskRelease]:
    return _release_rows(TaskRelease.objects.filter(task__engagement=engagement))


def sees_pool(user: AnyUser) -> bool:
    """The overflow pool page is for the managers of providers and the people of clients."""
    return bool(org_ids_with_roles(user, PROVIDER_WRITERS | CLIENT_READERS))


def releases_for(user: AnyUser) -> tuple[list[TaskRelease], list[TaskRelease]]:
    """(releases offered to or taken by the overflow providers the user manages, releases of the
    engagements the user's client or provider owns)."""
    managed = org_ids_with_roles(user, PROVIDER_WRITERS)
    offered = _release_rows(released_to(managed).distinct()) if managed else []
    clients = org_ids_with_roles(user, CLIENT_READERS)
    providers = org_ids_with_roles(user, PROVIDER_READERS)
    own: list[TaskRelease] = []
    if clients or providers:
        own = _release_rows(
            TaskRelease.objects.filter(task__engagement__client_id__in=clients)
            | TaskRelease.objects.filter(task__engagement__provider_id__in=providers)
        )
    offered_ids = {release.pk for release in offered}
    return offered, [release for release in own if release.pk not in offered_ids]


# --- writes -----------------------------------------------------------------------------------------


def _reason(value: str, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(_("Say why: the reason is required."), field=field)
    if len(text) > REASON_MAX:
        raise DomainError(
            _("The reason is too long: at most %(max)s characters.") % {"max": REASON_MAX}, field=field
        )
    return text


@transaction.atomic
def overflow_approve(*, user: User, engagement: Engagement, provider: Organisation) -> OverflowProvider:
    """Approve `provider` as overflow for `engagement` (the client's admins)."""
    if not can_approve_overflow(user, engagement):
        raise DomainError(_("Only the client's admins approve overflow providers."))
    if provider.kind != OrganisationKind.PROVIDER:
        raise DomainError(_("An overflow provider must be a provider organisation."), field="provider")
    if provider.pk == engagement.provider_id:
        raise DomainError(
            _("%(name)s already delivers this engagement.") % {"name": provider.name}, field="provider"
        )
    if provider.provider_type == ProviderType.CAPTIVE and provider.parent_id != engagement.client_id:
        raise DomainError(
            _("A captive subsidiary works only for its own parent organisation."), field="provider"
        )
    if engagement.overflow_providers.filter(provider=provider).exists():
        raise DomainError(
            _("%(name)s is already an overflow provider of this engagement.") % {"name": provider.name},
            field="provider",
        )
    try:
        with transaction.atomic():
            approval = OverflowProvider.objects.create(
                engagement=engagement, provider=provider, approved_by=user
            )
    except IntegrityError as error:  # approved meanwhile by another admin
        raise DomainError(
            _("%(name)s is already an overflow provider of this engagement.") % {"name": provider.name},
            field="provider",
        ) from error
    audit(
        user,
        AuditEvent.OVERFLOW_APPROVED,
        ("engagement", engagement.pk),
        engagement.client,
        {"provider": provider.name, "provider_id": provider.pk},
    )
    return approval


@transaction.atomic
def overflow_remove(*, user: User, approval: OverflowProvider) -> None:
    """Remove an overflow provider; its managers stop seeing the engagement's open releases (a task it
    already took stays with it)."""
    engagement = approval.engagement
    if not can_approve_overflow(user, engagement):
        raise DomainError(_("Only the client's admins approve overflow providers."))
    provider = approval.provider
    approval.delete()
    audit(
        user,
        AuditEvent.OVERFLOW_REMOVED,
        ("engagement", engagement.pk),
        engagement.client,
        {"provider": provider.name, "provider_id": provider.pk},
    )


def _notify_overflow_managers(release: TaskRelease, actor: User) -> None:
    task = release.task
    provider_ids = task.engagement.overflow_providers.values_list("provider_id", flat=True)
    people = [
        person
        for provider_id in provider_ids
        for person in members_with_roles(provider_id, {Role.PROVIDER_MANAGER.value})
        if person.is_active and person.pk != actor.pk
    ]
    if not people:
        return
    title, client = task.title, task.engagement.client.name
    notice_send(
        users=people,
        kind="task_released",
        subject=lambda: _("A task for your overflow pool: %(title)s") % {"title": title},
        text=lambda: (
            _("%(client)s released the task “%(title)s” to its overflow pool. Take it if you can staff it.")
            % {"client": client, "title": title}
        ),
        url=url_at("task_detail", "overflow", task_id=task.pk),
        key=f"task-released:{release.pk}",
    )


@transaction.atomic
def task_release(*, user: User, task: Task, reason: str, now: dt.datetime | None = None) -> TaskRelease:
    """Release `task` to the engagement's overflow pool (its provider managers or the client's admins
    and requesters), with a reason; the overflow providers' managers are told."""
    engagement = task.engagement
    if not can_release(user, engagement):
        raise DomainError(
            _("Only the provider's managers and the client's admins and requesters release a task.")
        )
    text = _reason(reason, "reason")
    locked = Task.objects.select_for_update().filter(pk=task.pk).first()
    if locked is None:
        raise DomainError(_("This task no longer exists."), field="status")
    if locked.status not in RELEASABLE_STATES:
        raise DomainError(
            _("Only a task waiting to be staffed can be released to the overflow pool."), field="status"
        )
    if not engagement.overflow_providers.exists():
        raise DomainError(
            _("The client has approved no overflow provider for this engagement."), field="reason"
        )
    if TaskRelease.objects.filter(task=task, status__in=[ReleaseStatus.OPEN, ReleaseStatus.TAKEN]).exists():
        raise DomainError(_("This task is already released to the overflow pool."), field="reason")
    release = TaskRelease.objects.create(
        task=task, reason=text, released_by=user, released_at=now or timezone.now()
    )
    audit(user, AuditEvent.TASK_RELEASED, ("task", task.pk), engagement.client, {"reason": text})
    _notify_overflow_managers(release, user)
    return release


@transaction.atomic
def release_take(
    *, user: User, release: TaskRelease, reason: str, now: dt.datetime | None = None
) -> TaskRelease:
    """Take an open release for the overflow provider the user manages, saying why; its managers then
    staff the task with their own experts."""
    takers = taker_ids(user, release)
    if not takers:
        raise DomainError(_("Only the managers of an approved overflow provider take a released task."))
    text = _reason(reason, "reason")
    locked = TaskRelease.objects.select_for_update().get(pk=release.pk)
    if locked.status != ReleaseStatus.OPEN:
        raise DomainError(_("This release is no longer open."), field="status")
    locked.status = ReleaseStatus.TAKEN
    locked.taken_by_organisation_id = takers[0]
    locked.taken_by = user
    locked.taken_at = now or timezone.now()
    locked.take_reason = text
    locked.save()
    task = locked.task
    taker = Organisation.objects.get(pk=takers[0])
    audit(
        user,
        AuditEvent.RELEASE_TAKEN,
        ("task", task.pk),
        task.engagement.client,
        {"provider": taker.name, "provider_id": taker.pk, "reason": text},
    )
    title = task.title
    notice_send(
        users=[person for person in (locked.released_by,) if person.is_active and person.pk != user.pk],
        kind="release_taken",
        subject=lambda: _("Taken from the overflow pool: %(title)s") % {"title": title},
        text=lambda: (
            _("%(provider)s took the task “%(title)s” from the overflow pool and will staff it.")
            % {"provider": taker.name, "title": title}
        ),
        url=url_at("task_detail", "overflow", task_id=task.pk),
        key=f"release-taken:{locked.pk}",
    )
    return locked


@transaction.atomic
def release_recall(*, user: User, release: TaskRelease, now: dt.datetime | None = None) -> TaskRelease:
    """Recall a release nobody has taken (the client's admins and requesters)."""
    task = release.task
    if not can_recall(user, task.engagement):
        raise DomainError(_("Only the client's admins and requesters recall a release."))
    locked = TaskRelease.objects.select_for_update().get(pk=release.pk)
    if locked.status != ReleaseStatus.OPEN:
        raise DomainError(_("Only a release nobody has taken can be recalled."), field="status")
    locked.status = ReleaseStatus.RECALLED
    locked.recalled_by = user
    locked.recalled_at = now or timezone.now()
    locked.save()
    audit(user, AuditEvent.RELEASE_RECALLED, ("task", task.pk), task.engagement.client, {})
    return locked
