"""The kinds of e-mail a user may choose to receive, and which notice kinds fall under each.

Notice kinds are the short codes the apps pass to `notice_send` ("budget_alert", "sla_breached",
"dispute_opened", ...); a user chooses by category, so a new kind of an existing family (another SLA
state, another dispute step) is covered without a new checkbox. Kinds outside every family fall under
"other".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EmailCategory:
    code: str
    label: str | Promise
    kinds: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()


OTHER = "other"

EMAIL_CATEGORIES: tuple[EmailCategory, ...] = (
    EmailCategory(
        "task_submitted", _("A task is submitted to my organisation"), frozenset({"task_submitted"})
    ),
    EmailCategory("task_assigned", _("I am assigned to a task"), frozenset({"task_assigned"})),
    EmailCategory("review_requested", _("A task is sent to me for review"), frozenset({"review_requested"})),
    EmailCategory("task_delivered", _("A task I asked for is delivered"), frozenset({"task_delivered"})),
    EmailCategory(
        "changes_requested", _("Changes are requested on a task I work on"), frozenset({"changes_requested"})
    ),
    EmailCategory("task_message", _("A new message on a task I take part in"), frozenset({"task_message"})),
    EmailCategory("task_mention", _("Someone mentions me in a task's messages"), frozenset({"task_mention"})),
    EmailCategory(
        "review_result", _("The result of a review of my work"), frozenset({"review", "task_accepted"})
    ),
    EmailCategory("budget_alert", _("Budget alerts"), frozenset({"budget_alert"})),
    EmailCategory("sla", _("Service-level escalations"), prefixes=("sla_",)),
    EmailCategory("dispute", _("Steps of a dispute"), prefixes=("dispute_",)),
    EmailCategory(OTHER, _("Other notices (conflict exceptions, vetting, time approval)")),
)

CATEGORY_CODES: tuple[str, ...] = tuple(category.code for category in EMAIL_CATEGORIES)


def category_of(kind: str) -> str:
    """The e-mail category a notice kind belongs to."""
    for category in EMAIL_CATEGORIES:
        if kind in category.kinds or kind.startswith(category.prefixes):
            return category.code
    return OTHER
