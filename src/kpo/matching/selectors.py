"""Reads for matching: a task's shortlist, why one expert is not on it, a client's weights.

Call these after the access helpers in kpo.matching.access (they do not check access themselves,
except that display data is read through what the viewer may see).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

import numpy as np
import numpy.typing as npt
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kpo.core.formatting import number
from kpo.core.types import AnyUser
from kpo.engine.matching import (
    COMPONENTS,
    Assessment,
    EligibilityRule,
    ExpertIndex,
    ExpertRecord,
    PoolReport,
    RuleCount,
    ScoreWeights,
    Shortlist,
    ShortlistEntry,
    TaskRequirements,
    affinities_from,
    assess,
    eligibility,
    shortlist,
)
from kpo.engine.matching.index import BoolArray
from kpo.engine.matching.rules import is_client_staff
from kpo.experts.access import experts_visible_to
from kpo.experts.models import ExpertProfile
from kpo.matching.embeddings import affinities_for as embedding_affinities
from kpo.matching.embeddings import affinity_scores
from kpo.matching.explain import Names, component_text, failure_text, requirement_text
from kpo.matching.index_cache import expert_index
from kpo.matching.labels import COMPONENT_HELP, component_label, rule_advice, rule_label
from kpo.matching.models import MatchingWeights
from kpo.matching.records import (
    RequirementsContext,
    client_settings,
    expert_records,
    requirements_context,
)
from kpo.matching.rule_registry import rules_for_task
from kpo.quality.selectors import quality_in_domain
from kpo.work.models import Task

DEFAULT_N = 10
MAX_N = 50
SEARCH_LIMIT = 10


# --- the affinity seam ------------------------------------------------------------------------------


def affinities_for(task: Task) -> dict[int, float] | None:
    """Text affinity of each expert to `task` in [0, 1], {expert id: value}; None: neutral for everyone.

    From the experts' stored embeddings (kpo.matching.embeddings); experts without work samples are
    left out (neutral), and everyone is neutral while no expert has embeddings.
    """
    return embedding_affinities(task)


def affinity_column(task: Task, index: ExpertIndex, eligible: BoolArray) -> npt.NDArray[np.float64] | None:
    """Text affinities in index row order (NaN: unknown), computed for the `eligible` rows only: the
    others are never ranked, and scoring 100,000 experts' texts per request would cost more than the
    whole rest of the shortlist. None: neutral for everyone (no embeddings, no backend)."""
    found = affinity_scores(task, index.ids[eligible])
    if found is None:
        return None
    ids, values = found
    column = np.full(index.size, np.nan)
    column[np.searchsorted(index.ids, ids)] = values
    return column


# --- a rule that exists only on this side: the client's own staff, hidden from the provider ---------


class ClientStaffHiddenRule:
    """Leaves out the client's own internal staff, for viewers who may not see them (provider managers)."""

    name = "client_staff_hidden"
    relaxable = False

    def reason(self, task: TaskRequirements) -> str:
        return "the client's own staff are listed only for the client"

    def mask(self, index: ExpertIndex, task: TaskRequirements) -> BoolArray:
        if task.client_id is None:
            return np.ones(index.size, dtype=np.bool_)
        staff: BoolArray = index.internal & (index.owner_client == task.client_id)
        return ~staff

    def check(self, expert: ExpertRecord, task: TaskRequirements) -> str | None:
        if is_client_staff(expert, task):
            return "one of the client's own staff, listed only for the client"
        return None


# --- display data -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpertCard:
    id: int
    name: str
    headline: str
    organisation_id: int
    organisation_name: str
    country: str


def expert_cards(ids: list[int], viewer: AnyUser | None = None) -> dict[int, ExpertCard]:
    """Names and organisations of the experts `ids` (those the viewer may see), in ONE query."""
    if not ids:
        return {}
    base = experts_visible_to(viewer) if viewer is not None else ExpertProfile.objects.all()
    rows = base.filter(id__in=ids).values_list(
        "id",
        "user__first_name",
        "user__last_name",
        "user__username",
        "headline",
        "organisation_id",
        "organisation__name",
        "country",
    )
    cards = {}
    for pk, first, last, username, headline, org_id, org_name, country in rows:
        name = f"{first} {last}".strip() or username
        cards[pk] = ExpertCard(pk, name, headline, org_id, org_name, country)
    return cards


