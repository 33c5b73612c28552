"""Rates over delivered tasks: counts, shares, grouping by several keys, and months across a year's end."""

from __future__ import annotations

from datetime import date

import pytest

from kpo.engine.quality_rates import Rates, TaskOutcome, by_month, months_back, rates_by, rates_of


def _outcome(task_id: int, month: date, *, makers: tuple[int, ...] = (1,), **kwargs: object) -> TaskOutcome:
    values: dict[str, object] = {"on_time": True, "reworked": False, **kwargs}
    return TaskOutcome(
        task_id=task_id,
        month=month,
        provider_id=10,
        client_id=20,
        domain="legal_services",
        maker_ids=makers,
        **values,  # type: ignore[arg-type]
    )


def test_rates_count_tasks_ratings_and_reviews() -> None:
    outcomes = [
        _outcome(1, date(2027, 1, 1), stars=(5, 3), review_scores=(4.0,)),
        _outcome(2, date(2027, 1, 1), on_time=False, reworked=True),
        _outcome(3, date(2027, 2, 1), review_scores=(2.0,)),
    ]
    rates = rates_of(outcomes)
    assert (rates.tasks, rates.on_time, rates.reworked, rates.ratings, rates.reviews) == (3, 2, 1, 2, 2)
    assert rates.on_time_rate == pytest.approx(2 / 3) and rates.rework_rate == pytest.approx(1 / 3)
    assert rates.mean_rating == 4.0 and rates.mean_review == 3.0
    assert not rates.enough() and rates.enough(3)


def test_empty_rates_have_no_shares() -> None:
    empty = Rates()
    assert (empty.on_time_rate, empty.rework_rate, empty.mean_rating, empty.mean_review) == (None,) * 4


def test_a_task_counts_once_for_each_of_its_makers() -> None:
    grouped = rates_by(
        [_outcome(1, date(2027, 1, 1), makers=(1, 2, 2)), _outcome(2, date(2027, 1, 1), makers=(2,))],
        lambda outcome: outcome.maker_ids,
    )
    assert {key: rates.tasks for key, rates in grouped.items()} == {1: 1, 2: 2}


def test_months_back_cross_the_year_and_keep_empty_months() -> None:
    months = months_back(date(2027, 2, 28), 4)
    assert months == [date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)]
    trend = by_month([_outcome(1, date(2027, 1, 1))], months)
    assert [rates.tasks for _month, rates in trend] == [0, 0, 1, 0]
    with pytest.raises(ValueError):
        months_back(date(2027, 2, 28), 0)
