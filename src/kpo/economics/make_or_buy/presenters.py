"""A make-or-buy result shaped for the page: summary, tornado chart, sources, assumption rows."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from kpo.core.formatting import money, number
from kpo.core.messages import message_text
from kpo.core.validators import country_name
from kpo.economics.make_or_buy import labels
from kpo.economics.make_or_buy.services.inputs import ASSUMPTION_SPECS
from kpo.economics.models import MakeOrBuyScenario
from kpo.engine.chart_labels import wrap_label
from kpo.engine.costing import Money

TORNADO_BARS = 10  # the inputs that move the answer most
# SVG geometry of the tornado chart (user units; the chart scales to its box)
CHART_WIDTH = 800
LABEL_RIGHT = 318  # labels end here (right-aligned)
LABEL_CHARS = 46  # characters on one line of a label at 12 px; a label takes up to two
PLOT_LEFT = 330
PLOT_RIGHT = 780
ROW_HEIGHT = 30
BAR_HEIGHT = 18
TOP = 8
AXIS_HEIGHT = 46


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number_ = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number_ if number_.is_finite() else None


def _whole(amount: Decimal, currency: str) -> str:
    return money(amount.quantize(Decimal(1)), currency).replace(".00", "").replace(",00", "")


def _shown(raw: object, key: str, currency: str) -> str:
    """A tornado input value as a reader expects it: money, a percentage, months, hours."""
    text = str(raw)
    parts = text.split(" ")
    if len(parts) == 2 and len(parts[0]) == 3 and parts[0].isalpha():
        return money(parts[1].replace(",", ""), parts[0])
    value = _decimal(text)
    if value is None:
        return text
    name = key.rpartition(".")[2]
    spec = ASSUMPTION_SPECS.get(name) if key.startswith("assumptions.") else None
    if spec is not None and spec.kind == "share":
        return f"{number(value * 100, 1)} %"
    if spec is not None and spec.kind == "months":
        return _("%(n)s months") % {"n": number(value, 1)}
    if spec is not None and spec.kind == "ratio":
        return f"\u00d7 {number(value, 2)}"
    if key == "need.hours_per_year":
        return _("%(n)s hours") % {"n": number(value, 0)}
    return number(value, 2)


def target_row(result: dict[str, Any]) -> dict[str, Any] | None:
    """The option the tornado analyses: the cheapest one other than in-house."""
    rows = result.get("options") or []
    wanted = result.get("tornado_target_sourcing")
    for row in rows:
        if (wanted and row.get("sourcing") == wanted) or (
            not wanted and row.get("label") == result.get("tornado_target")
        ):
            return dict(row)
    return None


def tornado_chart(result: dict[str, Any], limit: int = TORNADO_BARS) -> dict[str, Any] | None:
    """The tornado chart of a result as SVG geometry plus the same figures as table rows.

    Each bar: the target option's savings against in-house (its total without an in-house option)
    when one input is 20 % lower (one colour) and 20 % higher (the other), the others held; the
    centre line is the base case. Largest swing first."""
    bars = (result.get("tornado") or [])[:limit]
    currency = str(result.get("currency") or "")
    target = target_row(result)
    if not bars or target is None or not currency:
        return None
    savings = bars[0].get("low_savings") is not None and target.get("savings") is not None
    base = _decimal(target.get("savings") if savings else target.get("total"))
    if base is None:
        return None
    rows: list[dict[str, Any]] = []
    for bar in bars:
        low = _decimal(bar.get("low_savings") if savings else bar.get("low_total"))
        high = _decimal(bar.get("high_savings") if savings else bar.get("high_total"))
        if low is None or high is None:
            continue
        key = str(bar.get("input", ""))
        rows.append(
            {
                "key": key,
                "label": labels.input_label(key, result),
                "lines": wrap_label(labels.input_label(key, result), LABEL_CHARS),
                "low": low,
                "high": high,
                "low_value": _shown(bar.get("low_value"), key, currency),
                "high_value": _shown(bar.get("high_value"), key, currency),
                "base_value": _shown(bar.get("base_value"), key, currency),
                "low_result": money(low, currency),
                "high_result": money(high, currency),
            }
        )
    if not rows:
        return None
    values = [base] + [r["low"] for r in rows] + [r["high"] for r in rows]
    least, most = min(values), max(values)
    # the axis spans the bars (with a little room), not zero: the base line is the reference; a
    # dashed zero line shows where the savings would turn into a loss when it falls in the range
    pad = (most - least) * Decimal("0.04") or abs(base) * Decimal("0.04") or Decimal(1)
    least, most = least - pad, most + pad
    span = most - least
    width = Decimal(PLOT_RIGHT - PLOT_LEFT)

    def x(value: Decimal) -> Decimal:
        position: Decimal = Decimal(PLOT_LEFT) + (value - least) / span * width
        return position.quantize(Decimal("0.1"))

    base_x = x(base)
    for index, row in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        row["y"] = y
        row["bar_y"] = y + (ROW_HEIGHT - BAR_HEIGHT) // 2
        row["text_y"] = y + ROW_HEIGHT // 2 + 5
        for side in ("low", "high"):
            end = x(row[side])
            row[f"{side}_x"] = min(end, base_x)
            row[f"{side}_width"] = max(abs(end - base_x), Decimal("1.0"))
    plot_bottom = TOP + len(rows) * ROW_HEIGHT
    ticks = [{"x": x(least), "label": _whole(least, currency), "anchor": "start"}]
    ticks.append({"x": x(most), "label": _whole(most, currency), "anchor": "end"})
    if abs(base_x - x(least)) > 110 and abs(x(most) - base_x) > 110:
        ticks.append({"x": base_x, "label": _whole(base, currency), "anchor": "middle"})
    zero_x = x(Decimal(0)) if savings and least < 0 < most else None
    if savings:
        title = _("Savings of %(option)s against in-house when each input is 20 %% lower or higher") % {
            "option": labels.option_name(target)
        }
        measure = _("savings against in-house")
    else:
        title = _("Total cost of %(option)s when each input is 20 %% lower or higher") % {
            "option": labels.option_name(target)
        }
        measure = _("total cost")
    return {
        "rows": rows,
        "title": title,
        "measure": measure,
        "base": money(base, currency),
        "base_x": base_x,
        "zero_x": zero_x,
        "ticks": ticks,
        "width": CHART_WIDTH,
        "height": plot_bottom + AXIS_HEIGHT,
        "plot_left": PLOT_LEFT,
        "plot_right": PLOT_RIGHT,
        "plot_top": TOP,
        "plot_bottom": plot_bottom,
        "tick_y": plot_bottom + 18,
        "legend_y": plot_bottom + 38,
        "label_right": LABEL_RIGHT,
        "more": max(len(result.get("tornado") or []) - len(rows), 0),
        "flips": [r["label"] for r in rows if (r["low"] < 0) != (r["high"] < 0)] if savings else [],
    }


def summary(result: dict[str, Any]) -> dict[str, Any] | None:
    """The answer at a glance: the recommended option, what it saves and when it pays back."""
    rows = result.get("options") or []
    chosen = (result.get("recommendation") or {}).get("option")
    row = next((r for r in rows if r.get("sourcing") == chosen), None)
    if row is None:
        return None
    totals = [_decimal(r.get("total")) for r in rows]
    top = max((t for t in totals if t is not None), default=Decimal(0)) or Decimal(1)
    bars = []
    for option, total in zip(rows, totals, strict=True):
        if total is None:
            continue
        bars.append(
            {
                "label": labels.option_name(option),
                "total": total,
                "width": (total / top * 100).quantize(Decimal("0.1")),
                "chosen": option is row,
                "in_house": option.get("sourcing") == "in_house",
            }
        )
    in_house = next((r for r in rows if r.get("sourcing") == "in_house"), None)
    return {
        "option": labels.option_name(row),
        "in_house": row is in_house,
        "savings": _decimal(row.get("savings")),
        "savings_share": row.get("savings_share"),
        "total": _decimal(row.get("total")),
        "per_hour": _decimal(row.get("cost_per_delivered_hour")),
        "break_even_month": row.get("break_even_month"),
        "in_house_total": _decimal(in_house.get("total")) if in_house else None,
        "bars": bars,
    }


def sources(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The reference datasets a result drew on, titled in the active language."""
    listed = []
    for entry in result.get("sources") or []:
        key = entry.get("key")
        if key in labels.SOURCES:
            title, what = labels.SOURCES[key]
            items = _texts(entry.get("item_messages"), entry.get("items"))
            listed.append({"key": key, "title": title, "what": what, "items": items})
    return listed


