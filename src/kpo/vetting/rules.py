"""Matching rules from vetting and the passport (registered in VettingConfig.ready()).

- "vetting": experts vetted on kpo who are not active in vetting, whose re-verification is due, or
  whose verified degrees and licences have all expired. Each is listed with the reason, so an
  expired credential excludes an expert with that reason, never silently. Experts without a record
  and without credentials on kpo are not listed (onboarded directly by their provider).
- "passport": when the engagement has passport requirements, only the experts whose passport meets
  them pass; those with a passport that falls short are told why (the engine's reasons).

Both are `ExpertSetRule`s built from a few queries over the (small) set of experts with vetting data,
never over every expert.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kpo.core.clock import installation_date
from kpo.engine.matching import EligibilityRule, ExpertSetRule
from kpo.engine.passport import PassportRequirements, passport_meets
from kpo.engine.vetting import VettingState
from kpo.experts.models import DegreeLevelChoice
from kpo.matching.rule_registry import register_rule_label, register_rule_provider
from kpo.vetting.models import EngagementRequirements, VettingStateChoice
from kpo.vetting.selectors import (
    engagement_requirements,
    experts_with_expired_credentials,
    passport_holders,
    passports_of,
    requirements_for_engine,
    vetting_exclusions,
)
from kpo.work.access import overflow_organisation_ids
from kpo.work.models import Task

BASELINE = PassportRequirements(require_platform_terms=False, require_verified_credential=True)


def _day(value: dt.date) -> str:
    return date_format(value, "DATE_FORMAT")


def vetting_rule(today: dt.date) -> ExpertSetRule | None:
    """None when nobody is excluded (the pool report then shows no empty step)."""
    details: dict[int, str] = {}
    labels = dict(VettingStateChoice.choices)
    for expert_id, state, due in vetting_exclusions(today):
        if state == VettingState.ACTIVE:
            details[expert_id] = (
                _("re-verification was due on %(date)s") % {"date": _day(due)}
                if due is not None
                else _("the credentials were never verified")
            )
        elif state == VettingState.SUSPENDED:
            details[expert_id] = _("suspended in vetting")
        elif state == VettingState.REJECTED:
            details[expert_id] = _("rejected in vetting")
        else:
            details[expert_id] = _("still in vetting (%(state)s)") % {"state": labels.get(state, state)}
    expired = experts_with_expired_credentials(today) - set(details)
    if expired:
        for expert_id, passport in passports_of(expired).items():
            reasons = passport_meets(passport, BASELINE, today)
            details[expert_id] = " ".join(reasons) or _("a credential has expired")
    if not details:
        return None
    return ExpertSetRule(
        name="vetting",
        requirement=_("vetted and current: active, re-verified in time, with a valid degree or licence"),
        listed=frozenset(details),
        allow=False,
        details=details,
        default_detail=_("not vetted"),
    )


def requirements_text(requirements: EngagementRequirements) -> str:
    parts: list[str] = []
    if requirements.require_platform_terms:
        parts.append(_("platform terms signed"))
    if requirements.min_degree_level:
        parts.append(
            _("a verified %(level)s or above")
            % {"level": dict(DegreeLevelChoice.choices)[requirements.min_degree_level]}
        )
    elif requirements.require_verified_credential:
        parts.append(_("a verified degree or licence"))
    for licence in requirements.licence_list:
        parts.append(_("a verified %(licence)s") % {"licence": licence})
    if requirements.background_check_max_age_months:
        parts.append(
            _("a clear background check under %(months)s months old")
            % {"months": requirements.background_check_max_age_months}
        )
    for training in requirements.training_list:
        parts.append(_("training %(name)s") % {"name": training})
    return _("the engagement's passport requirements: %(list)s") % {"list": "; ".join(parts)}


def passport_rule(task: Task, today: dt.date) -> ExpertSetRule | None:
    requirements = engagement_requirements(task.engagement)
    if requirements is None or not requirements.is_strict:
        return None
    engine_requirements = requirements_for_engine(requirements)
    engagement = task.engagement
    organisations = {engagement.provider_id, engagement.client_id} | overflow_organisation_ids(engagement)
    holders = passport_holders(sorted(organisations))
    allowed: set[int] = set()
    details: dict[int, str] = {}
    for expert_id, passport in passports_of(holders).items():
        reasons = passport_meets(passport, engine_requirements, today)
        if reasons:
            details[expert_id] = " ".join(reasons)
        else:
            allowed.add(expert_id)
    return ExpertSetRule(
        name="passport",
        requirement=requirements_text(requirements),
        listed=frozenset(allowed),
        allow=True,
        details=details,
        default_detail=_("has no compliance passport on kpo"),
    )


def vetting_rule_provider(task: Task, now: dt.datetime) -> Sequence[EligibilityRule]:
    today = installation_date(now)
    rules: list[EligibilityRule] = []
    vetting = vetting_rule(today)
    if vetting is not None:
        rules.append(vetting)
    passport = passport_rule(task, today)
    if passport is not None:
        rules.append(passport)
    return rules


def register() -> None:
    register_rule_provider(vetting_rule_provider)
    register_rule_label(
        "vetting",
        gettext_lazy("Vetting"),
        gettext_lazy(
            "Only experts whose vetting is not current are left: ask the provider to re-verify their "
            "credentials or finish their vetting."
        ),
    )
    register_rule_label(
        "passport",
        gettext_lazy("Compliance passport"),
        gettext_lazy(
            "Nobody left has a passport that meets this engagement's requirements: ask the provider to "
            "complete their experts' passports, or relax the requirements."
        ),
    )
