"""What the matcher reads from the database: every expert as an `ExpertRecord`, a task as `TaskRequirements`.

`expert_records(now)` reads ALL experts with one `values_list` query per table (profiles with their
users, organisations, domains, skills, degrees, languages, open assignments) and groups the rows in
Python: no query per expert, so 100,000 experts take seconds, not minutes. Everything that needs the
clock, the time-zone database or exchange rates is resolved here, at `now`:

- utc_offset: the profile's time zone at `now` (one zoneinfo lookup per distinct zone);
- bill_rate: the provider's rate-card line valid on `now`'s date for the expert's occupation and
  seniority when there is one (kpo.economics.commercials.selectors.rate_cards, one query for all
  experts), else the profile's; converted to EUR with the shipped ECB reference rate of `now`'s date
  (the latest on or before it; one lookup per currency). A currency the ECB table does not quote
  cannot be compared: its experts get bill rate 0 and the tag "rate:unconverted" (cost is then not
  held against them);
- assigned_hours: the planned hours of the expert's assignments on tasks in an open state;
- owner_client_id: the expert's organisation when it is a client; for a captive subsidiary its parent;
- degree_rank: the best degree held. Every degree counts, verified or not (verification belongs to
  the vetting and quality rules, not to this one).

- quality_mean / quality_lower: the expert's overall quality score and the lower bound of its credible
  interval, from the cached table kpo.quality keeps current (one indexed query); None without evidence.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib.resources import files
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Sum

from kpo.core.clock import installation_date
from kpo.economics.commercials.selectors.rate_cards import bill_rates_on
from kpo.engine.costing.errors import CostingInputError
from kpo.engine.costing.rates import EcbRates
from kpo.engine.matching import (
    ExpertRecord,
    TaskRequirements,
    cefr_index,
    degree_rank,
    window_weeks,
    working_window_utc,
)
from kpo.experts.models import Degree, ExpertDomain, ExpertLanguage, ExpertProfile, ExpertSkill, ExpertStatus
from kpo.matching.bench import bench_names
from kpo.matching.models import DEFAULT_SKILLS_SHARE, MatchingWeights
from kpo.orgs.models import Organisation, OrganisationKind, ProviderType
from kpo.quality.selectors import quality_columns
from kpo.work.access import staffing_organisation_ids
from kpo.work.models import OPEN_STATUS_VALUES, Assignment, Task, TaskStatus, TimeEntry, TimeEntryStatus

BASE_CURRENCY = "EUR"
UNCONVERTED_TAG = "rate:unconverted"


# --- reference data: exchange rates and time zones, cached per process ---------------------------


@lru_cache(maxsize=1)
def ecb_rates() -> EcbRates:
    """The ECB reference rates shipped in kpo/data/ecb_rates.csv, read once per process."""
    return EcbRates.from_csv(files("kpo").joinpath("data", "ecb_rates.csv").read_text(encoding="utf-8"))


class EurConverter:
    """Amounts in any currency to EUR at one date; one rate lookup per currency."""

    def __init__(self, on: dt.date, rates: EcbRates | None = None) -> None:
        self.on = on
        self.rates = rates or ecb_rates()
        self._per_eur: dict[str, Decimal | None] = {BASE_CURRENCY: Decimal(1)}

    def per_eur(self, currency: str) -> Decimal | None:
        """Units of `currency` per 1 EUR on the date (the latest shipped on or before it), or None."""
        code = (currency or "").strip().upper()
        if code not in self._per_eur:
            rate: Decimal | None = None
            if code in self.rates.quoted:
                try:
                    rate = self.rates.rate_on([code], self.on)[1][code]
                except CostingInputError:  # the date is before the first quote: use the earliest one
                    rate = next(
                        (
                            self.rates.daily[day][code]
                            for day in self.rates.days
                            if code in self.rates.daily[day]
                        ),
                        None,
                    )
            self._per_eur[code] = rate
        return self._per_eur[code]

    def to_eur(self, amount: Decimal, currency: str) -> float | None:
        rate = self.per_eur(currency)
        if rate is None or rate <= 0:
            return None
        return float(amount / rate)


class UtcOffsets:
    """Hours east of UTC of each time zone at one moment; one zoneinfo lookup per zone."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now if now.tzinfo is not None else now.replace(tzinfo=dt.UTC)
        self._offsets: dict[str, float] = {}

    def __call__(self, zone: str) -> float:
        offset = self._offsets.get(zone)
        if offset is None:
            try:
                delta = self.now.astimezone(ZoneInfo(zone)).utcoffset()
            except (ZoneInfoNotFoundError, ValueError):
                delta = None
            offset = self._offsets[zone] = 0.0 if delta is None else delta.total_seconds() / 3600.0
        return offset


