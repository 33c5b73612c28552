"""The quality dashboard: rates per provider, client, domain or expert with monthly trends, and the same
table as CSV. Read-only; the scope is the user's (kpo.quality.access.access_dashboard)."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kpo.core.clock import installation_zone, request_now
from kpo.core.spreadsheets import safe_cell
from kpo.engine.quality_rates import MIN_TASKS
from kpo.quality.access import access_dashboard
from kpo.quality.charts import trend_charts
from kpo.quality.dashboard import (
    DashboardFilter,
    GroupRow,
    QualityDashboard,
    dashboard_choices,
    quality_dashboard,
)
from kpo.quality.forms import DashboardFilterForm

ROWS_PER_PAGE = 25


def _dashboard(request: HttpRequest) -> tuple[DashboardFilterForm, DashboardFilter, QualityDashboard]:
    scope = access_dashboard(request.user)
    choices = dashboard_choices(scope)
    form = DashboardFilterForm(request.GET, providers=choices.providers, clients=choices.clients)
    filters = form.filters()
    return form, filters, quality_dashboard(request.user, scope, filters, choices, request_now(request))


@login_required
@require_GET
def quality_dashboard_view(request: HttpRequest) -> HttpResponse:
    form, filters, data = _dashboard(request)
    page = Paginator(data.rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "quality/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "data": data,
            "page": page,
            "charts": trend_charts(data.trend, MIN_TASKS),
            "min_tasks": MIN_TASKS,
            "zone": str(installation_zone()),
            "grouping_label": dict(form.fields["by"].choices).get(filters.by, ""),  # type: ignore[attr-defined]
        },
        status=400 if form.errors else 200,
    )


def _rate(value: float | None, digits: int = 3) -> str:
    return "" if value is None else f"{value:.{digits}f}"


@login_required
@require_GET
def quality_dashboard_csv(request: HttpRequest) -> HttpResponse:
    form, filters, data = _dashboard(request)
    if form.errors:
        problems = "\n".join(
            f"{form.fields[name].label}: {' '.join(str(error) for error in errors)}"
            for name, errors in form.errors.items()
        )
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="quality-by-{filters.by}-{filters.months}m.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(_CSV_HEADER)
    for row in data.rows:
        writer.writerow(_csv_row(filters.by, row))
    return response


_CSV_HEADER = [
    "group",
    "key",
    "name",
    "tasks",
    "on_time",
    "on_time_rate",
    "reworked",
    "rework_rate",
    "ratings",
    "mean_rating",
    "reviews",
    "mean_review",
    "enough_tasks",
]


def _csv_row(by: str, row: GroupRow) -> list[object]:
    rates = row.rates
    return [
        by,
        safe_cell(row.key),
        safe_cell(row.label),
        rates.tasks,
        rates.on_time,
        _rate(rates.on_time_rate),
        rates.reworked,
        _rate(rates.rework_rate),
        rates.ratings,
        _rate(rates.mean_rating, 2),
        rates.reviews,
        _rate(rates.mean_review, 2),
        "yes" if rates.enough(MIN_TASKS) else "no",
    ]
