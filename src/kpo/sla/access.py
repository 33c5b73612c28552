"""Who sees SLA reports and disputes, and who acts on them (docs/decisions.md, Tenancy: one door).

SLA reports: the client's members (admins, requesters, auditors) and the provider's managers and
auditors; everyone else gets 404, even an expert who sees a task of the engagement. Only the client's
admins change the policy. Disputes: the same people; the client's admins and requesters open them and
answer the provider's proposal, the provider's managers respond. Operators (Django staff) hold no
standing access: they see a dispute once one side has asked them to mediate it (and resolve it while
it is in mediation); anything else only through a break-glass grant, as the client's auditor.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kpo.core.access import get_visible_or_404, require
from kpo.core.types import AnyUser
from kpo.engine.lifecycle import Capacity
from kpo.engine.taxonomy import Role
from kpo.orgs.break_glass import is_operator as is_operator  # who mediates disputes
from kpo.orgs.selectors import org_ids_with_roles
from kpo.sla.models import Dispute, DisputeEvidence, Meeting, MeetingSide
from kpo.work.access import (
    CLIENT_READERS,
    CLIENT_WRITERS,
    PROVIDER_READERS,
    PROVIDER_WRITERS,
    access_engagement,
    access_task,
    task_capacities,
    tasks_visible_to,
)
from kpo.work.models import Engagement, Task


def sees_sla_of(user: AnyUser, engagement: Engagement) -> bool:
    """Client members, the provider's managers and auditors."""
    return engagement.client_id in org_ids_with_roles(
        user, CLIENT_READERS
    ) or engagement.provider_id in org_ids_with_roles(user, PROVIDER_READERS)


def is_client_admin(user: AnyUser, engagement: Engagement) -> bool:
    return engagement.client_id in org_ids_with_roles(user, {Role.CLIENT_ADMIN.value})


def is_client_writer(user: AnyUser, engagement: Engagement) -> bool:
    return engagement.client_id in org_ids_with_roles(user, CLIENT_WRITERS)


def is_provider_manager(user: AnyUser, engagement: Engagement) -> bool:
    return engagement.provider_id in org_ids_with_roles(user, PROVIDER_WRITERS)


def access_sla_engagement(user: AnyUser, engagement_id: object, *, write: bool = False) -> Engagement:
    """The engagement whose SLA report the user may read (404 otherwise); `write`: its client admins."""
    engagement = access_engagement(user, engagement_id)
    if not sees_sla_of(user, engagement):
        raise Http404("Not found.")
    if write:
        require(is_client_admin(user, engagement), _("Only the client's admins change the service levels."))
    return engagement


def reads_disputes(user: AnyUser) -> bool:
    """Whether the user has a side in any dispute list: a client's or provider's reader, or an operator."""
    if not user.is_authenticated:
        return False
    return bool(org_ids_with_roles(user, CLIENT_READERS | PROVIDER_READERS)) or is_operator(user)


def disputes_visible_to(user: AnyUser) -> QuerySet[Dispute]:
    if not user.is_authenticated:
        return Dispute.objects.none()
    client_orgs = org_ids_with_roles(user, CLIENT_READERS)
    provider_orgs = org_ids_with_roles(user, PROVIDER_READERS)
    client_side = Q(task__engagement__client_id__in=client_orgs)
    sides = client_side | Q(task__engagement__provider_id__in=provider_orgs)
    if is_operator(user):
        sides |= Q(mediation_requested_at__isnull=False)
    return Dispute.objects.filter(sides)


def access_dispute(user: AnyUser, dispute_id: object) -> Dispute:
    return get_visible_or_404(
        disputes_visible_to(user).select_related(
            "task",
            "task__engagement",
            "task__engagement__client",
            "task__engagement__provider",
            "opened_by",
            "responded_by",
            "resolved_by",
            "mediation_requested_by",
        ),
        dispute_id,
    )


def access_dispute_evidence(user: AnyUser, dispute_id: object, evidence_id: object) -> DisputeEvidence:
    dispute = access_dispute(user, dispute_id)
    return get_visible_or_404(
        dispute.evidence.select_related("dispute__task__engagement__client"), evidence_id
    )


def access_task_for_dispute(user: AnyUser, task_id: object) -> Task:
    """A task on which the user may open a dispute: the client's admins and requesters (403 for other
    insiders, 404 for outsiders)."""

    task = access_task(user, task_id)
    if not sees_sla_of(user, task.engagement):
        raise Http404("Not found.")
    require(
        is_client_writer(user, task.engagement),
        _("Only the client's admins and requesters open a dispute."),
    )
    return task


def side_of(user: AnyUser, task: Task) -> MeetingSide | None:
    """Which side `user` is on in `task`'s meetings: the client's admins and requesters, or the provider's
    managers and the task's experts; None for anyone else."""
    held = task_capacities(user, task)
    if Capacity.CLIENT in held:
        return MeetingSide.CLIENT
    if held & {Capacity.PROVIDER_MANAGER, Capacity.MAKER, Capacity.REVIEWER}:
        return MeetingSide.PROVIDER
    return None


def access_task_for_meeting(user: AnyUser, task_id: object) -> Task:
    """A task whose meetings the user takes part in (403 for other insiders, 404 for outsiders)."""
    task = access_task(user, task_id)
    require(side_of(user, task) is not None, _("Only the client's and the provider's side plan meetings."))
    return task


def access_meeting(user: AnyUser, meeting_id: object) -> Meeting:
    meeting = get_visible_or_404(
        Meeting.objects.filter(task__in=tasks_visible_to(user)).select_related(
            "task", "task__engagement", "task__engagement__client", "proposed_by"
        ),
        meeting_id,
    )
    require(
        side_of(user, meeting.task) is not None, _("Only the client's and the provider's side plan meetings.")
    )
    return meeting
