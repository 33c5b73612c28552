"""Who sees and changes rubrics, reviews and ratings (the task's and engagement's own doors apply first)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kpo.core.access import require
from kpo.core.types import AnyUser
from kpo.engine.taxonomy import Role
from kpo.orgs.selectors import org_ids_with_roles
from kpo.work.access import access_engagement
from kpo.work.models import Engagement


def can_configure_rubric(user: AnyUser, engagement: Engagement) -> bool:
    """The client's admins configure an engagement's review rubric."""
    return engagement.client_id in org_ids_with_roles(user, {Role.CLIENT_ADMIN.value})


def access_rubric(user: AnyUser, engagement_id: object, *, write: bool = False) -> Engagement:
    """The engagement whose rubric the user may read (everyone who sees it) or change (its client admins)."""
    engagement = access_engagement(user, engagement_id)
    if write:
        require(
            can_configure_rubric(user, engagement), _("Only the client's admins change the review rubric.")
        )
    return engagement
