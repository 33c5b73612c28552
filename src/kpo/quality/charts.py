"""Geometry of the quality dashboard's trend charts: server-rendered SVG line charts, one point per month,
with a table beside them that repeats the numbers. Coordinates are formatted here ("%.1f"), so the SVG's
attributes never pass through the active language's number format."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kpo.core.formatting import number
from kpo.engine.quality_rates import Rates

WIDTH = 640
HEIGHT = 230
LEFT = 52
RIGHT = 20
TOP = 14
BOTTOM = 44
PLOT_WIDTH = WIDTH - LEFT - RIGHT
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
MAX_MONTH_LABELS = 12  # more months than this: every other label (each keeps its tooltip)


@dataclass(frozen=True)
class Point:
    x: str
    y: str
    title: str
    few: bool  # from fewer tasks than a rate needs


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    path: str
    points: list[Point]


@dataclass(frozen=True)
class Tick:
    y: str
    label: str


@dataclass(frozen=True)
class MonthLabel:
    x: str
    text: str
    title: str


@dataclass(frozen=True)
class LineChart:
    id: str
    title: str
    series: list[Series]
    ticks: list[Tick]
    months: list[MonthLabel]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM
    label_y: int = HEIGHT - BOTTOM + 18

    @property
    def empty(self) -> bool:
        return not any(series.points for series in self.series)


Value = Callable[[Rates], float | None]


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _x(index: int, count: int) -> float:
    return LEFT + (PLOT_WIDTH * (index + 0.5) / count)


def _month_labels(months: list[dt.date]) -> list[MonthLabel]:
    step = math.ceil(len(months) / MAX_MONTH_LABELS)
    return [
        MonthLabel(
            x=_fmt(_x(index, len(months))),
            text=date_format(month, "M y"),
            title=date_format(month, "F Y"),
        )
        for index, month in enumerate(months)
        if (len(months) - 1 - index) % step == 0  # the latest month always has its label
    ]


def line_chart(
    chart_id: str,
    title: str,
    trend: list[tuple[dt.date, Rates]],
    lines: list[tuple[str, str, Value, Callable[[float], str]]],
    scale: tuple[float, float],
    ticks: list[tuple[float, str]],
    min_tasks: int,
) -> LineChart:
    """One line per (key, label, value, text) over the months of `trend`, on the axis `scale` (low, high);
    a month without the figure leaves a gap in its line."""
    low, high = scale
    count = max(len(trend), 1)

    def y(value: float) -> float:
        return TOP + PLOT_HEIGHT * (1 - (value - low) / (high - low))

    series = []
    for key, label, value, text in lines:
        points: list[Point] = []
        path: list[str] = []
        gap = True
        for index, (month, rates) in enumerate(trend):
            figure = value(rates)
            if figure is None:
                gap = True
                continue
            px, py = _fmt(_x(index, count)), _fmt(y(figure))
            path.append(f"{'M' if gap else 'L'}{px} {py}")
            gap = False
            points.append(
                Point(
                    x=px,
                    y=py,
                    title=_("%(label)s, %(month)s: %(value)s (%(tasks)s tasks)")
                    % {
                        "label": label,
                        "month": date_format(month, "F Y"),
                        "value": text(figure),
                        "tasks": rates.tasks,
                    },
                    few=not rates.enough(min_tasks),
                )
            )
        series.append(Series(key=key, label=label, path=" ".join(path), points=points))
    return LineChart(
        id=chart_id,
        title=title,
        series=series,
        ticks=[Tick(y=_fmt(y(value)), label=label) for value, label in ticks],
        months=_month_labels([month for month, _rates in trend]),
    )


def _percent(value: float) -> str:
    return f"{round(value * 100)} %"


def _stars(value: float) -> str:
    return f"{number(value, 2)} / 5"


def trend_charts(trend: list[tuple[dt.date, Rates]], min_tasks: int) -> list[LineChart]:
    """The rates chart (on time, rework: 0-100 %) and the quality chart (rating, review score: 1-5)."""
    rates = line_chart(
        "trend-rates",
        _("On-time and rework rates per month"),
        trend,
        [
            ("on_time", _("On time"), lambda r: r.on_time_rate, _percent),
            ("rework", _("Reworked"), lambda r: r.rework_rate, _percent),
        ],
        (0.0, 1.0),
        [(share / 4, _percent(share / 4)) for share in range(5)],
        min_tasks,
    )
    quality = line_chart(
        "trend-quality",
        _("Client rating and review score per month"),
        trend,
        [
            ("rating", _("Client rating"), lambda r: r.mean_rating, _stars),
            ("review", _("Review score"), lambda r: r.mean_review, _stars),
        ],
        (1.0, 5.0),
        [(float(value), str(value)) for value in range(1, 6)],
        min_tasks,
    )
    return [rates, quality]
