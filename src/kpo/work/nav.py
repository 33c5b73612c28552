"""Work's entries in the main navigation: engagements and tasks, open to everyone signed in (each
list shows what `engagements_visible_to` and `tasks_visible_to` let the user see)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpo.core.nav import NavLink, link, register_nav
from kpo.core.types import AnyUser
from kpo.work.overflow import sees_pool


def engagements_link(user: AnyUser) -> NavLink:
    return link(
        _("Engagements"),
        reverse("engagement_list"),
        "engagement_list",
        "engagement_create",
        "engagement_detail",
        "engagement_edit",
        "task_create",
    )


def tasks_link(user: AnyUser) -> NavLink:
    return link(_("Tasks"), reverse("task_list"), "task_list", "task_detail", "task_edit", "find_experts")


def overflow_link(user: AnyUser) -> NavLink | None:
    """The overflow pool: for the managers of providers and the people of clients."""
    if not sees_pool(user):
        return None
    return link(_("Overflow pool"), reverse("overflow_pool"), "overflow_pool", "engagement_overflow")


def register() -> None:
    register_nav("work", 10, engagements_link)
    register_nav("work", 20, tasks_link)
    register_nav("work", 30, overflow_link)