@dataclass(frozen=True)
class ComponentLine:
    component: str
    label: str
    help: str
    value: float
    weight: float
    text: str

    @property
    def percent(self) -> int:
        return round(self.value * 100)

    @property
    def contribution(self) -> float:
        return self.value * self.weight


def component_lines(
    entry: ShortlistEntry | Assessment,
    expert: ExpertRecord,
    task: TaskRequirements,
    names: Names,
    *,
    affinity_known: bool,
) -> list[ComponentLine]:
    return [
        ComponentLine(
            component=line.component,
            label=component_label(line.component),
            help=str(COMPONENT_HELP.get(line.component, "")),
            value=line.value,
            weight=line.weight,
            text=component_text(
                line.component,
                line.value,
                expert,
                task,
                names,
                affinity_known=affinity_known,
                fallback=line.text,
            ),
        )
        for line in entry.explanation.lines
    ]


@dataclass(frozen=True)
class ShortlistRow:
    entry: ShortlistEntry
    expert: ExpertCard
    roles_on_task: tuple[str, ...]
    lines: list[ComponentLine]
    bench: str = field(default="", kw_only=True)
    """The client's benches the expert is on (empty: none, or not the client's to show)."""

    @property
    def percent(self) -> int:
        return round(self.entry.total * 100)


@dataclass(frozen=True)
class PoolStep:
    rule: str
    label: str
    reason: str
    excluded: int
    remaining: int
    excluded_alone: int


def pool_steps(report: PoolReport, task: TaskRequirements, names: Names) -> list[PoolStep]:
    return [
        PoolStep(
            rule=step.rule,
            label=rule_label(step.rule),
            reason=requirement_text(step.rule, task, names, fallback=step.reason),
            excluded=step.excluded,
            remaining=step.remaining,
            excluded_alone=step.excluded_alone,
        )
        for step in report.steps
    ]


def _step(report: PoolReport, rule: str) -> RuleCount | None:
    return next((step for step in report.steps if step.rule == rule), None)


