"""Backtest of the demand forecast (kpo.engine.forecast) on the demo world's history; prints JSON.

For each cut-off Monday in the past (the last `--cutoffs` Mondays that still have `--horizon` complete
weeks after them), the forecast is made from what was known at the cut-off (tasks waiting for staff then,
approved time dated before it, assignments made before it) and compared, per domain and week, with the
approved hours actually logged in the weeks after. The naive baseline repeats the last complete week's
approved hours. Reported per domain and overall: MAE (hours per domain-week) and WAPE (sum of absolute
errors / sum of actual hours).

Caveat: an entry approved after the cut-off but dated before it counts as known at the cut-off (kpo keeps
no approval history beyond the entry's latest decision).

    .venv/bin/python bench/forecast.py [--experts 300] [--cutoffs 8] [--horizon 4]
    (KPO_BENCH_FORECAST_DB=path reuses or seeds that SQLite database)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from seeded_db import prepare


def _errors_json(pairs: list[tuple[float, float]]) -> dict[str, Any]:
    from kpo.engine.forecast import errors

    measured = errors(pairs)
    return {
        "mae_hours": round(measured.mae, 2),
        "wape": None if measured.wape is None else round(measured.wape, 3),
        "points": measured.points,
        "actual_hours": round(measured.actual_hours, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--experts", type=int, default=300)
    parser.add_argument("--cutoffs", type=int, default=8)
    parser.add_argument("--horizon", type=int, default=4)
    parser.add_argument("--alphas", default="0.3,0.5,0.8", help="EWMA weights to compare (sensitivity)")
    args = parser.parse_args()
    database = Path(os.environ.get("KPO_BENCH_FORECAST_DB", "/tmp/kpo-bench-forecast/bench.sqlite3"))
    preparation = prepare(database, args.experts)

    import django

    django.setup()
    from django.utils import timezone

    from kpo.core.clock import installation_date, installation_zone
    from kpo.engine.forecast import Method, forecast, monday_of, naive_forecast
    from kpo.forecast.selectors import demand_inputs
    from kpo.work.models import Engagement, TimeEntry, TimeEntryStatus

    today = installation_date(timezone.now())
    this_week = monday_of(today)
    last_cutoff = this_week - dt.timedelta(weeks=args.horizon)
    cutoffs = [last_cutoff - dt.timedelta(weeks=index) for index in reversed(range(args.cutoffs))]
    actual: dict[tuple[str, dt.date], float] = defaultdict(float)
    for domain, day, hours in TimeEntry.objects.filter(status=TimeEntryStatus.APPROVED).values_list(
        "task__engagement__domain", "date", "hours"
    ):
        actual[(domain, monday_of(day))] += float(hours)
    engagements = list(Engagement.objects.order_by("id"))
    domains = sorted({engagement.domain for engagement in engagements})
    alphas = [float(value) for value in args.alphas.split(",") if value]
    method = Method()
    pairs: dict[str, dict[str, list[tuple[float, float]]]] = {
        name: defaultdict(list) for name in ("forecast", "naive", *(f"alpha_{a}" for a in alphas))
    }
    zone = installation_zone()
    for cutoff in cutoffs:
        known_at = dt.datetime.combine(cutoff, dt.time(0, 0), tzinfo=zone)
        running = [engagement for engagement in engagements if engagement.start_date < cutoff]
        inputs = demand_inputs(
            running, first_day=cutoff, history_weeks=method.history_weeks, known_at=known_at
        )
        predictions = {
            "forecast": forecast(first_day=cutoff, weeks=args.horizon, tasks=inputs.tasks, burns=inputs.burns)
        }
        for alpha in alphas:
            predictions[f"alpha_{alpha}"] = forecast(
                first_day=cutoff,
                weeks=args.horizon,
                tasks=inputs.tasks,
                burns=inputs.burns,
                method=Method(alpha=alpha),
            )
        for domain in domains:
            if not any(engagement.domain == domain for engagement in running):
                continue
            naive = naive_forecast(actual[(domain, cutoff - dt.timedelta(weeks=1))], args.horizon)
            for index in range(args.horizon):
                week = cutoff + dt.timedelta(weeks=index)
                truth = actual[(domain, week)]
                pairs["naive"][domain].append((truth, naive[index]))
                for name, predicted in predictions.items():
                    row = predicted.by_domain.get(domain, (0.0,) * args.horizon)
                    pairs[name][domain].append((truth, row[index]))
    report: dict[str, Any] = {
        "benchmark": "demand forecast backtest on the demo world",
        "seeded": preparation,
        "today": today.isoformat(),
        "cutoffs": [cutoff.isoformat() for cutoff in cutoffs],
        "horizon_weeks": args.horizon,
        "method": {"alpha": method.alpha, "history_weeks": method.history_weeks},
        "per_domain": {},
        "overall": {},
        "sensitivity_overall": {},
    }
    for domain in domains:
        report["per_domain"][domain] = {
            "forecast": _errors_json(pairs["forecast"][domain]),
            "naive_last_week": _errors_json(pairs["naive"][domain]),
        }
    for name in ("forecast", "naive"):
        every = [pair for rows in pairs[name].values() for pair in rows]
        report["overall"]["naive_last_week" if name == "naive" else name] = _errors_json(every)
    for alpha in alphas:
        every = [pair for rows in pairs[f"alpha_{alpha}"].values() for pair in rows]
        report["sensitivity_overall"][f"alpha={alpha}"] = _errors_json(every)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
