from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kpo.engine.matching import ExpertRecord, TaskRequirements, cefr_index, degree_rank, working_window_utc
from kpo.engine.matching.requirements import window_weeks


def test_cefr_index_is_the_position_on_the_scale() -> None:
    assert cefr_index("A1") == 0
    assert cefr_index("c1") == 4
    assert cefr_index("Native") == 6


def test_unknown_cefr_level_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown CEFR level 'B3'"):
        cefr_index("B3")


def test_task_with_an_unknown_cefr_level_names_the_language() -> None:
    with pytest.raises(ValueError, match=r"languages\['da'\].*'fluent'"):
        TaskRequirements(languages={"da": "fluent"})


def test_task_languages_are_normalised() -> None:
    task = TaskRequirements(languages={"DA": "c1", "en": "native"})
    assert task.languages == {"da": "C1", "en": "native"}
    assert task.language_levels == {"da": 4, "en": 6}


def test_degree_rank() -> None:
    assert degree_rank(None) == 0
    assert degree_rank("") == 0
    assert degree_rank("master") == 2
    assert degree_rank("professional") == degree_rank("phd") == 3
    with pytest.raises(ValueError, match="Unknown degree level 'diploma'"):
        degree_rank("diploma")


def test_window_weeks_from_now_and_due() -> None:
    now = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    assert window_weeks(now, datetime(2025, 3, 17, 9, 0, tzinfo=UTC)) == pytest.approx(2.0)
    assert window_weeks(now, datetime(2025, 3, 2, 9, 0, tzinfo=UTC)) < 0


def test_working_window_utc() -> None:
    assert working_window_utc(1.0) == (8.0, 16.0)
    assert working_window_utc(5.5) == (3.5, 11.5)
    assert working_window_utc(-8.0) == (17.0, 25.0)  # crosses midnight UTC: end beyond 24
    assert working_window_utc(10.0) == (23.0, 31.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"skills": {7: 6}}, "skill 7 must be between 1 and 5"),
        ({"skills": {7: 0}}, "skill 7 must be between 1 and 5"),
        ({"min_skills_held": -1}, "min_skills_held"),
        ({"min_degree_rank": 4}, "min_degree_rank"),
        ({"effort_hours": 0}, "effort_hours"),
        ({"effort_hours": float("nan")}, "effort_hours"),
        ({"window_weeks": float("inf")}, "window_weeks"),
        ({"client_window_utc": (10.0, 9.0)}, "client_window_utc"),
        ({"budget_per_hour": 0}, "budget_per_hour"),
        ({"skills": {1: 2}, "skill_weights": {2: 1.0}}, "skill 2 is not one of the required"),
        ({"skills": {1: 2}, "skill_weights": {1: 0.0}}, "must be positive"),
    ],
)
def test_bad_task_input_names_the_field(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TaskRequirements(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"skills": {3: 9}}, "skill 3"),
        ({"languages": {"en": 7}}, "language 'en'"),
        ({"degree_rank": 5}, "degree_rank"),
        ({"utc_offset": 15.0}, "utc_offset"),
        ({"weekly_capacity_hours": -1.0}, "weekly_capacity_hours"),
        ({"bill_rate": float("nan")}, "bill_rate"),
        ({"quality_mean": 1.5}, "quality_mean"),
    ],
)
def test_bad_expert_input_names_the_field(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ExpertRecord(id=1, **kwargs)  # type: ignore[arg-type]


def test_expert_record_normalises_collections() -> None:
    record = ExpertRecord(id=1, domains={"a"}, tags=["x"], languages={"EN": 3})  # type: ignore[arg-type]
    assert record.domains == frozenset({"a"})
    assert record.tags == frozenset({"x"})
    assert record.languages == {"en": 3}


def test_quality_prefers_the_lower_bound() -> None:
    assert ExpertRecord(id=1).quality is None
    assert ExpertRecord(id=1, quality_mean=0.9).quality == 0.9
    assert ExpertRecord(id=1, quality_mean=0.9, quality_lower=0.7).quality == 0.7