@dataclass(frozen=True)
class TaskShortlist:
    """The shortlist of one task as one viewer sees it, with everything its page and the API show."""

    task: Task
    requirements: TaskRequirements
    settings: MatchingWeights
    budget_per_hour_native: Decimal | None
    skill_labels: Mapping[int, str]
    result: Shortlist
    rows: tuple[ShortlistRow, ...]
    n: int
    hidden_client_staff: int
    """Eligible client staff left out because this viewer may not see them."""
    affinity_known: bool
    names: Names

    @property
    def required_skills(self) -> list[tuple[str, int]]:
        """(label, minimum proficiency) of each required skill."""
        return [
            (self.skill_labels.get(skill_id, str(skill_id)), level)
            for skill_id, level in self.requirements.skills.items()
        ]

    @property
    def required_languages(self) -> list[tuple[str, str]]:
        return sorted(self.requirements.languages.items())

    @property
    def budget_per_hour_eur(self) -> float | None:
        return self.requirements.budget_per_hour

    @property
    def window_days(self) -> float:
        return self.requirements.window_weeks * 7

    @property
    def report(self) -> PoolReport:
        return self.result.pool_report

    @property
    def weights(self) -> ScoreWeights:
        return self.result.weights

    @property
    def eligible(self) -> int:
        return self.result.eligible

    @property
    def total(self) -> int:
        return self.report.total

    @cached_property
    def steps(self) -> list[PoolStep]:
        return pool_steps(self.report, self.requirements, self.names)

    @property
    def exclusions(self) -> list[PoolStep]:
        return [step for step in self.steps if step.excluded]

    @property
    def emptied_by(self) -> str | None:
        return self.report.emptied_by

    @property
    def emptied_by_label(self) -> str:
        return rule_label(self.emptied_by) if self.emptied_by else ""

    @property
    def emptied_by_reason(self) -> str:
        step = next((step for step in self.steps if step.rule == self.emptied_by), None)
        return step.reason if step else ""

    @property
    def relax_rules(self) -> tuple[str, ...]:
        """The smallest set of rules whose relaxation restores candidates (empty when some are eligible
        or when no relaxation helps)."""
        relaxation = self.report.relaxation
        return relaxation.rules if relaxation is not None else ()

    @property
    def relax_restores(self) -> int:
        relaxation = self.report.relaxation
        return relaxation.restored if relaxation is not None else 0

    @property
    def advice(self) -> str:
        """What to relax, computed over every expert's failures: the smallest set of rules, how many
        experts relaxing it would make eligible, and how to relax each rule."""
        if not self.emptied_by:
            return ""
        if not self.relax_rules:
            return rule_advice(self.emptied_by) or str(
                _(
                    "No relaxation of the task's requirements helps: nobody of the engagement's "
                    "provider is left."
                )
            )
        labels = ", ".join(rule_label(rule).lower() for rule in self.relax_rules)
        text = ngettext(
            "Relax %(rules)s: %(count)s expert would then be eligible.",
            "Relax %(rules)s: %(count)s experts would then be eligible.",
            self.relax_restores,
        ) % {"rules": labels, "count": number(self.relax_restores, 0)}
        hints = " ".join(rule_advice(rule) for rule in self.relax_rules if rule_advice(rule))
        hidden = rule_advice(self.emptied_by) if self.emptied_by == ClientStaffHiddenRule.name else ""
        return " ".join(part for part in (hidden, text, hints) if part)

    @property
    def message(self) -> str:
        """One paragraph on the pool: how many are eligible and what excluded the others, or which
        rule emptied it and what to relax."""
        if self.total == 0:
            return _("There are no experts on the platform yet.")
        excluded = ", ".join(f"{step.label.lower()} {step.excluded}" for step in self.exclusions)
        if self.eligible:
            text = ngettext(
                "%(eligible)s of %(total)s experts is eligible.",
                "%(eligible)s of %(total)s experts are eligible.",
                self.eligible,
            ) % {"eligible": self.eligible, "total": self.total}
            return f"{text} {_('Excluded by: %(rules)s.') % {'rules': excluded}}" if excluded else text
        text = _(
            "No expert is eligible for this task. The rule that emptied the pool: %(rule)s (%(reason)s)."
        ) % {
            "rule": self.emptied_by_label,
            "reason": self.emptied_by_reason,
        }
        return f"{text} {self.advice}".strip()

    @property
    def weight_lines(self) -> list[tuple[str, str, float, float]]:
        """(component, label, weight as set, normalised weight) for the explanation of the weights."""
        raw = self.weights.as_dict()
        normalised = self.weights.normalised()
        return [(name, component_label(name), raw[name], normalised[name]) for name in COMPONENTS]


_DomainViews = dict[str, tuple[ExpertIndex, dict[int, tuple[float, float | None]], ExpertIndex]]
_DOMAIN_VIEWS: _DomainViews = {}
_DOMAIN_VIEWS_LOCK = threading.Lock()


def index_for_task(index: ExpertIndex, requirements: TaskRequirements) -> ExpertIndex:
    """The experts as one task sees them: each expert's quality score in the task's domain where they
    have one (kpo.quality keeps one per domain), else their overall score.

    The scores are read every time; the copy of the index they make (100,000 records) is kept per
    domain and reused while the index and the scores are the same (views of an older index are dropped).
    """
    domain = requirements.domain or ""
    scores = quality_in_domain(domain)
    held = _DOMAIN_VIEWS.get(domain)
    if held is not None and held[0] is index and held[1] == scores:
        return held[2]
    view = index.with_quality(scores)
    with _DOMAIN_VIEWS_LOCK:
        for stale in [key for key, (base, _s, _v) in _DOMAIN_VIEWS.items() if base is not index]:
            del _DOMAIN_VIEWS[stale]
        _DOMAIN_VIEWS[domain] = (index, scores, view)
    return view


