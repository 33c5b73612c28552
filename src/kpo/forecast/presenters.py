"""The forecast page's view model: rows per domain and skill with their weekly cells, and small SVG charts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kpo.forecast.selectors import DemandReport

SKILL_ROWS = 10
CHART_WIDTH = 640
CHART_HEIGHT = 150
CHART_LEFT = 44
CHART_TOP = 10
CHART_BOTTOM = 120


@dataclass(frozen=True)
class Cell:
    week: dt.date
    expected: float
    free: float | None
    gap: float | None

    @property
    def short(self) -> bool:
        return self.gap is not None and self.gap > 0.05


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    short: bool
    free_y: int | None
    title: str


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    width: int
    height: int
    left: int
    right: int
    bottom: int
    bars: list[Bar]
    ticks: list[tuple[int, float]]
    labels: list[tuple[int, str]]


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: list[Cell]
    chart: Chart | None

    @property
    def total(self) -> float:
        return sum(cell.expected for cell in self.cells)

    @property
    def short_weeks(self) -> int:
        return sum(1 for cell in self.cells if cell.short)


def _chart(
    key: str, title: str, cells: Sequence[Cell], week_label: str, bar_title: str, free_title: str
) -> Chart:
    values = [cell.expected for cell in cells] + [cell.free or 0.0 for cell in cells]
    top = max([*values, 1.0])
    scale = (CHART_BOTTOM - CHART_TOP) / top
    slot = (CHART_WIDTH - CHART_LEFT - 8) // max(1, len(cells))
    bars = []
    labels = []
    for index, cell in enumerate(cells):
        x = CHART_LEFT + index * slot + 2
        height = round(cell.expected * scale)
        iso = cell.week.isocalendar().week
        detail = bar_title % {"week": iso, "hours": f"{cell.expected:.0f}"}
        if cell.free is not None:
            detail += "; " + free_title % {"hours": f"{cell.free:.0f}"}
        bars.append(
            Bar(
                x=x,
                y=CHART_BOTTOM - height,
                width=max(2, slot - 4),
                height=height,
                short=cell.short,
                free_y=None if cell.free is None else CHART_BOTTOM - round(cell.free * scale),
                title=detail,
            )
        )
        labels.append((x + max(2, slot - 4) // 2, week_label % {"week": iso}))
    ticks = [(CHART_BOTTOM - round(top * share * scale), top * share) for share in (0.0, 0.5, 1.0)]
    return Chart(
        id=f"chart-{key}",
        title=title,
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        left=CHART_LEFT,
        right=CHART_WIDTH - 8,
        bottom=CHART_BOTTOM,
        bars=bars,
        ticks=ticks,
        labels=labels,
    )


def rows(
    weeks: Sequence[dt.date],
    expected: Mapping[str, Sequence[float]],
    free: Mapping[str, Sequence[float]] | None,
    gaps: Mapping[str, Sequence[float]] | None,
    labels: Mapping[str, str],
    *,
    charts: bool,
    texts: Mapping[str, str],
    limit: int | None = None,
) -> list[Row]:
    """Rows for the keys in `expected` (the largest first, at most `limit`), with charts when asked."""
    keys = sorted(expected, key=lambda key: (-sum(expected[key]), labels.get(key, key)))
    if limit is not None:
        keys = keys[:limit]
    result = []
    for key in keys:
        cells = [
            Cell(
                week=week,
                expected=expected[key][index],
                free=None if free is None else (free.get(key) or (0.0,) * len(weeks))[index],
                gap=None if gaps is None else gaps[key][index],
            )
            for index, week in enumerate(weeks)
        ]
        label = labels.get(key, key)
        chart = _chart(key, label, cells, texts["week"], texts["bar"], texts["free"]) if charts else None
        result.append(Row(key=key, label=label, cells=cells, chart=chart))
    return result


def report_rows(
    report: DemandReport,
    domain_labels: Mapping[str, str],
    *,
    charts: bool,
    texts: Mapping[str, str],
    skill_limit: int | None,
) -> tuple[list[Row], list[Row]]:
    """The forecast's rows by domain (with charts when asked) and by skill (the `skill_limit` with the
    most expected hours, those the report labelled): what the page shows and the API answers."""
    free = report.free
    domains = rows(
        report.result.weeks,
        report.result.by_domain,
        None if free is None else free.by_domain,
        report.domain_gaps,
        domain_labels,
        charts=charts,
        texts=texts,
    )
    skills = rows(
        report.result.weeks,
        {key: report.result.by_skill[key] for key in report.skill_labels},
        None if free is None else free.by_skill,
        report.skill_gaps,
        report.skill_labels,
        charts=False,
        texts=texts,
        limit=skill_limit,
    )
    return domains, skills
