"""The redaction preview on the task page: what the task's experts will read, for the client side only."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kpo.core.panels import Panel
from kpo.engine.redaction import Category
from kpo.redaction.access import can_manage_terms, viewer_sees_original
from kpo.redaction.services import redaction_of
from kpo.work.models import Task

CATEGORY_LABELS = {
    Category.EMAIL: _("E-mail addresses"),
    Category.PHONE: _("Phone numbers"),
    Category.IBAN: _("IBANs"),
    Category.CPR: _("CPR numbers"),
    Category.CREDIT_CARD: _("Card numbers"),
    Category.PRODUCT: _("Products and code names"),
    Category.CUSTOMER: _("Customers"),
    Category.PERSON: _("People"),
    Category.OTHER: _("Other terms"),
}


def preview_panel(request: HttpRequest, task: Task) -> Panel | None:
    """The task description as the provider side sees it, placeholders marked; None for the provider side."""
    if not isinstance(task, Task) or not viewer_sees_original(request.user, task):
        return None
    redaction = redaction_of(task)  # one query: the client's terms
    return Panel(
        "redaction/preview_panel.html",
        {
            "segments": redaction.segments,
            "replaced": redaction.replaced,
            "rows": [
                {"label": CATEGORY_LABELS[category], "occurrences": occurrences, "distinct": distinct}
                for category, occurrences, distinct in redaction.counts()
            ],
            "client_id": task.engagement.client_id,
            "can_manage": can_manage_terms(request.user, task.engagement.client_id),
        },
    )
