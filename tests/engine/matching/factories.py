"""Small builders and hypothesis strategies for the matching tests."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from kpo.engine.matching import ExpertRecord, TaskRequirements, working_window_utc
from kpo.engine.taxonomy import CEFR_LEVELS

LEGAL = "legal_services"
FINANCE = "financial_consulting"
DATA = "data_analysis"


def expert(expert_id: int = 1, **overrides: Any) -> ExpertRecord:
    values: dict[str, Any] = {
        "organisation_id": 1,
        "domains": frozenset({LEGAL}),
        "skills": {1: 3, 2: 3},
        "degree_rank": 2,
        "languages": {"en": 5},
        "utc_offset": 1.0,
        "weekly_capacity_hours": 40.0,
        "assigned_hours": 0.0,
        "bill_rate": 80.0,
    }
    values.update(overrides)
    return ExpertRecord(id=expert_id, **values)


def task(**overrides: Any) -> TaskRequirements:
    values: dict[str, Any] = {
        "domain": LEGAL,
        "skills": {1: 3},
        "languages": {"en": "B2"},
        "effort_hours": 10.0,
        "window_weeks": 2.0,
        "client_id": 100,
        "client_window_utc": working_window_utc(1.0),
        "budget_per_hour": 100.0,
    }
    values.update(overrides)
    return TaskRequirements(**values)


DOMAINS = (LEGAL, FINANCE, DATA)
LANGUAGES = ("en", "da", "de")
SKILLS = st.integers(1, 6)


@st.composite
def expert_records(draw: st.DrawFn, expert_id: int) -> ExpertRecord:
    internal = draw(st.booleans())
    quality_mean = draw(st.none() | st.floats(0, 1))
    quality_lower = (
        None if quality_mean is None else draw(st.none() | st.floats(0, 1).map(lambda v: v * quality_mean))
    )
    return ExpertRecord(
        id=expert_id,
        organisation_id=draw(st.integers(1, 4)),
        internal=internal,
        owner_client_id=draw(st.none() | st.integers(1, 3)) if internal else None,
        active=draw(st.booleans()),
        domains=frozenset(draw(st.sets(st.sampled_from(DOMAINS), max_size=2))),
        skills=draw(st.dictionaries(SKILLS, st.integers(1, 5), max_size=4)),
        degree_rank=draw(st.integers(0, 3)),
        languages=draw(st.dictionaries(st.sampled_from(LANGUAGES), st.integers(0, 6), max_size=2)),
        utc_offset=draw(st.floats(-12, 14)),
        weekly_capacity_hours=draw(st.sampled_from([0.0, 10.0, 20.0, 37.5, 40.0])),
        assigned_hours=draw(st.floats(0, 120)),
        bill_rate=draw(st.floats(0, 400)),
        quality_mean=quality_mean,
        quality_lower=quality_lower,
    )


@st.composite
def expert_lists(draw: st.DrawFn, min_size: int = 0, max_size: int = 25) -> list[ExpertRecord]:
    ids = draw(st.lists(st.integers(1, 10_000), unique=True, min_size=min_size, max_size=max_size))
    return [draw(expert_records(expert_id)) for expert_id in ids]


@st.composite
def task_requirements(draw: st.DrawFn) -> TaskRequirements:
    skills = draw(st.dictionaries(SKILLS, st.integers(1, 5), max_size=4))
    window = None
    if draw(st.booleans()):
        start = draw(st.integers(0, 20))
        window = working_window_utc(draw(st.floats(-12, 14)), start, start + draw(st.integers(1, 12)))
    return TaskRequirements(
        domain=draw(st.none() | st.sampled_from((*DOMAINS, "medicine_healthcare"))),
        skills=skills,
        min_skills_held=draw(st.none() | st.integers(0, 5)),
        min_degree_rank=draw(st.integers(0, 3)),
        languages=draw(st.dictionaries(st.sampled_from(LANGUAGES), st.sampled_from(CEFR_LEVELS), max_size=2)),
        effort_hours=draw(st.floats(0.5, 100)),
        window_weeks=draw(st.floats(-1, 8)),
        client_id=draw(st.none() | st.integers(1, 3)),
        client_window_utc=window,
        budget_per_hour=draw(st.none() | st.floats(10, 300)),
        organisation_ids=draw(st.none() | st.frozensets(st.integers(1, 4), max_size=3)),
    )


@st.composite
def loose_tasks(draw: st.DrawFn) -> TaskRequirements:
    """Tasks most experts qualify for: the requirements only score (for ranking properties)."""
    start = draw(st.integers(0, 23))
    return TaskRequirements(
        skills=draw(st.dictionaries(SKILLS, st.integers(1, 5), max_size=4)),
        min_skills_held=0,
        effort_hours=0.5,
        window_weeks=8.0,
        client_id=draw(st.none() | st.integers(1, 3)),
        client_window_utc=draw(st.none() | st.just(working_window_utc(0.0, start, start + 8))),
        budget_per_hour=draw(st.none() | st.floats(10, 300)),
    )


def any_tasks() -> st.SearchStrategy[TaskRequirements]:
    return st.one_of(task_requirements(), loose_tasks())