def score_weights_of(settings: MatchingWeights) -> ScoreWeights:
    """The client's weights; the defaults when the saved ones are broken (e.g. edited by hand)."""
    try:
        return settings.score_weights
    except (TypeError, ValueError):
        return ScoreWeights()


@dataclass(frozen=True)
class TaskScoring:
    """What scoring experts for one task needs, read once: its requirements, the client's weights, the
    index as the task sees it, the rules (the client's staff left out for viewers who may not see them)
    and the text affinities."""

    context: RequirementsContext
    weights: ScoreWeights
    index: ExpertIndex
    rules: tuple[EligibilityRule, ...]
    eligible: tuple[BoolArray, PoolReport]
    affinities: npt.NDArray[np.float64] | None
    names: Names

    @property
    def requirements(self) -> TaskRequirements:
        return self.context.requirements


def task_scoring(
    task: Task,
    now: dt.datetime,
    *,
    sees_client_staff: bool,
    organisation_ids: frozenset[int] | None = None,
) -> TaskScoring:
    context = requirements_context(task, now, organisation_ids=organisation_ids)
    index = index_for_task(expert_index(now), context.requirements)
    rules: tuple[EligibilityRule, ...] = rules_for_task(task, now)
    if not sees_client_staff:
        rules = (*rules, ClientStaffHiddenRule())
    eligible = eligibility(
        index, context.requirements, rules
    )  # once: the affinities and the ranking share it
    return TaskScoring(
        context=context,
        weights=score_weights_of(context.weights),
        index=index,
        rules=rules,
        eligible=eligible,
        affinities=affinity_column(task, index, eligible[0]),
        names=Names(provider=task.engagement.provider.name, skills=context.skill_labels),
    )


def hidden_client_staff(report: PoolReport) -> int:
    """Eligible client staff the rules left out because the viewer may not see them."""
    step = _step(report, ClientStaffHiddenRule.name)
    return step.excluded if step else 0


