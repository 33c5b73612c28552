"""The trend charts' geometry: points where there are figures, gaps where there are none, labels that fit."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from kpo.engine.quality_rates import Rates, months_back
from kpo.quality.charts import trend_charts


def _trend(count: int) -> list[tuple[dt.date, Rates]]:
    months = months_back(dt.date(2027, 3, 10), count)
    filled = Rates(tasks=6, on_time=3, reworked=6, ratings=2, rating_sum=9.0, reviews=1, review_sum=1.0)
    return [(month, filled if index % 3 else Rates()) for index, month in enumerate(months)]


def test_points_gaps_and_scale() -> None:
    rates, quality = trend_charts(_trend(6), min_tasks=5)
    on_time = rates.series[0]
    assert [point.y for point in on_time.points] == ["100.0"] * 4  # 50 %: halfway down the 172-high plot
    assert on_time.path.count("M") == 2 and on_time.path.count("L") == 2  # a month without tasks: a gap
    rework = rates.series[1]
    assert {point.y for point in rework.points} == {"14.0"}  # 100 %: the top
    review = quality.series[1]
    assert {point.y for point in review.points} == {"186.0"}  # 1 of 5: the bottom
    assert not any(point.few for point in on_time.points)


def test_month_labels_fit_and_keep_their_tooltips() -> None:
    with translation.override("da"):
        rates, _quality = trend_charts(_trend(24), min_tasks=5)
    labels = rates.months
    assert len(labels) == 12 and labels[-1].text.lower() == "mar 27" and labels[-1].title == "marts 2027"
    assert all("," not in label.x for label in labels)  # coordinates never take the language's comma
    assert rates.series[0].points[0].title.startswith("Til tiden, ")
