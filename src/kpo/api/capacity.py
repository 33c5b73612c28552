"""Capacity of a provider's experts per ISO week: capacity, committed and free hours."""

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Schema

from kpo.api.routing import ApiRouter
from kpo.api.schemas import Id, user_of
from kpo.capacity.access import access_capacity_provider
from kpo.capacity.selectors import capacity_report
from kpo.core.clock import installation_date, request_now
from kpo.engine.capacity import DEFAULT_WEEKS, MAX_WEEKS

router = ApiRouter(tags=["capacity"])

Weeks = Annotated[
    int, Field(ge=1, le=MAX_WEEKS, description=f"ISO weeks from this week on (1 to {MAX_WEEKS}).")
]


class CapacityQuery(Schema):
    weeks: Weeks = DEFAULT_WEEKS


class CapacityRowOut(Schema):
    expert_id: int
    name: str
    week_start: dt.date = Field(description="The Monday of the ISO week.")
    capacity_hours: float = Field(description="Working days less public holidays and absences, 8 h each.")
    committed_hours: float = Field(description="Open assignments' planned hours spread over their windows.")
    free_hours: float = Field(description="Capacity less committed, not below zero.")


@router.reads("/organisations/{provider_id}/capacity", list[CapacityRowOut], 404, 422)
def get_capacity(
    request: HttpRequest, provider_id: Id, query: Query[CapacityQuery]
) -> list[dict[str, object]]:
    """One row per active expert of a provider you manage or audit and per week, experts by name."""
    provider = access_capacity_provider(user_of(request), provider_id)
    report = capacity_report([provider.pk], today=installation_date(request_now(request)), weeks=query.weeks)
    return [
        {
            "expert_id": row.expert_id,
            "name": row.name,
            "week_start": load.week_start,
            "capacity_hours": load.capacity,
            "committed_hours": load.committed,
            "free_hours": load.free,
        }
        for row in report.rows
        for load in row.loads
    ]