def assumption_rows(inputs: dict[str, Any]) -> list[dict[str, Any]]:
    """Every assumption a scenario was computed with, next to the model's default."""
    stored = inputs.get("assumptions") or {}
    rows = []
    for name, spec in ASSUMPTION_SPECS.items():
        if name not in stored:
            continue
        label, why = labels.ASSUMPTIONS[name]
        value = stored[name]
        default = spec.default
        if isinstance(value, dict) and isinstance(default, Money):
            shown = money(value.get("amount"), str(value.get("currency", "")))
            amount = _decimal(value.get("amount"))
            changed = (amount, str(value.get("currency"))) != (default.amount, default.currency)
            default_shown = money(default.amount, default.currency)
        else:
            shown = _shown(value, f"assumptions.{name}", "")
            default_shown = _shown(default, f"assumptions.{name}", "")
            changed = _decimal(value) != default
        rows.append(
            {
                "name": name,
                "label": label,
                "why": why,
                "value": shown,
                "default": default_shown,
                "changed": changed,
            }
        )
    return rows


def override_rows(inputs: dict[str, Any]) -> list[dict[str, Any]]:
    """The client's own figures a scenario used (salaries, on-costs, rate cards)."""
    currency = str(inputs.get("currency") or "")
    rows = []
    for kind, figures in (inputs.get("overrides") or {}).items():
        if not isinstance(figures, dict):
            continue
        for figure, value in figures.items():
            if figure not in labels.OVERRIDES:
                continue
            label = labels.OVERRIDES[figure][0]
            shown = number(value, 4) if figure == "on_cost_multiplier" else money(value, currency)
            name = labels.SOURCING_NAMES.get(kind, kind)
            rows.append({"label": f"{name}: {label}", "value": shown})
    return rows


