"""The matching rule "clearance": an expert's clearance must be at least the task's level.

One query over the experts the organisation rule could pass anyway (the engagement's provider and
the client's own staff; `organisation_id` is indexed): for a restricted task the few cleared experts
are allowed, for lower levels the few below the level are excluded.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kpo.confidentiality.access import LEVELS, rank
from kpo.engine.matching import EligibilityRule, ExpertSetRule
from kpo.engine.taxonomy import ConfidentialityLevel
from kpo.experts.models import ExpertProfile
from kpo.work.models import Confidentiality, Task

RULE = "clearance"
LABEL = gettext_lazy("Clearance")
ADVICE = gettext_lazy(
    "Nobody left is cleared for the task's level: ask the provider to raise an expert's clearance, "
    "or the client to lower the level if the material allows it."
)


def _label(level: str) -> str:
    return str(dict(Confidentiality.choices).get(level, level)).lower()


def clearance_rules(task: Task, now: dt.datetime) -> list[EligibilityRule]:
    level = task.effective_confidentiality
    if level == ConfidentialityLevel.PUBLIC.value:
        return []
    engagement = task.engagement
    # Unordered: the model's order by name would join every user (index kpo_expert_org_clearance).
    experts = ExpertProfile.objects.filter(
        organisation_id__in=[engagement.provider_id, engagement.client_id]
    ).order_by()
    requirement = _("needs clearance for %(level)s material") % {"level": _label(level)}
    if level == ConfidentialityLevel.RESTRICTED.value:
        allowed = experts.filter(clearance=ConfidentialityLevel.RESTRICTED.value).values_list("id", flat=True)
        return [
            ExpertSetRule(
                name=RULE,
                requirement=requirement,
                listed=frozenset(allowed),
                allow=True,
                default_detail=_("is not cleared for restricted material"),
            )
        ]
    below = [value for value in LEVELS if rank(value) < rank(level)]
    excluded = dict(experts.filter(clearance__in=below).values_list("id", "clearance"))
    return [
        ExpertSetRule(
            name=RULE,
            requirement=requirement,
            listed=frozenset(excluded),
            allow=False,
            details={
                pk: _("holds clearance for %(held)s material only") % {"held": _label(held)}
                for pk, held in excluded.items()
            },
            default_detail=_("is not cleared for this level"),
        )
    ]
