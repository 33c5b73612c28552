"""Who must use two-factor authentication: operators, and members of organisations that require it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User

from kpo.demo.accounts import DEMO_ACCOUNTS
from kpo.orgs.selectors import memberships_of
from kpo.site.models import DemoWorld

OPERATOR = "operator"
ORGANISATION = "organisation"


def requirement(user: User | AnonymousUser) -> str | None:
    """Why the user must use a second factor ("operator", "organisation"), or None."""
    if not user.is_authenticated:
        return None
    if user.is_staff or user.is_superuser:
        return OPERATOR
    if any(m.organisation.require_two_factor for m in memberships_of(user)):
        return ORGANISATION
    return None


def demo_exempt(user: User | AnonymousUser) -> bool:
    """In demo mode, with the demo world installed, its named accounts stay clickable without enrolling."""
    if not settings.DEMO_MODE or not user.is_authenticated:
        return False
    account = next((a for a in DEMO_ACCOUNTS if a.username == user.get_username()), None)
    if account is None or account.email != user.email:
        return False
    return DemoWorld.installed()
