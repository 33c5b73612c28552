"""Who reads and who keeps an engagement's glossary.

Everyone who sees the engagement reads its glossary (the client's members, the provider's managers and
auditors, the experts assigned to one of its tasks); the provider side reads it redacted, as it reads
the client's task texts. The client's admins and requesters (those who change the engagement) add,
change and remove terms. Other tenants get 404.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kpo.core.access import get_visible_or_404, require
from kpo.core.types import AnyUser
from kpo.glossary.models import GlossaryTerm
from kpo.work.access import access_engagement, can_edit_engagement, engagements_visible_to
from kpo.work.models import Engagement


def can_keep_glossary(user: AnyUser, engagement: Engagement) -> bool:
    return can_edit_engagement(user, engagement)


def _require_keeper(user: AnyUser, engagement: Engagement) -> None:
    require(
        can_keep_glossary(user, engagement),
        _("Only the client's admins and requesters change the engagement's glossary."),
    )


def access_glossary(user: AnyUser, engagement_id: object, *, write: bool = False) -> Engagement:
    """The engagement whose glossary the user reads (404 outside it); writing needs its client side (403)."""
    engagement = access_engagement(user, engagement_id)
    if write:
        _require_keeper(user, engagement)
    return engagement


def access_glossary_term(user: AnyUser, glossary_term_id: object, *, write: bool = False) -> GlossaryTerm:
    terms = GlossaryTerm.objects.select_related(
        "engagement", "engagement__client", "engagement__provider"
    ).filter(engagement__in=engagements_visible_to(user))
    term = get_visible_or_404(terms, glossary_term_id)
    if write:
        _require_keeper(user, term.engagement)
    return term
