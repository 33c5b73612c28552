"""Eligibility rules that other apps add to matching (clearance, conflicts, residency, vetting, ...).

An app registers a provider in its AppConfig.ready(): a function that, for one task at one moment,
returns the extra rules to apply (usually `ExpertSetRule`s built from a query). Every shortlist,
why-not check and staffing plan then applies them after the engine's own rules, in registration
order. The label and advice show on the matching pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from django.utils.functional import Promise

from kpo.engine.matching import DEFAULT_RULES, EligibilityRule
from kpo.matching.labels import RULE_ADVICE, RULE_LABELS

if TYPE_CHECKING:
    from kpo.work.models import Task

RuleProvider = Callable[["Task", dt.datetime], Sequence[EligibilityRule]]

_PROVIDERS: list[RuleProvider] = []


def register_rule_provider(provider: RuleProvider) -> RuleProvider:
    """Add `provider` (once; registering the same function again changes nothing)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def register_rule_label(name: str, label: Promise, advice: Promise | None = None) -> None:
    """The words the matching pages use for a rule named `name`."""
    RULE_LABELS[name] = label
    if advice is not None:
        RULE_ADVICE[name] = advice


def rules_for_task(task: Task, now: dt.datetime) -> tuple[EligibilityRule, ...]:
    """The engine's default rules followed by every registered provider's rules for `task`."""
    extra = [rule for provider in _PROVIDERS for rule in provider(task, now)]
    return (*DEFAULT_RULES, *extra)
