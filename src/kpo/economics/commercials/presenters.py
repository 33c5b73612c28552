"""Commercials shaped for the pages: bar charts, the client dashboard's charts, rate cards by provider.

Charts are server-rendered: geometry for `economics/_bar_chart.html` (an SVG with a title, a
description and a table fallback; no JavaScript)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from kpo.core.formatting import country
from kpo.economics.commercials.selectors.client_dashboard import ClientCommercials
from kpo.economics.models import RateCardLine
from kpo.engine.chart_labels import wrap_label

WIDTH = 640
LABEL_WIDTH = 200
VALUE_WIDTH = 130
ROW_HEIGHT = 32
LABEL_CHARS = 27
"""Characters on one line of a label (LABEL_WIDTH at the chart's 13 px); a label takes up to two."""


def bar_chart(
    chart_id: str, title: str, rows: Sequence[tuple[str, Decimal]], currency: str, *, countries: bool = False
) -> dict[str, Any]:
    """Horizontal bars on one axis that includes zero (negative values grow leftwards)."""
    values = [value for _label, value in rows]
    low = min([Decimal(0), *values])
    high = max([Decimal(0), *values])
    span = (high - low) or Decimal(1)
    area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    zero = LABEL_WIDTH + float((0 - low) / span) * area
    bars = []
    for index, (code_or_label, value) in enumerate(rows):
        end = LABEL_WIDTH + float((value - low) / span) * area
        x = min(zero, end)
        label = country(code_or_label) if countries else code_or_label
        bars.append(
            {
                "label": label,
                "lines": wrap_label(label, LABEL_CHARS),
                "value": value,
                "negative": value < 0,
                "x": f"{x:.1f}",
                "width": f"{max(abs(end - zero), 1.0):.1f}",
                "y": index * ROW_HEIGHT + 6,
                "text_y": index * ROW_HEIGHT + 21,
            }
        )
    return {
        "id": chart_id,
        "title": title,
        "rows": bars,
        "currency": currency,
        "countries": countries,
        "width": WIDTH,
        "height": max(len(bars), 1) * ROW_HEIGHT + 8,
        "zero": f"{zero:.1f}",
        "value_x": WIDTH - VALUE_WIDTH + 8,
        "label_x": LABEL_WIDTH - 8,
    }


def dashboard_charts(data: ClientCommercials) -> dict[str, dict[str, Any]]:
    """The client dashboard's four charts: spend by domain, provider and country; savings by engagement."""
    currency = data.currency
    return {
        "domain": bar_chart("chart-domain", _("Spend by domain"), data.by_domain, currency),
        "provider": bar_chart("chart-provider", _("Spend by provider"), data.by_provider, currency),
        "country": bar_chart(
            "chart-country", _("Spend by provider country"), data.by_country, currency, countries=True
        ),
        "savings": bar_chart(
            "chart-savings",
            _("Realised savings by engagement"),
            [(engagement.title, savings.saved) for engagement, savings in data.savings_by_engagement],
            currency,
        ),
    }


def rate_card_groups(
    lines: Iterable[RateCardLine], *, today: dt.date, managed: set[int], costs_shown: Callable[[int], bool]
) -> list[dict[str, Any]]:
    """Rate-card lines grouped by provider, each marked current (valid today) and manageable; a group's
    `show_cost` says whether its cost rates are shown (`costs_shown(provider_id)`)."""
    groups: dict[int, dict[str, Any]] = {}
    for line in lines:
        group = groups.setdefault(
            line.provider_id,
            {"provider": line.provider, "lines": [], "show_cost": costs_shown(line.provider_id)},
        )
        group["lines"].append(
            {"line": line, "current": line.valid_on(today), "manage": line.provider_id in managed}
        )
    return list(groups.values())