def roles_on_task(task: Task, expert_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """The roles each of `expert_ids` already holds on `task` (one query)."""
    roles: dict[int, list[str]] = defaultdict(list)
    if expert_ids:
        for expert_id, role in task.assignments.filter(expert_id__in=expert_ids).values_list(
            "expert_id", "role"
        ):
            roles[expert_id].append(role)
    return {expert_id: tuple(sorted(held)) for expert_id, held in roles.items()}


def shortlist_for_task(
    task: Task,
    n: int = DEFAULT_N,
    *,
    now: dt.datetime,
    viewer: AnyUser | None = None,
    sees_client_staff: bool = True,
    organisation_ids: frozenset[int] | None = None,
) -> TaskShortlist:
    """The top `n` (1..MAX_N) eligible experts for `task`, the client's own staff first, then the
    client's bench members.

    `sees_client_staff=False` (a provider manager) leaves the client's own staff out and counts them.
    With a `viewer`, display data is read through what the viewer may see. `organisation_ids`: staff
    from these organisations (an overflow provider's own) instead of the engagement's provider.
    """
    n = max(1, min(int(n), MAX_N))
    scoring = task_scoring(task, now, sees_client_staff=sees_client_staff, organisation_ids=organisation_ids)
    context, requirements, index = scoring.context, scoring.requirements, scoring.index
    affinities = scoring.affinities
    result = shortlist(
        index, requirements, scoring.weights, affinities, n, rules=scoring.rules, eligible=scoring.eligible
    )
    hidden = hidden_client_staff(result.pool_report)
    names = scoring.names
    known = affinities is not None
    ids = result.expert_ids
    cards = expert_cards(ids, viewer)
    roles = roles_on_task(task, ids)
    rows = []
    for entry in result.entries:
        card = cards.get(entry.expert_id)
        if card is None:  # not visible to the viewer (the rules above should already leave them out)
            hidden += 1
            continue
        rows.append(
            ShortlistRow(
                entry=entry,
                expert=card,
                roles_on_task=roles.get(entry.expert_id, ()),
                lines=component_lines(
                    entry, index.record(entry.expert_id), requirements, names, affinity_known=known
                ),
                bench=context.bench_names.get(entry.expert_id, "") if entry.on_bench else "",
            )
        )
    return TaskShortlist(
        task=task,
        requirements=requirements,
        settings=context.weights,
        budget_per_hour_native=context.budget_per_hour_native,
        skill_labels=context.skill_labels,
        result=result,
        rows=tuple(rows),
        n=n,
        hidden_client_staff=hidden,
        affinity_known=known,
        names=names,
    )


@dataclass(frozen=True)
class FailureLine:
    rule: str
    label: str
    reason: str
    detail: str


@dataclass(frozen=True)
class WhyNot:
    """One expert against one task: the rules they fail (none: eligible) and how they would score."""

    task: Task
    expert: ExpertProfile
    requirements: TaskRequirements
    assessment: Assessment
    weights: ScoreWeights
    failures: list[FailureLine] = field(default_factory=list)
    lines: list[ComponentLine] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return self.assessment.eligible

    @property
    def percent(self) -> int:
        return round(self.assessment.total * 100)


def why_not_for(task: Task, expert: ExpertProfile, *, now: dt.datetime) -> WhyNot:
    """Why `expert` is (not) eligible for `task`, and the score they would get. Look the expert up with
    kpo.experts.access.access_expert first (404 when the user may not see them)."""
    context = requirements_context(task, now)
    weights = score_weights_of(context.weights)
    index = expert_index(now)
    if index.find_row(expert.pk) is None:  # newer than the index: assess them on their own
        index = ExpertIndex.build(expert_records(now, expert_ids=[expert.pk]))
    index = index_for_task(index, context.requirements)
    by_expert = embedding_affinities(task, expert_ids=[expert.pk])
    affinities = affinities_from(index, by_expert) if by_expert is not None else None
    assessment = assess(
        index, context.requirements, expert.pk, weights, affinities, rules=rules_for_task(task, now)
    )
    record = index.record(expert.pk)
    names = Names(
        provider=task.engagement.provider.name,
        skills=context.skill_labels,
        organisations={expert.organisation_id: expert.organisation.name},
    )
    failures = [
        FailureLine(
            rule=f.rule,
            label=rule_label(f.rule),
            reason=requirement_text(f.rule, context.requirements, names, fallback=f.reason),
            detail=failure_text(f.rule, record, context.requirements, names, fallback=f.detail),
        )
        for f in assessment.failures
    ]
    return WhyNot(
        task=task,
        expert=expert,
        requirements=context.requirements,
        assessment=assessment,
        weights=weights,
        failures=failures,
        lines=component_lines(
            assessment, record, context.requirements, names, affinity_known=by_expert is not None
        ),
    )


def expert_search(user: AnyUser, q: str, *, limit: int = SEARCH_LIMIT) -> list[ExpertProfile]:
    """Experts the user may see whose name (every word of `q`) matches, by name; for the why-not lookup."""
    words = [word for word in q.split() if word][:5]
    if not words:
        return []
    queryset: QuerySet[ExpertProfile] = experts_visible_to(user)
    for word in words:
        queryset = queryset.filter(Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word))
    return list(
        queryset.select_related("user", "organisation").order_by("user__last_name", "user__first_name", "id")[
            :limit
        ]
    )


def matching_settings(client_id: int) -> MatchingWeights:
    """A client's matching settings as saved, or the defaults (unsaved)."""
    return client_settings(client_id)


def pool_for_task(
    task: Task, now: dt.datetime, *, sees_client_staff: bool, organisation_ids: frozenset[int] | None = None
) -> PoolReport:
    """How the rules narrow the pool for `task` (with what to relax when nobody is left), without
    scoring anyone: what a task page needs to warn that nobody can do the task."""
    requirements = requirements_context(task, now, organisation_ids=organisation_ids).requirements
    rules: tuple[EligibilityRule, ...] = rules_for_task(task, now)
    if not sees_client_staff:
        rules = (*rules, ClientStaffHiddenRule())
    return eligibility(expert_index(now), requirements, rules)[1]
