"""Who reads and who negotiates an engagement's statement of work (docs/decisions.md, Tenancy: one door).

- Client side: the client's admins and requesters draft, edit, propose and sign; its auditors read.
- Provider side: the provider's managers edit, propose and sign; its auditors read.
- A draft is its holder side's own until proposed: the other side does not see it.
- Experts assigned to one of the engagement's tasks read the approved version (what they deliver
  against) and nothing else; everybody else learns nothing (404).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kpo.contracts.models import Side, SowStatus, SowVersion, StatementOfWork
from kpo.core.access import get_visible_or_404, require
from kpo.core.types import AnyUser
from kpo.engine.taxonomy import Role
from kpo.orgs.selectors import org_ids_with_roles
from kpo.work.access import access_engagement, access_task, engagements_visible_to
from kpo.work.models import Engagement, Task

CLIENT_READERS = {Role.CLIENT_ADMIN.value, Role.REQUESTER.value, Role.AUDITOR.value}
CLIENT_WRITERS = {Role.CLIENT_ADMIN.value, Role.REQUESTER.value}
PROVIDER_READERS = {Role.PROVIDER_MANAGER.value, Role.AUDITOR.value}
PROVIDER_WRITERS = {Role.PROVIDER_MANAGER.value}


def reading_sides(user: AnyUser, engagement: Engagement) -> set[str]:
    sides: set[str] = set()
    if engagement.client_id in org_ids_with_roles(user, CLIENT_READERS):
        sides.add(Side.CLIENT)
    if engagement.provider_id in org_ids_with_roles(user, PROVIDER_READERS):
        sides.add(Side.PROVIDER)
    return sides


def side_of(user: AnyUser, engagement: Engagement) -> str | None:
    """The side `user` negotiates for (the client's when they could act for both), or None."""
    if engagement.client_id in org_ids_with_roles(user, CLIENT_WRITERS):
        return Side.CLIENT
    if engagement.provider_id in org_ids_with_roles(user, PROVIDER_WRITERS):
        return Side.PROVIDER
    return None


def versions_visible_to(user: AnyUser, engagement: Engagement) -> QuerySet[SowVersion]:
    """The versions of the engagement's SOW that `user` reads (the engagement itself is already visible)."""
    versions = SowVersion.objects.filter(sow__engagement=engagement)
    sides = reading_sides(user, engagement)
    if not sides:
        return versions.filter(status=SowStatus.APPROVED)
    return versions.filter(~Q(status=SowStatus.DRAFT) | Q(held_by__in=sides))


def access_sow_engagement(
    user: AnyUser, engagement_id: object, *, negotiate: bool = False, draft: bool = False
) -> Engagement:
    """The engagement for its SOW page: readers of the engagement; `negotiate` needs a side, `draft`
    the client's side (else 403)."""
    engagement = access_engagement(user, engagement_id)
    if draft:
        require(
            side_of(user, engagement) == Side.CLIENT,
            _("The client's admins and requesters draft the statement of work."),
        )
    if negotiate:
        require(
            side_of(user, engagement) is not None,
            _("Only the client's admins and requesters and the provider's managers negotiate the SOW."),
        )
    return engagement


def sow_of(engagement: Engagement) -> StatementOfWork | None:
    return StatementOfWork.objects.filter(engagement=engagement).first()


def access_sow_version(user: AnyUser, version_id: object, *, negotiate: bool = False) -> SowVersion:
    """A version `user` may read (404 otherwise); `negotiate` needs a side of its engagement (else 403)."""
    candidates = SowVersion.objects.filter(sow__engagement__in=engagements_visible_to(user)).select_related(
        "sow__engagement__client", "sow__engagement__provider"
    )
    version = get_visible_or_404(candidates, version_id)
    engagement = version.sow.engagement
    if not versions_visible_to(user, engagement).filter(pk=version.pk).exists():
        raise Http404("Not found.")
    if negotiate:
        require(
            side_of(user, engagement) is not None,
            _("Only the client's admins and requesters and the provider's managers negotiate the SOW."),
        )
    return version


def access_task_link(user: AnyUser, task_id: object) -> Task:
    """A task whose SOW item `user` may set: a side of its engagement (403 for other readers)."""
    task = access_task(user, task_id)
    require(
        side_of(user, task.engagement) is not None,
        _("Only the client's admins and requesters and the provider's managers link tasks to the SOW."),
    )
    return task
