"""The capacity heat map's geometry: one row per team, then one per expert, one cell per week, coloured by
utilisation.

Each cell carries its numbers in attributes written the same in every language (``data-capacity="40.00"``)
and its utilisation as text, so the chart is read without colour; a table repeats every number."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kpo.capacity.selectors import CapacityReport
from kpo.core.formatting import day, number
from kpo.engine.capacity import TeamWeek, WeekLoad
from kpo.engine.chart_labels import wrap_label

LABEL_WIDTH = 190
CELL_WIDTH = 52
CELL_HEIGHT = 26
HEAD_HEIGHT = 34
LABEL_CHARS = 28

BANDS = (
    (0.5, "cap-low"),
    (0.8, "cap-mid"),
    (1.0, "cap-high"),
)


Load = WeekLoad | TeamWeek


def band(load: Load) -> str:
    """The CSS class of a cell: no capacity, under 50 %, 50-80 %, 80-100 %, over 100 %."""
    share = load.utilisation
    if share is None:
        return "cap-none"
    for limit, css in BANDS:
        if share < limit or (limit == 1.0 and share <= limit):
            return css
    return "cap-over"


def utilisation_text(load: Load) -> str:
    share = load.utilisation
    if share is None:
        return "\N{EN DASH}"
    return f"{number(share * 100, 0)} %"


def hours(value: float) -> str:
    """Hours as the page, the CSV and the API write them in attributes: two decimals, a dot."""
    return f"{value:.2f}"


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    week_start: dt.date
    load: Load
    css: str
    text: str

    @property
    def capacity(self) -> str:
        return hours(self.load.capacity)

    @property
    def committed(self) -> str:
        return hours(self.load.committed)

    @property
    def free(self) -> str:
        return hours(self.load.free)


@dataclass(frozen=True)
class Row:
    expert_id: int | None
    name: str
    y: int
    cells: list[Cell]
    team_id: int | None = None

    @property
    def lines(self) -> tuple[str, ...]:
        return wrap_label(self.name, LABEL_CHARS, lines=1)


@dataclass(frozen=True)
class Column:
    x: int
    week_start: dt.date
    label: str


@dataclass(frozen=True)
class HeatMap:
    width: int
    height: int
    columns: list[Column]
    rows: list[Row]
    description: str
    cell_width: int = CELL_WIDTH
    cell_height: int = CELL_HEIGHT
    label_width: int = LABEL_WIDTH


def week_label(monday: dt.date) -> str:
    # Translators: an ISO week number on the capacity heat map's header, "W12"
    return _("W%(week)s") % {"week": monday.isocalendar().week}


def heat_map(report: CapacityReport) -> HeatMap:
    columns = [
        Column(x=LABEL_WIDTH + index * CELL_WIDTH, week_start=monday, label=week_label(monday))
        for index, monday in enumerate(report.weeks)
    ]
    labelled: list[tuple[str, int | None, int | None, Sequence[Load]]] = [
        (_("Team: %(name)s") % {"name": team.name}, None, team.team_id, team.loads) for team in report.teams
    ]
    labelled += [(expert.name, expert.expert_id, None, expert.loads) for expert in report.rows]
    rows = []
    for index, (name, expert_id, team_id, loads) in enumerate(labelled):
        y = HEAD_HEIGHT + index * CELL_HEIGHT
        cells = [
            Cell(
                x=column.x,
                y=y,
                week_start=column.week_start,
                load=load,
                css=band(load),
                text=utilisation_text(load),
            )
            for column, load in zip(columns, loads, strict=True)
        ]
        rows.append(Row(expert_id=expert_id, name=name, y=y, cells=cells, team_id=team_id))
    busy = sum(1 for row in report.rows for load in row.loads if (load.utilisation or 0) >= 1.0)
    description = ngettext(
        "%(experts)s expert over %(weeks)s weeks from %(first)s; each cell is one week's committed hours "
        "as a share of capacity; %(busy)s expert-weeks are fully booked or over.",
        "%(experts)s experts over %(weeks)s weeks from %(first)s; each cell is one week's committed hours "
        "as a share of capacity; %(busy)s expert-weeks are fully booked or over.",
        len(report.rows),
    ) % {
        "experts": len(report.rows),
        "weeks": len(report.weeks),
        "first": day(report.weeks[0]) if report.weeks else "",
        "busy": busy,
    }
    if report.teams:
        description += " " + _(
            "The first rows are the teams' (%(teams)s), each summed over its members listed."
        ) % {"teams": len(report.teams)}
    return HeatMap(
        width=LABEL_WIDTH + len(columns) * CELL_WIDTH + 4,
        height=HEAD_HEIGHT + len(rows) * CELL_HEIGHT + 4,
        columns=columns,
        rows=rows,
        description=description,
    )
