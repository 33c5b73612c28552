"""Scoring eligible experts: seven components in [0, 1], a weighted mean, and an explanation.

Components (each 1 = best):
- affinity: text affinity between the task and the expert's profile and work samples, computed
  elsewhere (an embedder) and passed in per expert; 0.5 (neutral) when absent or NaN.
- skills: Σ w·min(proficiency / minimum asked, 1) over the required skills / Σ w (w = 1 unless the
  task weights its skills); 1 when the task asks for no skill.
- degree: 0.75 when the best degree meets the minimum exactly, rising linearly to 1 at a doctorate,
  and below the minimum falling linearly to 0 at no degree.
- languages: per required language the same shape on the CEFR scale (0.75 at the level asked,
  1 at native, 0 when not spoken), averaged; 1 when no language is asked.
- time_zone: the fraction of the client's working window (in UTC) that overlaps the expert's local
  working day (kpo.engine.working_day: 09:00-17:00, the day overlap windows use too); 0.5 (neutral)
  when the client's window is unknown.
- cost: 1 when the bill rate is at or under the budget per hour, falling linearly to 0 at twice the
  budget (and 0 above); 1 when there is no budget ceiling.
- quality: the lower confidence bound of the expert's quality score (else its mean); 0.5 (neutral
  prior) until a score exists.
The total is Σ weight·component over normalised weights, so it is in [0, 1] too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from kpo.engine.matching.index import ExpertIndex, FloatArray, Rows
from kpo.engine.matching.requirements import (
    DEGREE_NAMES,
    MAX_DEGREE_RANK,
    NATIVE,
    ExpertRecord,
    TaskRequirements,
    cefr_name,
)
from kpo.engine.matching.rules import held_count
from kpo.engine.working_day import DAY_END_HOUR, DAY_START_HOUR

COMPONENTS: tuple[str, ...] = ("affinity", "skills", "degree", "languages", "time_zone", "cost", "quality")
LABELS: dict[str, str] = {
    "affinity": "text affinity",
    "skills": "skills",
    "degree": "degree",
    "languages": "languages",
    "time_zone": "time zone",
    "cost": "cost",
    "quality": "quality",
}
NEUTRAL = 0.5
MEETS = 0.75
"""The fit of a degree or language held exactly at the level asked."""
TOTAL_DECIMALS = 12
EXPERT_DAY_START = DAY_START_HOUR
EXPERT_DAY_END = DAY_END_HOUR


@dataclass(frozen=True)
class ScoreWeights:
    """How much each component counts; per client. Non-negative, not all zero; normalised on use."""

    affinity: float = 0.25
    skills: float = 0.25
    degree: float = 0.10
    languages: float = 0.10
    time_zone: float = 0.10
    cost: float = 0.10
    quality: float = 0.10

    def __post_init__(self) -> None:
        for name in COMPONENTS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"The weight {name!r} must be a number, got {value!r}.")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"The weight {name!r} must be a finite number of 0 or more, got {value!r}.")
            object.__setattr__(self, name, float(value))
        if not any(getattr(self, name) > 0 for name in COMPONENTS):
            raise ValueError(
                f"The weights {', '.join(COMPONENTS)} are all zero: at least one must be positive."
            )

    @classmethod
    def from_mapping(cls, weights: Mapping[str, float]) -> ScoreWeights:
        """Weights from a client's settings; components not named keep their default."""
        unknown = sorted(set(weights) - set(COMPONENTS))
        if unknown:
            raise ValueError(f"Unknown weight {unknown[0]!r}; the components are {', '.join(COMPONENTS)}.")
        return cls(**{name: weights[name] for name in COMPONENTS if name in weights})

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def normalised(self) -> dict[str, float]:
        total = sum(getattr(self, name) for name in COMPONENTS)
        return {name: getattr(self, name) / total for name in COMPONENTS}


# --- the component formulas, vectorised over candidate rows --------------------------------------


def _margin_fit(held: FloatArray, required: float, bottom: float, top: float) -> FloatArray:
    """MEETS at the level asked, 1 at `top`, 0 at `bottom`, linear in between."""
    if required >= top:
        above = np.ones_like(held)
    else:
        above = MEETS + (1.0 - MEETS) * (held - required) / (top - required)
    below = MEETS * (held - bottom) / (required - bottom) if required > bottom else np.ones_like(held)
    result: FloatArray = np.where(held >= required, above, below)
    return result


def _margin_fit_one(held: float, required: float, bottom: float, top: float) -> float:
    if held >= required:
        return 1.0 if required >= top else MEETS + (1.0 - MEETS) * (held - required) / (top - required)
    return MEETS * (held - bottom) / (required - bottom)


