"""`{% coi_why_not why %}`: on the why-not result, the recorded exception that lets an expert through
despite a conflict of interest, or the link to record one."""

from __future__ import annotations

from typing import Any

from django import template

from kpo.compliance.access import can_grant_exceptions, can_read_exceptions
from kpo.compliance.models import ConflictException
from kpo.compliance.rules import COI_RULE

register = template.Library()


@register.inclusion_tag("compliance/_why_not.html", takes_context=True)
def coi_why_not(context: template.Context, why: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    engagement = why.task.engagement
    if user is None or not can_read_exceptions(user, engagement):
        return {"show": False}
    exception = (
        ConflictException.objects.filter(engagement=engagement, expert=why.expert)
        .select_related("granted_by")
        .first()
    )
    failed = any(failure.rule == COI_RULE for failure in why.failures)
    return {
        "show": exception is not None or failed,
        "exception": exception,
        "can_grant": failed and can_grant_exceptions(user, engagement),
        "task": why.task,
        "expert": why.expert,
    }
