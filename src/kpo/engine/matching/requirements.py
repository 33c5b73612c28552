"""What a task asks for and what an expert offers, as plain numbers.

The caller (the Django side) resolves everything that needs the clock, the time-zone database or
exchange rates before it builds these records: UTC offsets are floats, rates are normalised to one
currency, the window until the due date is a number of weeks. The engine only does arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from kpo.engine.taxonomy import CEFR_LEVELS, DEGREE_RANK, PROFICIENCY_MAX, PROFICIENCY_MIN, DegreeLevel
from kpo.engine.working_day import DAY_END_HOUR, DAY_START_HOUR

NATIVE = len(CEFR_LEVELS) - 1
"""The CEFR index of a native speaker (the top of the scale)."""

MAX_DEGREE_RANK = max(DEGREE_RANK.values())
DEGREE_NAMES: dict[int, str] = {0: "no degree", 1: "bachelor", 2: "master", 3: "doctorate"}
HOURS_PER_WEEK = 168.0

_CEFR_BY_NAME = {level.lower(): index for index, level in enumerate(CEFR_LEVELS)}


def cefr_index(level: str) -> int:
    """The position of a CEFR level on the scale A1 (0) … C2 (5), native (6); case-insensitive."""
    index = _CEFR_BY_NAME.get(str(level).strip().lower())
    if index is None:
        raise ValueError(f"Unknown CEFR level {level!r}; expected one of {', '.join(CEFR_LEVELS)}.")
    return index


def cefr_name(index: int) -> str:
    return CEFR_LEVELS[index] if 0 <= index <= NATIVE else "none"


def degree_rank(level: DegreeLevel | str | None) -> int:
    """0 for no degree, then bachelor 1, master 2, PhD and professional doctorate 3."""
    if not level:
        return 0
    try:
        return DEGREE_RANK[DegreeLevel(level)]
    except ValueError:
        raise ValueError(
            f"Unknown degree level {level!r}; expected one of {', '.join(d.value for d in DegreeLevel)}."
        ) from None


def window_weeks(now: datetime, due: datetime) -> float:
    """Weeks from `now` to `due` (negative when the due date has passed); both must be aware or naive."""
    return (due - now).total_seconds() / 3600.0 / HOURS_PER_WEEK


def working_window_utc(
    utc_offset: float, start_local: float = DAY_START_HOUR, end_local: float = DAY_END_HOUR
) -> tuple[float, float]:
    """A local working day (default kpo's 09:00-17:00) as (start, end) hours in UTC, start in [0, 24)."""
    start = (start_local - utc_offset) % 24.0
    length = (end_local - start_local) % 24.0 or 24.0
    return (start, start + length)


def _finite(name: str, value: float) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}.")
    return number


@dataclass(frozen=True)
class TaskRequirements:
    """One task's needs.

    skills: {ESCO skill id: minimum proficiency 1-5}. `min_skills_held` is how many of them an expert
    must hold at the minimum level to be eligible (None: all of them; 0: skills are only scored).
    languages: {ISO 639-1 code: minimum CEFR level name, e.g. "B2"}.
    window_weeks: the time from now to the due date in weeks (see `window_weeks()`).
    client_window_utc: the client's working day as (start, end) hours in UTC, end > start (see
    `working_window_utc()`); None when unknown.
    budget_per_hour: the bill-rate ceiling in the same currency as the experts' bill rates; None: no ceiling.
    organisation_ids: the organisations whose experts may staff the task (the engagement's provider);
    None: any. The client's own internal experts are always allowed.
    bench_ids: experts on the client's talent benches: ranked right after the client's own staff (no
    rule changes for them).
    """

    domain: str | None = None
    skills: Mapping[int, int] = field(default_factory=dict)
    min_skills_held: int | None = None
    min_degree_rank: int = 0
    languages: Mapping[str, str] = field(default_factory=dict)
    effort_hours: float = 1.0
    window_weeks: float = 4.0
    client_id: int | None = None
    client_window_utc: tuple[float, float] | None = None
    budget_per_hour: float | None = None
    organisation_ids: frozenset[int] | None = None
    skill_weights: Mapping[int, float] = field(default_factory=dict)
    bench_ids: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        skills: dict[int, int] = {}
        for skill_id, minimum in self.skills.items():
            if not PROFICIENCY_MIN <= int(minimum) <= PROFICIENCY_MAX:
                raise ValueError(
                    f"skills: the minimum proficiency of skill {skill_id} must be between "
                    f"{PROFICIENCY_MIN} and {PROFICIENCY_MAX}, got {minimum!r}."
                )
            skills[int(skill_id)] = int(minimum)
        object.__setattr__(self, "skills", skills)
        weights: dict[int, float] = {}
        for skill_id, weight in self.skill_weights.items():
            if int(skill_id) not in skills:
                raise ValueError(f"skill_weights: skill {skill_id} is not one of the required skills.")
            value = _finite(f"skill_weights[{skill_id}]", weight)
            if value <= 0:
                raise ValueError(f"skill_weights: the weight of skill {skill_id} must be positive.")
            weights[int(skill_id)] = value
        object.__setattr__(self, "skill_weights", weights)
        if self.min_skills_held is not None and self.min_skills_held < 0:
            raise ValueError("min_skills_held cannot be negative.")
        if not 0 <= self.min_degree_rank <= MAX_DEGREE_RANK:
            raise ValueError(f"min_degree_rank must be between 0 and {MAX_DEGREE_RANK}.")
        languages: dict[str, str] = {}
        for code, level in self.languages.items():
            try:
                index = cefr_index(level)
            except ValueError as error:
                raise ValueError(f"languages[{code!r}]: {error}") from None
            languages[code.strip().lower()] = CEFR_LEVELS[index]
        object.__setattr__(self, "languages", languages)
        if _finite("effort_hours", self.effort_hours) <= 0:
            raise ValueError("effort_hours must be positive.")
        _finite("window_weeks", self.window_weeks)
        if self.client_window_utc is not None:
            start, end = (_finite("client_window_utc", v) for v in self.client_window_utc)
            if not 0 < end - start <= 24:
                raise ValueError("client_window_utc must be (start, end) with 0 < end - start <= 24 hours.")
            object.__setattr__(self, "client_window_utc", (start, end))
        if self.budget_per_hour is not None and _finite("budget_per_hour", self.budget_per_hour) <= 0:
            raise ValueError("budget_per_hour must be positive (or None for no ceiling).")
        if self.organisation_ids is not None:
            object.__setattr__(self, "organisation_ids", frozenset(int(i) for i in self.organisation_ids))
        object.__setattr__(self, "bench_ids", frozenset(int(i) for i in self.bench_ids))

    @property
    def language_levels(self) -> dict[str, int]:
        """{language: minimum CEFR index}."""
        return {code: cefr_index(level) for code, level in self.languages.items()}

    @property
    def skills_needed(self) -> int:
        """How many required skills an eligible expert must hold at the level asked."""
        if self.min_skills_held is None:
            return len(self.skills)
        return min(self.min_skills_held, len(self.skills))

    def skill_weight(self, skill_id: int) -> float:
        return self.skill_weights.get(skill_id, 1.0)


