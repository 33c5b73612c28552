"""Who finds experts for a task, and who sets a client's matching weights (docs/decisions.md, Tenancy).

The shortlist of a task is for the engagement's provider managers (who staff it) and the client's
admins and requesters (who see whom the provider can draw on, their own staff first). Others who can
see the task (auditors, the experts assigned to it) get 403; everyone else 404.

A client's own internal staff are visible only to that client's people (kpo.experts.access), so a
provider manager's shortlist leaves them out and says how many there are.

A task released to the engagement's overflow pool (kpo.work.overflow) is also for the managers of its
approved overflow providers: they find experts among their own organisation's only, and staff from the
picker once their organisation took the task.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from kpo.core.access import require
from kpo.core.types import AnyUser
from kpo.engine.taxonomy import Role
from kpo.orgs.access import access_own_organisation
from kpo.orgs.models import Organisation, OrganisationKind
from kpo.orgs.selectors import first_org_with_roles, memberships_of, org_ids_with_roles
from kpo.work.access import (
    CLIENT_READERS,
    CLIENT_WRITERS,
    access_task,
    is_provider_manager,
    overflow_managed_ids,
    staffs_task,
)
from kpo.work.models import Task

WEIGHTS_EDITORS = {Role.CLIENT_ADMIN.value}


@dataclass(frozen=True)
class MatchingAccess:
    task: Task
    can_assign: bool
    """A provider manager of the engagement: may staff from the shortlist."""
    client_side: bool
    """An admin or requester of the task's client."""
    sees_client_staff: bool
    """May see the client's own internal staff (the client's people)."""
    can_edit_weights: bool
    """An admin of the task's client: may change the client's weights."""
    organisation_ids: frozenset[int] | None = None
    """The organisations this user staffs the task from, when not the engagement's provider: an
    overflow provider's manager, their own (None: the engagement's provider's)."""


def access_task_for_matching(user: AnyUser, task_id: object) -> MatchingAccess:
    task = access_task(user, task_id)
    engagement = task.engagement
    main_manager = is_provider_manager(user, engagement)
    overflow = frozenset() if main_manager else frozenset(overflow_managed_ids(user, task))
    manager = main_manager or (bool(overflow) and staffs_task(user, task))
    client_side = engagement.client_id in org_ids_with_roles(user, CLIENT_WRITERS)
    require(
        manager or client_side or bool(overflow),
        _("Only the provider's managers and the client's admins and requesters find experts for a task."),
    )
    member_of_client = any(m.organisation_id == engagement.client_id for m in memberships_of(user))
    return MatchingAccess(
        task=task,
        organisation_ids=overflow or None,
        can_assign=manager,
        client_side=client_side,
        sees_client_staff=member_of_client,
        can_edit_weights=engagement.client_id in org_ids_with_roles(user, WEIGHTS_EDITORS),
    )


def weights_client_id(user: AnyUser) -> int | None:
    """The first client whose matching weights the user changes (its admins), or None."""
    return first_org_with_roles(user, WEIGHTS_EDITORS, kind=OrganisationKind.CLIENT)


def access_client_weights(user: AnyUser, organisation_id: object, *, write: bool) -> Organisation:
    """A client organisation's matching weights: read by its admins, requesters and auditors, changed by
    its admins. Non-members and non-client organisations answer 404; an operator reads them only through
    a break-glass grant (as the client's auditor)."""
    organisation = access_own_organisation(user, organisation_id)
    if organisation.kind != OrganisationKind.CLIENT:
        raise Http404("Not found.")
    if write:
        require(
            organisation.pk in org_ids_with_roles(user, WEIGHTS_EDITORS),
            _("Only the client's admins change its matching weights."),
        )
    else:
        require(
            organisation.pk in org_ids_with_roles(user, CLIENT_READERS),
            _("Only the client's admins, requesters and auditors see its matching weights."),
        )
    return organisation