# --- experts ------------------------------------------------------------------------------------------


def owner_clients() -> dict[int, int | None]:
    """{organisation id: the client whose own staff its experts are}: a client itself, a captive's parent."""
    owners: dict[int, int | None] = {}
    for pk, kind, provider_type, parent_id in Organisation.objects.values_list(
        "id", "kind", "provider_type", "parent_id"
    ):
        if kind == OrganisationKind.CLIENT:
            owners[pk] = pk
        elif provider_type == ProviderType.CAPTIVE:
            owners[pk] = parent_id
        else:
            owners[pk] = None
    return owners


def _grouped(rows: Iterable[tuple[int, ...]]) -> dict[int, list[tuple[object, ...]]]:
    grouped: dict[int, list[tuple[object, ...]]] = defaultdict(list)
    for expert_id, *rest in rows:
        grouped[expert_id].append(tuple(rest))
    return grouped


def assigned_hours_by_expert() -> dict[int, float]:
    """Planned hours of every expert's assignments on tasks in an open state."""
    rows = (
        Assignment.objects.filter(task__status__in=OPEN_STATUS_VALUES)
        .values("expert_id")
        .annotate(hours=Sum("planned_hours"))
        .values_list("expert_id", "hours")
    )
    return {expert_id: float(hours or 0) for expert_id, hours in rows}