def _overlap(a0: float, a1: float, e0: FloatArray) -> FloatArray:
    """Hours of [a0, a1] (UTC, a0 in [0, 24)) covered by the days [e0, e0 + day length] on a 24 h circle."""
    e1 = e0 + (EXPERT_DAY_END - EXPERT_DAY_START)
    total = np.zeros_like(e0)
    for shift in (-24.0, 0.0, 24.0):
        total += np.maximum(0.0, np.minimum(a1, e1 + shift) - np.maximum(a0, e0 + shift))
    return total


def time_zone_overlap(window: tuple[float, float], utc_offsets: FloatArray) -> FloatArray:
    """The fraction of the client's window (UTC hours) inside each expert's local working day."""
    start, end = window
    a0 = start % 24.0
    a1 = a0 + (end - start)
    e0 = (EXPERT_DAY_START - utc_offsets) % 24.0
    result: FloatArray = np.clip(_overlap(a0, a1, e0) / (end - start), 0.0, 1.0)
    return result


def cost_fit(bill_rates: FloatArray, budget_per_hour: float | None) -> FloatArray:
    if budget_per_hour is None:
        return np.ones_like(bill_rates)
    result: FloatArray = np.clip(2.0 - bill_rates / budget_per_hour, 0.0, 1.0)
    return result


def skill_coverage(index: ExpertIndex, task: TaskRequirements, rows: Rows) -> FloatArray:
    if not task.skills:
        return np.ones(len(rows), dtype=np.float64)
    coverage = np.zeros(index.size, dtype=np.float64)
    total_weight = 0.0
    for skill_id, minimum in task.skills.items():
        weight = task.skill_weight(skill_id)
        total_weight += weight
        held_rows, levels = index.skill(skill_id)
        coverage[held_rows] += weight * np.minimum(levels / minimum, 1.0)
    result: FloatArray = coverage[rows] / total_weight
    return result


def language_fit(index: ExpertIndex, task: TaskRequirements, rows: Rows) -> FloatArray:
    levels = task.language_levels
    if not levels:
        return np.ones(len(rows), dtype=np.float64)
    total = np.zeros(len(rows), dtype=np.float64)
    for code, required in levels.items():
        column = index.language(code)
        held = np.full(len(rows), -1.0) if column is None else column[rows].astype(np.float64)
        total += _margin_fit(held, float(required), -1.0, float(NATIVE))
    result: FloatArray = total / len(levels)
    return result


def affinity_values(affinities: FloatArray | None, rows: Rows) -> FloatArray:
    if affinities is None:
        return np.full(len(rows), NEUTRAL)
    values = affinities[rows]
    result: FloatArray = np.where(np.isnan(values), NEUTRAL, values)
    return result


def check_affinities(index: ExpertIndex, affinities: npt.ArrayLike | None) -> FloatArray | None:
    """The affinities as a float array in row order, validated: one per expert, each in [0, 1] or NaN."""
    if affinities is None:
        return None
    array = np.asarray(affinities, dtype=np.float64)
    if array.shape != (index.size,):
        raise ValueError(
            f"affinities must hold one value per expert in index order ({index.size}), "
            f"got shape {array.shape}."
        )
    if bool(np.any(array < 0.0)) or bool(np.any(array > 1.0)):  # NaN compares False: allowed
        raise ValueError("affinities must be between 0 and 1 (NaN: unknown).")
    return array


def component_values(
    index: ExpertIndex, task: TaskRequirements, rows: Rows, affinities: FloatArray | None = None
) -> dict[str, FloatArray]:
    """Every component for the experts at `rows`, each an array aligned with `rows`."""
    if task.client_window_utc is None:
        time_zone = np.full(len(rows), NEUTRAL)
    else:
        time_zone = time_zone_overlap(task.client_window_utc, index.utc_offset[rows])
    return {
        "affinity": affinity_values(affinities, rows),
        "skills": skill_coverage(index, task, rows),
        "degree": _margin_fit(
            index.degree[rows].astype(np.float64), float(task.min_degree_rank), 0.0, float(MAX_DEGREE_RANK)
        ),
        "languages": language_fit(index, task, rows),
        "time_zone": time_zone,
        "cost": cost_fit(index.bill_rate[rows], task.budget_per_hour),
        "quality": index.quality[rows],
    }


def total_scores(values: Mapping[str, FloatArray], weights: ScoreWeights) -> FloatArray:
    """Σ normalised weight · component, summed in component order (the same order everywhere) and
    rounded to TOTAL_DECIMALS, so that float noise never decides an order: equal totals go by id."""
    normalised = weights.normalised()
    total = np.zeros_like(values[COMPONENTS[0]])
    for name in COMPONENTS:
        total = total + normalised[name] * values[name]
    result: FloatArray = np.round(total, TOTAL_DECIMALS)
    return result


# --- one expert at a time (the reference the vectorised path is tested against) -------------------


