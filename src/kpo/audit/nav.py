"""The audit trail's entry in the main navigation, for auditors."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpo.audit.selectors import may_read_audit
from kpo.core.nav import NavLink, link, register_nav
from kpo.core.types import AnyUser


def audit_link(user: AnyUser) -> NavLink | None:
    if not may_read_audit(user):
        return None
    return link(_("Audit trail"), reverse("audit_log"), "audit_log")


def register() -> None:
    register_nav("organisation", 60, audit_link)
