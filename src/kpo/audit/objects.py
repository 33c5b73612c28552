"""What an audit entry is about, as the audit page shows it: the kind of object in words, linked to its
page when the viewer may open it.

Apps above the audit floor own those pages and their doors, so they register a `Linker` for their kinds
of object: given the viewer and the ids on one page of entries, it answers the pages the viewer may
open, in one query, so the page's query count stays fixed however many entries it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kpo.core.types import AnyUser

Linker = Callable[[AnyUser, Collection[int]], dict[int, str]]
"""(viewer, object ids) → {id: URL} for the objects the viewer may open."""

OBJECT_KINDS: dict[str, Promise] = {
    "api_token": _("API token"),
    "audit": _("Audit trail"),
    "break_glass": _("Break-glass access"),
    "competitor": _("Competitor"),
    "compliance_policy": _("Compliance policy"),
    "conflict_declaration": _("Conflict declaration"),
    "conflict_exception": _("Conflict exception"),
    "credential": _("Credential"),
    "deliverable_version": _("Deliverable version"),
    "dispute": _("Dispute"),
    "dispute_evidence": _("Dispute evidence"),
    "engagement": _("Engagement"),
    "expert": _("Expert"),
    "invitation": _("Invitation"),
    "invoice": _("Invoice"),
    "membership": _("Membership"),
    "nda_signature": _("NDA signature"),
    "nda_template": _("NDA template"),
    "organisation": _("Organisation"),
    "sensitive_term": _("Sensitive term"),
    "task": _("Task"),
    "task_document": _("Task document"),
    "transfer_country": _("Transfer country"),
    "user": _("Person"),
    "vetting_policy": _("Vetting policy"),
}

_LINKERS: dict[str, Linker] = {}


def register_object_links(object_type: str, linker: Linker) -> None:
    _LINKERS[object_type] = linker


def object_kind_label(object_type: str) -> str:
    label = OBJECT_KINDS.get(object_type)
    return str(label) if label is not None else object_type


def object_kind_choices() -> list[tuple[str, str]]:
    return sorted(((kind, str(label)) for kind, label in OBJECT_KINDS.items()), key=lambda c: c[1])


def object_links(user: AnyUser, targets: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The URLs of the (object type, object id) targets the viewer may open: one query per kind that has
    a linker and appears among the targets."""
    wanted: dict[str, set[int]] = {}
    for object_type, object_id in targets:
        if object_type in _LINKERS and object_id.isascii() and object_id.isdigit() and len(object_id) < 19:
            wanted.setdefault(object_type, set()).add(int(object_id))
    links: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        for pk, url in _LINKERS[object_type](user, ids).items():
            links[(object_type, str(pk))] = url
    return links


def linker_of(visible: Callable[[AnyUser], Any], url_name: str, kwarg: str) -> Linker:
    """A linker from a door (the viewer's visible objects, a queryset) and the name of the objects' page
    with its id keyword ("task_detail", "task_id")."""

    def link(user: AnyUser, ids: Collection[int]) -> dict[int, str]:
        found = visible(user).filter(pk__in=list(ids)).values_list("pk", flat=True)
        return {pk: reverse(url_name, kwargs={kwarg: pk}) for pk in found}

    return link
