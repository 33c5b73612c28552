"""Writes on matching settings, and staffing a task within the rules other apps register with matching.
Keyword-only, atomic, validated (full_clean) before saving."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from kpo.core.errors import DomainError
from kpo.engine.matching import COMPONENTS, DEFAULT_RULES
from kpo.experts.models import ExpertProfile
from kpo.matching.access import WEIGHTS_EDITORS
from kpo.matching.labels import rule_label
from kpo.matching.models import MatchingWeights
from kpo.matching.records import expert_records, requirements_context
from kpo.matching.rule_registry import rules_for_task
from kpo.orgs.models import Organisation
from kpo.orgs.selectors import org_ids_with_roles
from kpo.work.models import Assignment, Task
from kpo.work.services import assignment_create


@transaction.atomic
def matching_weights_update(
    *, user: User, client: Organisation, weights: Mapping[str, float], min_skills_share: Decimal
) -> MatchingWeights:
    """Set a client's scoring weights (all seven components) and skills share. Client admins only.

    Validates: every component named once, numbers of 0 or more, not all zero; the share in 0..1.
    """
    if client.pk not in org_ids_with_roles(user, WEIGHTS_EDITORS):
        raise DomainError(_("Only the client's admins change its matching weights."))
    settings = MatchingWeights.objects.select_for_update().filter(client=client).first()
    if settings is None:
        settings = MatchingWeights(client=client)
    settings.client = client
    settings.weights = dict(weights)
    settings.min_skills_share = min_skills_share
    settings.updated_by = user
    settings.full_clean()
    settings.weights = {name: float(settings.weights[name]) for name in COMPONENTS}
    settings.save()
    return settings


def registered_rule_failures(task: Task, expert: ExpertProfile, now: dt.datetime) -> list[str]:
    """Why the rules other apps register with matching (clearance, NDA, conflicts of interest, data
    residency, vetting, passport) exclude `expert` from `task`, one line per rule failed; the engine's
    own rules (skills, domain, capacity, ...) are a manager's judgement when staffing by hand."""
    extra = rules_for_task(task, now)[len(DEFAULT_RULES) :]
    records = expert_records(now, expert_ids=[expert.pk]) if extra else []
    if not records:
        return []
    requirements = requirements_context(task, now).requirements
    return [
        f"{rule_label(rule.name)}: {detail}"
        for rule in extra
        if (detail := rule.check(records[0], requirements)) is not None
    ]


@transaction.atomic
def assignment_create_within_rules(
    *, user: User, task: Task, expert: ExpertProfile, role: str, planned_hours: Decimal, now: dt.datetime
) -> Assignment:
    """Staff `task` with `expert` (kpo.work.services.assignment_create), refused with every reason when a
    registered eligibility rule excludes them: the API's staffing applies the rules the picker applies."""
    failures = registered_rule_failures(task, expert, now)
    if failures:
        raise DomainError(
            _("%(name)s may not do this task: %(reasons)s.")
            % {"name": expert.display_name, "reasons": "; ".join(failures)},
            field="expert_id",
        )
    return assignment_create(user=user, task=task, expert=expert, role=role, planned_hours=planned_hours)
