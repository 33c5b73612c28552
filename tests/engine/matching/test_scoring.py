from __future__ import annotations

import math

import numpy as np
import pytest

from kpo.engine.matching import COMPONENTS, ExpertIndex, ScoreWeights, score_record, working_window_utc
from kpo.engine.matching.scoring import (
    check_affinities,
    component_values,
    cost_fit,
    explain,
    time_zone_overlap,
    total_score,
    total_scores,
)
from tests.engine.matching.factories import expert, task


def _values(record_kwargs: dict[str, object], **task_kwargs: object) -> dict[str, float]:
    record = expert(**record_kwargs)  # type: ignore[arg-type]
    requirements = task(**task_kwargs)
    index = ExpertIndex.build([record])
    vector = component_values(index, requirements, np.array([0], dtype=np.intp))
    values = {name: float(vector[name][0]) for name in COMPONENTS}
    assert values == pytest.approx(score_record(record, requirements))
    return values


# --- weights ------------------------------------------------------------------------------------------


def test_default_weights_are_normalised() -> None:
    weights = ScoreWeights()
    assert sum(weights.normalised().values()) == pytest.approx(1.0)
    assert ScoreWeights(
        skills=3, affinity=1, degree=0, languages=0, time_zone=0, cost=0, quality=0
    ).normalised()["skills"] == pytest.approx(0.75)


@pytest.mark.parametrize("name", COMPONENTS)
def test_a_negative_weight_is_refused_by_name(name: str) -> None:
    with pytest.raises(ValueError, match=f"weight '{name}'"):
        ScoreWeights(**{name: -0.1})


def test_non_finite_and_non_numeric_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="weight 'cost'"):
        ScoreWeights(cost=float("nan"))
    with pytest.raises(ValueError, match="weight 'quality' must be a number"):
        ScoreWeights(quality="high")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="weight 'degree' must be a number"):
        ScoreWeights(degree=True)


def test_all_zero_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="all zero"):
        ScoreWeights(**dict.fromkeys(COMPONENTS, 0.0))


def test_weights_from_a_clients_settings() -> None:
    weights = ScoreWeights.from_mapping({"cost": 0.5})
    assert weights.cost == 0.5
    assert weights.skills == ScoreWeights().skills
    assert weights.as_dict()["cost"] == 0.5
    with pytest.raises(ValueError, match="Unknown weight 'price'"):
        ScoreWeights.from_mapping({"price": 1.0})


# --- components ---------------------------------------------------------------------------------------


def test_skill_coverage_and_its_explanation() -> None:
    asked = dict.fromkeys(range(1, 7), 3)
    held = {1: 3, 2: 4, 3: 5, 4: 3, 5: 3, 6: 1}
    values = _values({"skills": held}, skills=asked, min_skills_held=0)
    assert values["skills"] == pytest.approx((5 + 1 / 3) / 6)
    explanation = explain(expert(skills=held), task(skills=asked), ScoreWeights(), values)
    line = next(line for line in explanation.lines if line.component == "skills")
    assert line.text == "skills 0.89: has 5 of 6 required at the level asked, 1 more below it"


def test_skill_weights_weigh_the_coverage() -> None:
    values = _values({"skills": {1: 3}}, skills={1: 3, 2: 3}, skill_weights={1: 3.0}, min_skills_held=0)
    assert values["skills"] == pytest.approx(0.75)


def test_no_skill_asked_is_a_full_fit() -> None:
    assert _values({}, skills={})["skills"] == 1.0


@pytest.mark.parametrize(
    ("held", "asked", "fit"),
    [(1, 2, 0.375), (2, 2, 0.75), (3, 2, 1.0), (0, 0, 0.75), (1, 0, 0.75 + 0.25 / 3), (3, 3, 1.0)],
)
def test_degree_fit(held: int, asked: int, fit: float) -> None:
    assert _values({"degree_rank": held}, min_degree_rank=asked)["degree"] == pytest.approx(fit)


@pytest.mark.parametrize(
    ("levels", "asked", "fit"),
    [
        ({"en": 4}, {"en": "B2"}, 0.75 + 0.25 / 3),
        ({"en": 6}, {"en": "B2"}, 1.0),
        ({"en": 3}, {"en": "B2"}, 0.75),
        ({"en": 2}, {"en": "B2"}, 0.5625),
        ({"da": 6}, {"en": "B2"}, 0.0),
        ({"en": 6}, {"en": "native"}, 1.0),
        ({"en": 6, "da": 3}, {"en": "B2", "da": "B2"}, (1.0 + 0.75) / 2),
        ({"en": 1}, {}, 1.0),
    ],
)
def test_language_fit(levels: dict[str, int], asked: dict[str, str], fit: float) -> None:
    assert _values({"languages": levels}, languages=asked)["languages"] == pytest.approx(fit)