@dataclass(frozen=True, slots=True)
class ExpertRecord:
    """One expert as the matcher sees them.

    internal / owner_client_id: a client's own staff member and that client (found before outsourcing).
    skills: {ESCO skill id: proficiency 1-5}. languages: {ISO 639-1 code: CEFR index (see `cefr_index`)}.
    degree_rank: the best degree held (see `degree_rank`). utc_offset: hours east of UTC, resolved by the
    caller for the period of the task. assigned_hours: hours already planned for this expert between now
    and the task's due date. bill_rate: per hour, in the same currency as the task's budget.
    quality_mean / quality_lower: a quality score in [0, 1] and its lower confidence bound, when known.
    tags: free-form labels for later rules (e.g. "nda:12", "vetted").
    """

    id: int
    organisation_id: int = 0
    internal: bool = False
    owner_client_id: int | None = None
    active: bool = True
    domains: frozenset[str] = frozenset()
    skills: Mapping[int, int] = field(default_factory=dict)
    degree_rank: int = 0
    languages: Mapping[str, int] = field(default_factory=dict)
    utc_offset: float = 0.0
    weekly_capacity_hours: float = 37.5
    assigned_hours: float = 0.0
    bill_rate: float = 0.0
    quality_mean: float | None = None
    quality_lower: float | None = None
    country: str = ""
    tags: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for skill_id, proficiency in self.skills.items():
            if not PROFICIENCY_MIN <= proficiency <= PROFICIENCY_MAX:
                raise ValueError(
                    f"expert {self.id}: the proficiency of skill {skill_id} must be between "
                    f"{PROFICIENCY_MIN} and {PROFICIENCY_MAX}, got {proficiency!r}."
                )
        for code, level in self.languages.items():
            if not 0 <= level <= NATIVE:
                raise ValueError(
                    f"expert {self.id}: the level of language {code!r} must be a CEFR index 0-{NATIVE} "
                    f"(use cefr_index), got {level!r}."
                )
        if not 0 <= self.degree_rank <= MAX_DEGREE_RANK:
            raise ValueError(f"expert {self.id}: degree_rank must be between 0 and {MAX_DEGREE_RANK}.")
        if not -14.0 <= _finite("utc_offset", self.utc_offset) <= 14.0:
            raise ValueError(f"expert {self.id}: utc_offset must be between -14 and 14 hours.")
        for name in ("weekly_capacity_hours", "assigned_hours", "bill_rate"):
            if _finite(name, getattr(self, name)) < 0:
                raise ValueError(f"expert {self.id}: {name} cannot be negative.")
        for name in ("quality_mean", "quality_lower"):
            value = getattr(self, name)
            if value is not None and not 0.0 <= _finite(name, value) <= 1.0:
                raise ValueError(f"expert {self.id}: {name} must be between 0 and 1.")
        if not isinstance(self.domains, frozenset):
            object.__setattr__(self, "domains", frozenset(self.domains))
        if not isinstance(self.tags, frozenset):
            object.__setattr__(self, "tags", frozenset(self.tags))
        if any(code != code.lower() for code in self.languages):
            object.__setattr__(self, "languages", {c.lower(): v for c, v in self.languages.items()})

    @property
    def quality(self) -> float | None:
        """The quality term's input: the lower bound when known (conservative), else the mean."""
        return self.quality_lower if self.quality_lower is not None else self.quality_mean