def score_record(
    expert: ExpertRecord, task: TaskRequirements, affinity: float | None = None
) -> dict[str, float]:
    """The components for one expert, computed without an index (slow; for checks and `why_not`)."""
    if task.skills:
        weighted = sum(
            task.skill_weight(skill) * min(expert.skills.get(skill, 0) / minimum, 1.0)
            for skill, minimum in task.skills.items()
        )
        skills = weighted / sum(task.skill_weight(skill) for skill in task.skills)
    else:
        skills = 1.0
    levels = task.language_levels
    languages = (
        sum(_margin_fit_one(expert.languages.get(c, -1), r, -1.0, NATIVE) for c, r in levels.items())
        / len(levels)
        if levels
        else 1.0
    )
    degree = _margin_fit_one(expert.degree_rank, task.min_degree_rank, 0.0, MAX_DEGREE_RANK)
    if task.client_window_utc is None:
        time_zone = NEUTRAL
    else:
        offsets = np.array([expert.utc_offset], dtype=np.float64)
        time_zone = float(time_zone_overlap(task.client_window_utc, offsets)[0])
    if task.budget_per_hour is None:
        cost = 1.0
    else:
        cost = min(max(2.0 - expert.bill_rate / task.budget_per_hour, 0.0), 1.0)
    quality = expert.quality
    return {
        "affinity": NEUTRAL if affinity is None or math.isnan(affinity) else affinity,
        "skills": skills,
        "degree": degree,
        "languages": languages,
        "time_zone": time_zone,
        "cost": cost,
        "quality": NEUTRAL if quality is None else quality,
    }


def total_score(values: Mapping[str, float], weights: ScoreWeights) -> float:
    """`total_scores` for one expert (the same arithmetic, so the same number)."""
    normalised = weights.normalised()
    total = 0.0
    for name in COMPONENTS:
        total = total + normalised[name] * values[name]
    return float(np.round(total, TOTAL_DECIMALS))


# --- explanations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExplanationLine:
    component: str
    value: float
    weight: float
    """The normalised weight (the weights sum to 1)."""
    text: str

    @property
    def contribution(self) -> float:
        return self.value * self.weight


@dataclass(frozen=True)
class Explanation:
    total: float
    lines: tuple[ExplanationLine, ...]

    @property
    def text(self) -> str:
        return "; ".join(line.text for line in self.lines)


def _fmt_offset(offset: float) -> str:
    sign = "+" if offset >= 0 else "-"
    hours, minutes = divmod(round(abs(offset) * 60), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def _component_text(
    name: str, value: float, expert: ExpertRecord, task: TaskRequirements, affinity_known: bool
) -> str:
    head = f"{LABELS[name]} {value:.2f}"
    if name == "affinity":
        if not affinity_known:
            return f"{head}: not computed (neutral)"
        return f"{head}: profile and work samples against the task description"
    if name == "skills":
        if not task.skills:
            return f"{head}: no skill asked"
        held = held_count(expert, task)
        below = sum(1 for skill in task.skills if skill in expert.skills) - held
        text = f"{head}: has {held} of {len(task.skills)} required at the level asked"
        return text + (f", {below} more below it" if below else "")
    if name == "degree":
        held_name = DEGREE_NAMES[expert.degree_rank]
        asked = f"{DEGREE_NAMES[task.min_degree_rank]} asked" if task.min_degree_rank else "none asked"
        return f"{head}: {held_name} ({asked})"
    if name == "languages":
        if not task.languages:
            return f"{head}: no language asked"
        parts = [
            f"{code} {cefr_name(expert.languages.get(code, -1))} ({level} asked)"
            for code, level in sorted(task.languages.items())
        ]
        return f"{head}: " + ", ".join(parts)
    if name == "time_zone":
        if task.client_window_utc is None:
            return f"{head}: the client's working hours are unknown (neutral)"
        start, end = task.client_window_utc
        return (
            f"{head}: {value * (end - start):.1f} of the client's {end - start:g} working hours "
            f"fall in the expert's day ({_fmt_offset(expert.utc_offset)})"
        )
    if name == "cost":
        if task.budget_per_hour is None:
            return f"{head}: no budget ceiling"
        return (
            f"{head}: bill rate {expert.bill_rate:.2f} per hour against a budget of "
            f"{task.budget_per_hour:.2f} (1 at or under budget, 0 at twice it)"
        )
    if expert.quality is None:
        return f"{head}: no quality score yet (neutral prior)"
    if expert.quality_lower is not None and expert.quality_mean is not None:
        return f"{head}: lower bound of a mean score of {expert.quality_mean:.2f}"
    return f"{head}: quality score"


def explain(
    expert: ExpertRecord,
    task: TaskRequirements,
    weights: ScoreWeights,
    values: Mapping[str, float],
    *,
    affinity_known: bool = False,
) -> Explanation:
    """The explanation of one expert's score, from component values already computed."""
    normalised = weights.normalised()
    lines = tuple(
        ExplanationLine(
            component=name,
            value=values[name],
            weight=normalised[name],
            text=_component_text(name, values[name], expert, task, affinity_known),
        )
        for name in COMPONENTS
    )
    return Explanation(total=total_score(values, weights), lines=lines)