def expert_records(now: dt.datetime, *, expert_ids: Iterable[int] | None = None) -> list[ExpertRecord]:
    """Every expert (or only `expert_ids`) as the matcher sees them at `now`, in a fixed number of queries."""
    profiles = ExpertProfile.objects.all()
    domains = ExpertDomain.objects.all()
    skills = ExpertSkill.objects.all()
    degrees = Degree.objects.all()
    languages = ExpertLanguage.objects.all()
    if expert_ids is not None:
        wanted = list(expert_ids)
        profiles = profiles.filter(id__in=wanted)
        domains = domains.filter(expert_id__in=wanted)
        skills = skills.filter(expert_id__in=wanted)
        degrees = degrees.filter(expert_id__in=wanted)
        languages = languages.filter(expert_id__in=wanted)
    owners = owner_clients()
    domains_of: dict[int, set[str]] = defaultdict(set)
    for expert_id, domain in domains.values_list("expert_id", "domain").iterator(chunk_size=20_000):
        domains_of[expert_id].add(domain)
    skills_of: dict[int, dict[int, int]] = defaultdict(dict)
    for expert_id, skill_id, proficiency in skills.values_list(
        "expert_id", "skill_id", "proficiency"
    ).iterator(chunk_size=20_000):
        skills_of[expert_id][skill_id] = proficiency
    rank_of: dict[str, int] = {}
    degree_of: dict[int, int] = {}
    for expert_id, level in degrees.values_list("expert_id", "level").iterator(chunk_size=20_000):
        rank = rank_of.get(level)
        if rank is None:
            try:
                rank = rank_of[level] = degree_rank(level)
            except ValueError:
                rank = rank_of[level] = 0
        if rank > degree_of.get(expert_id, 0):
            degree_of[expert_id] = rank
    cefr_of: dict[str, int] = {}
    languages_of: dict[int, dict[str, int]] = defaultdict(dict)
    for expert_id, code, level in languages.values_list("expert_id", "language", "level").iterator(
        chunk_size=20_000
    ):
        index = cefr_of.get(level)
        if index is None:
            try:
                index = cefr_of[level] = cefr_index(level)
            except ValueError:
                continue
        languages_of[expert_id][code.lower()] = index
    assigned = assigned_hours_by_expert()
    offsets = UtcOffsets(now)
    today = installation_date(now)
    converter = EurConverter(today)
    card_rates = bill_rates_on(today)  # rate-card lines valid today, one query (kpo.economics)
    quality = quality_columns()  # {expert id: (mean, lower)}, one query (kpo.quality)
    records: list[ExpertRecord] = []
    rows = profiles.values_list(
        "id",
        "organisation_id",
        "internal",
        "status",
        "user__is_active",
        "time_zone",
        "weekly_capacity_hours",
        "bill_rate",
        "rate_currency",
        "country",
        "occupation_id",
        "seniority",
    ).order_by("id")
    for (
        pk,
        org_id,
        internal,
        status,
        user_active,
        zone,
        capacity,
        bill,
        currency,
        country,
        occupation_id,
        seniority,
    ) in rows.iterator(chunk_size=20_000):
        if card_rates and occupation_id is not None:
            bill, currency = card_rates.get((org_id, occupation_id, seniority), (bill, currency))
        rate = converter.to_eur(bill, currency)
        offset = offsets(zone)
        records.append(
            ExpertRecord(
                id=pk,
                organisation_id=org_id,
                internal=bool(internal),
                owner_client_id=owners.get(org_id),
                active=status == ExpertStatus.ACTIVE and bool(user_active),
                domains=frozenset(domains_of.get(pk, ())),
                skills=skills_of.get(pk, {}),
                degree_rank=degree_of.get(pk, 0),
                languages=languages_of.get(pk, {}),
                utc_offset=offset if -14.0 <= offset <= 14.0 else 0.0,
                weekly_capacity_hours=float(capacity),
                assigned_hours=assigned.get(pk, 0.0),
                bill_rate=rate if rate is not None and math.isfinite(rate) else 0.0,
                country=country,
                tags=frozenset() if rate is not None else frozenset({UNCONVERTED_TAG}),
                quality_mean=quality[pk][0] if pk in quality else None,
                quality_lower=quality[pk][1] if pk in quality else None,
            )
        )
    return records


# --- one task -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequirementsContext:
    """What `task_requirements` read besides the requirements themselves (shown on the page)."""

    requirements: TaskRequirements
    weights: MatchingWeights
    """The client's saved settings, or unsaved defaults."""
    budget_per_hour_native: Decimal | None
    """The engagement's budget per hour of effort in its own currency (before conversion)."""
    skill_labels: Mapping[int, str]
    """The ESCO labels of the required skills."""
    bench_names: Mapping[int, str] = field(default_factory=dict)
    """{expert id: the client's benches they are on}."""


def skills_needed(share: Decimal, required: int) -> int:
    """How many of `required` skills an eligible expert must hold: ceil(share x required)."""
    if required <= 0:
        return 0
    return min(required, math.ceil(Decimal(share) * required))


def client_settings(client_id: int) -> MatchingWeights:
    """The client's saved matching settings, or the defaults (not saved)."""
    saved = MatchingWeights.objects.filter(client_id=client_id).first()
    return (
        saved
        if saved is not None
        else MatchingWeights(client_id=client_id, min_skills_share=DEFAULT_SKILLS_SHARE)
    )


