"""Geometry for the SLA report's server-rendered SVG charts (the template draws; a table repeats the data)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kpo.engine.chart_labels import wrap_label
from kpo.sla.selectors import SlaReport

STATE_LABELS = {
    "met": _("Met"),
    "on_track": _("On track"),
    "at_risk": _("At risk"),
    "breached": _("Breached"),
}
CHART_WIDTH = 640
LABEL_WIDTH = 180
BAR_HEIGHT = 22
GAP = 8
PLOT_WIDTH = CHART_WIDTH - LABEL_WIDTH - 60
MAX_SHARE = 1.5  # bars of the per-task chart stop at 150 % of the allowance
LABEL_CHARS = 27  # characters on one line of a label at 12 px; a label takes up to two


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    y: int
    width: float
    css: str

    @property
    def lines(self) -> tuple[str, ...]:
        return wrap_label(self.label, LABEL_CHARS)


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH
    width: int = CHART_WIDTH
    marks: tuple[tuple[float, str], ...] = ()

    @property
    def text_x(self) -> int:
        return self.label_width - 8


def _height(count: int) -> int:
    return max(1, count) * (BAR_HEIGHT + GAP) + GAP + 16


def state_chart(report: SlaReport) -> Chart:
    """How many tasks are met / on track / at risk / breached."""
    top = max(report.counts.values(), default=0) or 1
    bars = [
        Bar(
            label=str(STATE_LABELS[state]),
            value=count,
            text=str(count),
            y=GAP + index * (BAR_HEIGHT + GAP),
            width=PLOT_WIDTH * count / top,
            css=f"sla-bar-{state}",
        )
        for index, (state, count) in enumerate(report.counts.items())
    ]
    return Chart(bars=bars, height=_height(len(bars)))


def usage_chart(report: SlaReport) -> Chart:
    """Per task, the share of its current allowance used (response before work starts, else delivery)."""
    bars: list[Bar] = []
    for row in report.rows:
        clock = row.current
        if clock is None:
            continue
        share = clock.used_share
        bars.append(
            Bar(
                label=row.task.title,
                value=share,
                text=f"{round(share * 100)} %",
                y=GAP + len(bars) * (BAR_HEIGHT + GAP),
                width=PLOT_WIDTH * min(share, MAX_SHARE) / MAX_SHARE,
                css=f"sla-bar-{clock.state.value}",
            )
        )
    threshold = float(report.policy.at_risk_share)
    marks = (
        (LABEL_WIDTH + PLOT_WIDTH * threshold / MAX_SHARE, f"{round(threshold * 100)} %"),
        (LABEL_WIDTH + PLOT_WIDTH / MAX_SHARE, "100 %"),
    )
    return Chart(bars=bars, height=_height(len(bars)), marks=marks)