def _texts(stored: Any, fallback: Any) -> list[str]:
    if isinstance(stored, list) and all(isinstance(item, dict) for item in stored):
        return [message_text(item) for item in stored]
    return [str(item) for item in fallback or []]


def localised(result: dict[str, Any]) -> dict[str, Any]:
    """The result's sentences, option names and cost lines in the reader's language (a saved result keeps
    its messages, so it reads in Danish for a Danish reader whoever computed it)."""
    shown = dict(result)
    recommendation = dict(shown.get("recommendation") or {})
    recommendation["reasons"] = _texts(recommendation.get("reason_messages"), recommendation.get("reasons"))
    recommendation["caveats"] = _texts(recommendation.get("caveat_messages"), recommendation.get("caveats"))
    rows = [r for r in shown.get("options") or [] if isinstance(r, dict)]
    chosen = next((r for r in rows if r.get("sourcing") == recommendation.get("option")), None)
    if chosen is not None:
        recommendation["label"] = labels.option_name(chosen)
    shown["recommendation"] = recommendation
    if not shown.get("tornado_target_sourcing"):  # saved before it was kept: found by the English label
        target = next((r for r in rows if r.get("label") == shown.get("tornado_target")), None)
        shown["tornado_target_sourcing"] = target.get("sourcing") if target else ""
    options = []
    for row in rows:
        option = dict(row)
        option["label"] = labels.option_name(row)
        if isinstance(row.get("cost_explained"), dict):
            option["cost_source"] = message_text(row["cost_explained"])
        option["notes"] = _texts(row.get("note_messages"), row.get("notes"))
        if isinstance(row.get("estimate"), dict):
            option["estimate"] = _estimate(row["estimate"])
        explained = row.get("explained") or {}
        option["lines"] = [
            {
                "key": key,
                "label": str(labels.COMPONENTS.get(key, key)),
                "amount": amount,
                "how": message_text(explained[key]) if isinstance(explained.get(key), dict) else "",
            }
            for key, amount in (row.get("components") or {}).items()
        ]
        options.append(option)
    shown["options"] = options
    shown["conversions"] = _texts(shown.get("conversion_messages"), shown.get("conversions"))
    if isinstance(shown.get("client_hourly_cost_explained"), dict):
        shown["client_hourly_cost_source"] = message_text(shown["client_hourly_cost_explained"])
    return shown


def _estimate(stored: dict[str, Any]) -> dict[str, Any]:
    """An option's wage estimate with its inputs named, valued and sourced in the reader's language."""
    estimate = dict(stored)
    estimate["input_rows"] = [
        _input_row(row) for row in stored.get("input_rows") or [] if isinstance(row, dict)
    ]
    basis = str(stored.get("basis") or "")
    estimate["basis"] = str(labels.ESTIMATE_BASES.get(basis, basis))
    estimate["fallbacks"] = _texts(stored.get("fallback_messages"), stored.get("fallbacks"))
    if stored.get("country"):
        estimate["country_name"] = country_name(str(stored["country"]))
    return estimate


def _input_row(row: dict[str, Any]) -> dict[str, Any]:
    label, figure, key = row.get("label"), row.get("figure"), str(row.get("source_key") or "")
    return {
        "name": message_text(label) if isinstance(label, dict) else row.get("name", ""),
        "value": message_text(figure) if isinstance(figure, dict) else row.get("value", ""),
        "source": labels.source_name(key, str(row.get("source", ""))),
    }


def recommended_name(result: dict[str, Any] | None) -> str:
    """The recommended option of a stored result, named in the reader's language ("" without one)."""
    recommendation = (result or {}).get("recommendation") or {}
    rows = [r for r in (result or {}).get("options") or [] if isinstance(r, dict)]
    chosen = next((r for r in rows if r.get("sourcing") == recommendation.get("option")), None)
    return labels.option_name(chosen) if chosen is not None else str(recommendation.get("label") or "")


def named_scenarios(scenarios: Iterable[MakeOrBuyScenario]) -> list[tuple[MakeOrBuyScenario, str]]:
    """Saved scenarios, each with its recommendation named in the reader's language."""
    return [(scenario, recommended_name(scenario.result)) for scenario in scenarios]


def result_context(result: dict[str, Any] | None) -> dict[str, Any]:
    """What the result templates need besides the result itself."""
    if not result or not result.get("options"):
        return {"result": None}
    result = localised(result)
    return {
        "result": result,
        "summary": summary(result),
        "tornado": tornado_chart(result),
        "sources": sources(result),
    }