NOT_STARTED = frozenset({TaskStatus.DRAFT.value, TaskStatus.SUBMITTED.value, TaskStatus.STAFFING.value})
"""Statuses in which no time can have been logged on a task (time is logged once work is under way)."""
MIN_EFFORT_LEFT = 0.25


def effort_left(task: Task) -> float:
    """The hours a task still needs from whoever is staffed on it: its effort less the time logged on it
    (not rejected), at least a quarter hour. Hours already worked need no capacity before the due date;
    a task not yet under way costs no query."""
    if task.status in NOT_STARTED:
        return float(task.effort_hours)
    logged = (
        TimeEntry.objects.filter(task_id=task.pk)
        .exclude(status=TimeEntryStatus.REJECTED)
        .aggregate(total=Sum("hours"))["total"]
    ) or Decimal(0)
    return max(float(task.effort_hours - logged), MIN_EFFORT_LEFT)


def engagement_effort_hours(engagement_id: int) -> Decimal:
    """The effort of the engagement's tasks, cancelled ones left out."""
    total = (
        Task.objects.filter(engagement_id=engagement_id)
        .exclude(status=TaskStatus.CANCELLED)
        .aggregate(total=Sum("effort_hours"))["total"]
    )
    return Decimal(total or 0)


def requirements_context(
    task: Task, now: dt.datetime, *, organisation_ids: frozenset[int] | None = None
) -> RequirementsContext:
    """`task_requirements` with the settings and the budget figures it used. Expects
    `task.engagement` and `task.engagement.client` loaded (work.access.access_task does it).

    The task is staffed from `organisation_ids` when given (an overflow provider's own experts), else
    from the engagement's provider and the overflow provider that took the task (kpo.work.overflow).
    The client's bench members rank right after its own staff (kpo.matching.bench)."""
    engagement = task.engagement
    client = engagement.client
    settings = client_settings(engagement.client_id)
    skill_rows = list(
        task.required_skills.order_by("id").values_list("skill_id", "min_proficiency", "skill__label")
    )
    skills: Mapping[int, int] = {skill_id: level for skill_id, level, _label in skill_rows}
    languages = dict(task.languages.values_list("language", "min_level"))
    effort = engagement_effort_hours(engagement.pk)
    per_hour_native: Decimal | None = None
    per_hour: float | None = None
    if effort > 0 and engagement.budget > 0:
        per_hour_native = engagement.budget / effort
        per_hour = EurConverter(installation_date(now)).to_eur(per_hour_native, engagement.currency)
        if per_hour is not None and not (math.isfinite(per_hour) and per_hour > 0):
            per_hour = None
    benches: Mapping[int, str] = engagement.__dict__.get("_bench_names") or bench_names(engagement.client_id)
    engagement.__dict__["_bench_names"] = benches  # read once for the shortlist and the why-not
    requirements = TaskRequirements(
        domain=engagement.domain or None,
        skills=skills,
        min_skills_held=skills_needed(settings.min_skills_share, len(skills)),
        min_degree_rank=degree_rank(task.min_degree_level or None),
        languages=languages,
        effort_hours=effort_left(task),
        window_weeks=window_weeks(now, task.due_at),
        client_id=engagement.client_id,
        client_window_utc=working_window_utc(UtcOffsets(now)(client.time_zone)),
        budget_per_hour=per_hour,
        organisation_ids=organisation_ids
        if organisation_ids is not None
        else staffing_organisation_ids(task),
        bench_ids=frozenset(benches),
    )
    return RequirementsContext(
        requirements=requirements,
        weights=settings,
        budget_per_hour_native=per_hour_native,
        skill_labels={skill_id: label for skill_id, _level, label in skill_rows},
        bench_names=benches,
    )


def task_requirements(task: Task, now: dt.datetime) -> TaskRequirements:
    """What `task` asks for, at `now`: the engagement's domain and provider, the client's working day and
    skills share, the budget per hour of effort in EUR."""
    return requirements_context(task, now).requirements
