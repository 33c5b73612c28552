"""The demand forecast page: expected hours per domain and skill for the weeks ahead, with the provider's
free hours and shortfalls for its managers, and the method in plain words."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kpo.core.clock import installation_date, request_now
from kpo.engine.forecast import Method
from kpo.experts.models import DomainChoice
from kpo.forecast.access import forecast_scope
from kpo.forecast.forms import ForecastFilterForm
from kpo.forecast.presenters import SKILL_ROWS, report_rows
from kpo.forecast.selectors import demand_report


@login_required
@require_GET
def demand_forecast(request: HttpRequest) -> HttpResponse:
    scope = forecast_scope(request.user)
    if scope.empty:
        raise Http404(_("No forecast for you here."))
    form = ForecastFilterForm(request.GET or None)
    weeks = form.chosen_weeks()
    today = installation_date(request_now(request))
    report = demand_report(scope, weeks=weeks, today=today, skill_rows=SKILL_ROWS)
    texts = {
        "week": _("W%(week)s"),
        "bar": _("Week %(week)s: %(hours)s hours expected"),
        "free": _("%(hours)s hours free"),
    }
    domains, skills = report_rows(
        report,
        {choice.value: str(choice.label) for choice in DomainChoice},
        charts=True,
        texts=texts,
        skill_limit=SKILL_ROWS,
    )
    return render(
        request,
        "forecast/forecast.html",
        {
            "form": form,
            "report": report,
            "weeks": report.result.weeks,
            "domains": domains,
            "skills": skills,
            "provider_view": report.free is not None,
            "method": Method(),
        },
        status=400 if form.errors else 200,
    )
