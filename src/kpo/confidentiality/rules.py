"""The matching rules "clearance" and "nda".

Clearance: an expert's clearance must be at least the task's level. One query over the experts the
organisation rule could pass anyway (the engagement's provider, the client's own staff and the
engagement's overflow providers; `organisation_id` is indexed): for a restricted task the few cleared
experts are allowed, for lower levels the few below the level are excluded.

NDA: an overflow provider's expert (kpo.work.overflow) staffs a confidential or restricted task only
after signing the current version of the client's NDA in force; the engagement's own provider signs its
NDA at the vault's door as before (kpo.confidentiality.access), so the rule lists overflow experts only.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kpo.confidentiality.access import LEVELS, nda_in_force, rank
from kpo.confidentiality.models import NdaSignature
from kpo.engine.matching import EligibilityRule, ExpertSetRule
from kpo.engine.taxonomy import ConfidentialityLevel
from kpo.experts.models import ExpertProfile
from kpo.work.access import overflow_organisation_ids
from kpo.work.models import Confidentiality, Task

RULE = "clearance"
NDA_RULE = "nda"
NDA_LABEL = gettext_lazy("NDA")
NDA_ADVICE = gettext_lazy(
    "The overflow provider's experts left have not signed the client's NDA: ask them to sign it on "
    "the NDA page before they are offered."
)
NDA_LEVELS = {ConfidentialityLevel.CONFIDENTIAL.value, ConfidentialityLevel.RESTRICTED.value}
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
    organisations = {engagement.provider_id, engagement.client_id} | overflow_organisation_ids(engagement)
    experts = ExpertProfile.objects.filter(organisation_id__in=sorted(organisations)).order_by()
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


def nda_rules(task: Task, now: dt.datetime) -> list[EligibilityRule]:
    """Overflow providers' experts who have not signed the client's NDA in force are left out of a
    confidential or restricted task (no rule when there is no overflow provider or no NDA in force)."""
    if task.effective_confidentiality not in NDA_LEVELS:
        return []
    engagement = task.engagement
    overflow = overflow_organisation_ids(engagement) - {engagement.provider_id, engagement.client_id}
    if not overflow:
        return []
    version = nda_in_force(engagement.client_id)
    if version is None:
        return []
    signed = NdaSignature.objects.filter(version=version, signer__isnull=False).values("signer_id")
    unsigned = (
        ExpertProfile.objects.filter(organisation_id__in=sorted(overflow))
        .exclude(user_id__in=signed)
        .order_by()
        .values_list("id", flat=True)
    )
    return [
        ExpertSetRule(
            name=NDA_RULE,
            requirement=_("an overflow provider's expert must have signed the client's NDA (version %(n)s)")
            % {"n": version.number},
            listed=frozenset(unsigned),
            allow=False,
            default_detail=_("has not signed the client's NDA in force"),
        )
    ]
