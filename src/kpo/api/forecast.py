"""The demand forecast of one organisation: expected hours per ISO week by domain and skill and, for a
provider, its experts' free hours (the bench) and the shortfalls; the same numbers as the forecast page."""

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Schema

from kpo.api.routing import ApiRouter
from kpo.api.schemas import Id, user_of
from kpo.core.clock import installation_date, request_now
from kpo.engine.forecast import Method
from kpo.experts.models import DomainChoice
from kpo.forecast.access import access_forecast_organisation
from kpo.forecast.forms import DEFAULT_WEEKS, MAX_WEEKS, MIN_WEEKS
from kpo.forecast.presenters import Row, report_rows
from kpo.forecast.selectors import demand_report

router = ApiRouter(tags=["demand forecast"])

SKILL_ROWS = 50

Weeks = Annotated[
    int,
    Field(
        ge=MIN_WEEKS, le=MAX_WEEKS, description=f"ISO weeks from this week on ({MIN_WEEKS} to {MAX_WEEKS})."
    ),
]


class ForecastQuery(Schema):
    weeks: Weeks = DEFAULT_WEEKS


class MethodOut(Schema):
    name: str
    alpha: float = Field(description="The EWMA's weight of the latest complete week.")
    history_weeks: int = Field(description="Complete weeks of approved hours the EWMA reads.")


class ForecastRowOut(Schema):
    key: str = Field(description="The domain's code, or the ESCO skill's id.")
    label: str
    expected_hours: list[float] = Field(description="One value per week of `weeks`.")
    free_hours: list[float] | None = Field(description="The provider's free hours (providers only).")
    shortfall_hours: list[float] | None = Field(
        description="Expected less free hours: above zero, a shortfall (providers only)."
    )
    total_expected_hours: float


class ForecastOut(Schema):
    organisation_id: int
    weeks: list[dt.date] = Field(description="The Monday of each ISO week.")
    method: MethodOut
    engagements: int = Field(description="Active engagements counted.")
    engagements_capped_by_budget: int
    engagements_without_rate: int = Field(description="Counted without a budget cap: no rate is known.")
    bench_experts: int | None = Field(description="Active experts whose free hours count (providers only).")
    domains: list[ForecastRowOut]
    skills: list[ForecastRowOut] = Field(description=f"The {SKILL_ROWS} skills with the most expected hours.")


def _row(row: Row, provider: bool) -> ForecastRowOut:
    return ForecastRowOut(
        key=row.key,
        label=row.label,
        expected_hours=[cell.expected for cell in row.cells],
        free_hours=[cell.free or 0.0 for cell in row.cells] if provider else None,
        shortfall_hours=[cell.gap or 0.0 for cell in row.cells] if provider else None,
        total_expected_hours=row.total,
    )


@router.reads("/organisations/{organisation_id}/forecast", ForecastOut, 403, 404, 422)
def get_forecast(request: HttpRequest, organisation_id: Id, query: Query[ForecastQuery]) -> ForecastOut:
    """The forecast of a provider you manage (its active engagements, with free hours and shortfalls) or
    of a client you administer (its active engagements' expected hours only)."""
    scope = access_forecast_organisation(user_of(request), organisation_id)
    today = installation_date(request_now(request))
    report = demand_report(scope, weeks=query.weeks, today=today, skill_rows=SKILL_ROWS)
    domains, skills = report_rows(
        report,
        {choice.value: str(choice.label) for choice in DomainChoice},
        charts=False,
        texts={},
        skill_limit=SKILL_ROWS,
    )
    method = Method()
    return ForecastOut(
        organisation_id=organisation_id,
        weeks=list(report.result.weeks),
        method=MethodOut(name=method.name, alpha=method.alpha, history_weeks=method.history_weeks),
        engagements=report.engagements,
        engagements_capped_by_budget=len(report.result.capped),
        engagements_without_rate=report.rates_missing,
        bench_experts=None if report.free is None else report.free.experts,
        domains=[_row(row, report.free is not None) for row in domains],
        skills=[_row(row, report.free is not None) for row in skills],
    )
