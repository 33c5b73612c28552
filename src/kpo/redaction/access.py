"""Who sees and manages a client's sensitive terms, and who reads task texts unredacted.

The client's members (admins, requesters, auditors) see its terms and the original texts; only client
admins change the terms. Operators have no shortcut: under a break-glass grant they read as the
client's auditors do. Everyone else who may see a task (the provider's managers and
auditors, assigned experts and reviewers) reads its texts redacted. Other tenants get 404.
"""

from __future__ import annotations

from typing import NoReturn

from django.http import Http404
from django.utils.translation import gettext as _

from kpo.core.access import get_visible_or_404, require
from kpo.core.types import AnyUser
from kpo.engine.taxonomy import Role
from kpo.orgs.models import Organisation, OrganisationKind
from kpo.orgs.selectors import first_org_with_roles, org_ids_with_roles
from kpo.redaction.models import SensitiveTerm
from kpo.work.models import Task

CLIENT_SIDE = {Role.CLIENT_ADMIN.value, Role.REQUESTER.value, Role.AUDITOR.value}
TERM_WRITERS = {Role.CLIENT_ADMIN.value}


def viewer_sees_original(user: AnyUser, task: Task) -> bool:
    """True for the task's client side; the provider side gets the redacted text."""
    if not user.is_authenticated:
        return False
    return task.engagement.client_id in org_ids_with_roles(user, CLIENT_SIDE)


def sees_originals_of(user: AnyUser, client_id: int) -> bool:
    """True for the client's own side (admins, requesters, auditors): they read its texts unredacted."""
    return user.is_authenticated and client_id in org_ids_with_roles(user, CLIENT_SIDE)


def can_manage_terms(user: AnyUser, client_id: int) -> bool:
    return client_id in org_ids_with_roles(user, TERM_WRITERS)


def term_client_id(user: AnyUser) -> int | None:
    """The first client whose sensitive terms the user reads (its members), or None."""
    return first_org_with_roles(user, CLIENT_SIDE, kind=OrganisationKind.CLIENT)


def access_term_client(user: AnyUser, organisation_id: object, *, write: bool = False) -> Organisation:
    """A client whose terms the user may read (its members); writing needs a client admin (403)."""
    if not user.is_authenticated:
        raise_404()
    clients = Organisation.objects.filter(
        kind=OrganisationKind.CLIENT, id__in=org_ids_with_roles(user, CLIENT_SIDE)
    )
    client = get_visible_or_404(clients, organisation_id)
    if write:
        require(can_manage_terms(user, client.pk), _("Only the client's admins change its sensitive terms."))
    return client


def access_sensitive_term(user: AnyUser, sensitive_term_id: object, *, write: bool = False) -> SensitiveTerm:
    if not user.is_authenticated:
        raise_404()
    terms = SensitiveTerm.objects.select_related("client").filter(
        client_id__in=org_ids_with_roles(user, CLIENT_SIDE)
    )
    term = get_visible_or_404(terms, sensitive_term_id)
    if write:
        require(
            can_manage_terms(user, term.client_id), _("Only the client's admins change its sensitive terms.")
        )
    return term


def raise_404() -> NoReturn:
    raise Http404("Not found.")
