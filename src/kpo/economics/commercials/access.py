"""Who sees and changes an engagement's commercials (one door per object kind: docs/decisions.md, Tenancy).

- Read (budget, time awaiting approval, invoices, milestones): the client's admins, requesters and
  auditors; the provider's managers and auditors. Operators hold no standing access: an
  approved break-glass grant makes them the organisation's auditor (kpo.orgs.break_glass).
  Experts assigned to a task see the engagement but not its money: 403.
- Client side (alert thresholds, the linked make-or-buy scenario, milestones): client admins and
  requesters.
- Provider side (time decisions, issuing invoices, the rate card): the provider's managers.
- Rate cards: a provider's managers (and auditors) see and change theirs; the client readers of an
  engagement with that provider read it without its cost rates (the provider's margin); nobody else
  learns it exists (404).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kpo.core.access import get_visible_or_404, require
from kpo.core.types import AnyUser
from kpo.economics.models import Invoice, Milestone, RateCardLine
from kpo.engine.taxonomy import Role
from kpo.orgs.selectors import org_ids_with_roles
from kpo.work.access import access_engagement
from kpo.work.models import Engagement

CLIENT_READERS = {Role.CLIENT_ADMIN.value, Role.REQUESTER.value, Role.AUDITOR.value}
CLIENT_WRITERS = {Role.CLIENT_ADMIN.value, Role.REQUESTER.value}
PROVIDER_READERS = {Role.PROVIDER_MANAGER.value, Role.AUDITOR.value}
PROVIDER_MANAGERS = {Role.PROVIDER_MANAGER.value}
DASHBOARD_ROLES = {Role.CLIENT_ADMIN.value}


def dashboard_client_ids(user: AnyUser) -> set[int]:
    """The clients whose commercials dashboard `user` reads (their admins)."""
    return org_ids_with_roles(user, DASHBOARD_ROLES)


def rate_card_readers(user: AnyUser) -> set[int]:
    """The organisations through which `user` reads rate cards at all (their own provider's, or those of
    the providers their client engages)."""
    return org_ids_with_roles(user, PROVIDER_READERS | CLIENT_READERS)


def reads_commercials(user: AnyUser, engagement: Engagement) -> bool:
    return engagement.client_id in org_ids_with_roles(
        user, CLIENT_READERS
    ) or engagement.provider_id in org_ids_with_roles(user, PROVIDER_READERS)


def writes_client_terms(user: AnyUser, engagement: Engagement) -> bool:
    return engagement.client_id in org_ids_with_roles(user, CLIENT_WRITERS)


def manages_provider(user: AnyUser, engagement: Engagement) -> bool:
    return engagement.provider_id in org_ids_with_roles(user, PROVIDER_MANAGERS)


def access_commercials(
    user: AnyUser, engagement_id: object, *, client: bool = False, provider: bool = False
) -> Engagement:
    """The engagement when `user` may read its commercials (404 outside, 403 for other insiders);
    `client=True` also requires a client admin/requester, `provider=True` a provider manager."""
    engagement = access_engagement(user, engagement_id)
    require(
        reads_commercials(user, engagement), _("Only the client and the provider's managers see the money.")
    )
    if client:
        require(
            writes_client_terms(user, engagement),
            _("Only the client's admins and requesters change the commercial terms."),
        )
    if provider:
        require(manages_provider(user, engagement), _("Only the provider's managers do this."))
    return engagement


def commercial_engagements(user: AnyUser) -> QuerySet[Engagement]:
    """Engagements whose commercials `user` reads."""
    if not user.is_authenticated:
        return Engagement.objects.none()
    return Engagement.objects.filter(
        Q(client_id__in=org_ids_with_roles(user, CLIENT_READERS))
        | Q(provider_id__in=org_ids_with_roles(user, PROVIDER_READERS))
    )


def invoices_visible_to(user: AnyUser) -> QuerySet[Invoice]:
    if not user.is_authenticated:
        return Invoice.objects.none()
    return Invoice.objects.filter(
        Q(client_id__in=org_ids_with_roles(user, CLIENT_READERS))
        | Q(provider_id__in=org_ids_with_roles(user, PROVIDER_READERS))
    )


def access_invoice(user: AnyUser, invoice_id: object) -> Invoice:
    return get_visible_or_404(
        invoices_visible_to(user).select_related("engagement", "provider", "client", "issued_by"), invoice_id
    )


def access_milestone(user: AnyUser, milestone_id: object) -> Milestone:
    """A milestone of an engagement whose commercials `user` reads; changing it needs a client writer."""
    milestone = get_visible_or_404(
        Milestone.objects.filter(engagement__in=commercial_engagements(user)).select_related(
            "engagement", "engagement__client", "engagement__provider"
        ),
        milestone_id,
    )
    require(
        writes_client_terms(user, milestone.engagement),
        _("Only the client's admins and requesters confirm milestones."),
    )
    return milestone


def rate_card_provider_ids(user: AnyUser) -> set[int]:
    """The providers whose rate cards `user` reads."""
    if not user.is_authenticated:
        return set()
    own = org_ids_with_roles(user, PROVIDER_READERS)
    clients = org_ids_with_roles(user, CLIENT_READERS)
    engaged: set[int] = set()
    if clients:
        engaged = set(
            Engagement.objects.filter(client_id__in=clients).values_list("provider_id", flat=True).distinct()
        )
    return own | engaged


def rate_card_lines_visible_to(user: AnyUser) -> QuerySet[RateCardLine]:
    return RateCardLine.objects.select_related("provider", "occupation").filter(
        provider_id__in=rate_card_provider_ids(user)
    )


def sees_cost_rates(user: AnyUser, provider_id: int) -> bool:
    """A provider's cost rates (and so its margins) are for its managers and auditors."""
    return provider_id in org_ids_with_roles(user, PROVIDER_READERS)


def access_rate_card_line(user: AnyUser, line_id: object) -> RateCardLine:
    """A line of its own provider's card (its managers and auditors), else 404: a
    client reads the card but not its lines as objects; changing a line needs a manager (else 403)."""
    line = get_visible_or_404(rate_card_lines_visible_to(user), line_id)
    if not sees_cost_rates(user, line.provider_id):
        raise Http404("Not found.")
    require(
        line.provider_id in org_ids_with_roles(user, PROVIDER_MANAGERS),
        _("Only the provider's managers change its rate card."),
    )
    return line


def managed_providers(user: AnyUser) -> set[int]:
    return org_ids_with_roles(user, PROVIDER_MANAGERS)