@pytest.mark.parametrize(
    ("client_offset", "expert_offset", "fraction"),
    [
        (1.0, 1.0, 1.0),  # same zone: 09-17 on both sides (kpo.engine.working_day)
        (1.0, 5.5, 3.5 / 8),  # India: the expert's day ends 11:30 UTC, the client's starts 08:00
        (1.0, -5.0, 2 / 8),  # New York: starts 14:00 UTC
        (1.0, 8.0, 1 / 8),  # Manila: 01:00-09:00 UTC
        (1.0, 9.0, 0.0),  # Tokyo: ends 08:00 UTC, as the client's day starts
        (1.0, -8.0, 0.0),  # California: no overlap
        (10.0, 10.0, 1.0),  # Sydney client, window across midnight UTC
        (10.0, 1.0, 0.0),
        (-5.0, 1.0, 2 / 8),  # New York client, Paris expert: 14:00-16:00 UTC
    ],
)
def test_time_zone_overlap(client_offset: float, expert_offset: float, fraction: float) -> None:
    window = working_window_utc(client_offset)
    got = time_zone_overlap(window, np.array([expert_offset]))
    assert float(got[0]) == pytest.approx(fraction)
    assert _values({"utc_offset": expert_offset}, client_window_utc=window)["time_zone"] == pytest.approx(
        fraction
    )


def test_unknown_client_hours_are_neutral() -> None:
    assert _values({}, client_window_utc=None)["time_zone"] == 0.5


def test_cost_fit_is_one_under_budget_and_zero_at_twice_it() -> None:
    rates = np.array([0.0, 80.0, 100.0, 150.0, 200.0, 300.0])
    assert cost_fit(rates, 100.0).tolist() == pytest.approx([1.0, 1.0, 1.0, 0.5, 0.0, 0.0])
    assert cost_fit(rates, None).tolist() == [1.0] * 6
    assert _values({"bill_rate": 120.0})["cost"] == pytest.approx(0.8)


def test_quality_is_neutral_until_scored_then_its_lower_bound() -> None:
    assert _values({})["quality"] == 0.5
    assert _values({"quality_mean": 0.9, "quality_lower": 0.8})["quality"] == pytest.approx(0.8)
    assert _values({"quality_mean": 0.9})["quality"] == pytest.approx(0.9)


def test_affinity_is_neutral_when_absent() -> None:
    index = ExpertIndex.build([expert(1), expert(2), expert(3)])
    rows = np.arange(3, dtype=np.intp)
    assert component_values(index, task(), rows)["affinity"].tolist() == [0.5, 0.5, 0.5]
    given = check_affinities(index, [0.9, float("nan"), 0.1])
    assert component_values(index, task(), rows, given)["affinity"].tolist() == [0.9, 0.5, 0.1]


def test_bad_affinities_are_refused() -> None:
    index = ExpertIndex.build([expert(1), expert(2)])
    with pytest.raises(ValueError, match="one value per expert"):
        check_affinities(index, [0.5])
    with pytest.raises(ValueError, match="between 0 and 1"):
        check_affinities(index, [0.5, 1.2])
    with pytest.raises(ValueError, match="between 0 and 1"):
        check_affinities(index, [-0.1, 0.5])


def test_total_is_the_weighted_mean() -> None:
    values = dict.fromkeys(COMPONENTS, 0.0) | {"skills": 1.0, "cost": 0.5}
    weights = ScoreWeights(**dict.fromkeys(COMPONENTS, 1.0))
    assert total_score(values, weights) == pytest.approx(1.5 / 7)
    arrays = {name: np.array([value]) for name, value in values.items()}
    assert float(total_scores(arrays, weights)[0]) == total_score(values, weights)


def test_explanation_lists_every_component_with_its_weight() -> None:
    record = expert(utc_offset=5.5, bill_rate=150.0)
    requirements = task()
    values = score_record(record, requirements)
    explanation = explain(record, requirements, ScoreWeights(), values)
    assert [line.component for line in explanation.lines] == list(COMPONENTS)
    assert sum(line.weight for line in explanation.lines) == pytest.approx(1.0)
    assert sum(line.contribution for line in explanation.lines) == pytest.approx(explanation.total)
    text = explanation.text
    assert "text affinity 0.50: not computed (neutral)" in text
    assert "skills 1.00: has 1 of 1 required at the level asked" in text
    assert "degree 0.92: master (none asked)" in text
    assert "languages 0.92: en C2 (B2 asked)" in text
    assert "time zone 0.44: 3.5 of the client's 8 working hours fall in the expert's day (UTC+5:30)" in text
    assert "cost 0.50: bill rate 150.00 per hour against a budget of 100.00" in text
    assert "quality 0.50: no quality score yet (neutral prior)" in text
    assert math.isfinite(explanation.total)
