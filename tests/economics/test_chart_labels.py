"""Chart labels that would not fit wrap to two lines, keep their whole text as a tooltip, and every chart
keeps its table (issue 16: "Data analysis and inter…" was cut)."""

from __future__ import annotations

import re
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from kpo.economics.commercials.presenters import bar_chart
from kpo.sla.charts import LABEL_CHARS, Bar

LONG = "Data analysis and interpretation for the board"


def _svg_text(html: str) -> list[str]:
    return re.findall(r"<tspan[^>]*>([^<]*)</tspan>", html)


def test_a_long_label_wraps_keeps_its_tooltip_and_its_table_row() -> None:
    chart = bar_chart(
        "chart-domain", "Spend by domain", [(LONG, Decimal(100)), ("Finance", Decimal(50))], "DKK"
    )
    with translation.override("en"):
        html = render_to_string("economics/_bar_chart.html", {"chart": chart})
    assert _svg_text(html) == ["Data analysis and", "interpretation for the…", "Finance"]
    assert f"<title>{LONG}</title>" in html  # the whole label as the tooltip
    assert f'<th scope="row">{LONG}</th>' in html  # and in the table fallback


def test_country_labels_are_named_in_the_active_language() -> None:
    with translation.override("da"):
        chart = bar_chart("chart-country", "x", [("DE", Decimal(1))], "DKK", countries=True)
        html = render_to_string("economics/_bar_chart.html", {"chart": chart})
    assert _svg_text(html) == ["Tyskland"] and '<th scope="row">Tyskland</th>' in html


def test_sla_bars_wrap_their_task_titles() -> None:
    bar = Bar(label=LONG + " and the auditors", value=1.0, text="100 %", y=0, width=1.0, css="")
    assert len(bar.lines) == 2 and all(len(line) <= LABEL_CHARS for line in bar.lines)
    assert bar.lines[-1].endswith("…")
