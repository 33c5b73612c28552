"""Scaling an engagement's team: add seats from a week (tasks waiting for staff, and for a provider manager
a staffing run over them), or release an expert at a date (assignments ended, hand-over tasks). The same
services, rules and audit as the team page; the provider's managers and the client's admins only."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from kpo.api.routing import ApiRouter
from kpo.api.schemas import Id, decimal_input, no_nul, user_of
from kpo.core.errors import DomainError
from kpo.forecast.access import can_scale
from kpo.forecast.models import TeamChange
from kpo.forecast.services import MAX_EXPERTS, MAX_HOURS_PER_WEEK, MAX_SKILLS, team_release, team_scale_up
from kpo.work.access import access_engagement
from kpo.work.models import Engagement

router = ApiRouter(tags=["team"])

HoursPerWeek = Annotated[
    Decimal,
    *decimal_input(ge=1, le=int(MAX_HOURS_PER_WEEK), max_digits=3, places=1, digits=2, minimum=1, maximum=40),
]
Note = Annotated[str, StringConstraints(max_length=500), AfterValidator(no_nul)]


class ScaleIn(Schema):
    experts: int = Field(ge=1, le=MAX_EXPERTS, description=f"Seats to add (1 to {MAX_EXPERTS}).")
    skill_ids: list[Id] = Field(min_length=1, max_length=MAX_SKILLS, description="ESCO skill ids asked for.")
    starts: dt.date = Field(description="A day of the first week; the seats start on its Monday or today.")
    hours_per_week: HoursPerWeek
    until: dt.date = Field(description="The seats' last day, at most the engagement's end.")


class ReleaseIn(Schema):
    expert_id: Id
    on_date: dt.date = Field(description="The first day the expert no longer works on the engagement.")
    note: Note = ""


class TeamChangeOut(Schema):
    id: int
    engagement_id: int
    kind: str = Field(description="scale_up or release")
    task_ids: list[int] = Field(description="The new tasks waiting for staff (seats or hand-overs).")
    run_id: int | None = Field(description="The staffing run started over the new seats, if any.")
    ends_on: dt.date | None = Field(None, description="A release: the last day of the expert's assignments.")
    details: dict[str, Any]


API_FIELDS = {"skills": "skill_ids", "expert": "expert_id"}
"""The services' field names (the page's form fields) as this API names them."""


@contextmanager
def _api_fields() -> Iterator[None]:
    try:
        yield
    except DomainError as error:
        raise DomainError(error.message, field=API_FIELDS.get(error.field, error.field)) from error


def _engagement(request: HttpRequest, engagement_id: int) -> Engagement:
    engagement = access_engagement(user_of(request), engagement_id)
    if not can_scale(user_of(request), engagement):
        raise PermissionDenied(_("Only the provider's managers and the client's admins change the team."))
    return engagement


def _out(change: TeamChange) -> TeamChangeOut:
    on_date = change.details.get("on_date")
    return TeamChangeOut(
        id=change.pk,
        engagement_id=change.engagement_id,
        kind=change.kind,
        task_ids=list(change.details.get("task_ids", [])),
        run_id=change.run_id,
        ends_on=dt.date.fromisoformat(on_date) - dt.timedelta(days=1) if on_date else None,
        details=change.details,
    )


@router.creates("/engagements/{engagement_id}/team/scale", TeamChangeOut, 400, 404, 409, 422)
def scale_team(request: HttpRequest, engagement_id: Id, payload: ScaleIn) -> TeamChangeOut:
    """Add seats asking for these skills, hours a week each from the week of `starts` until `until`;
    audited as `team_scaled`."""
    engagement = _engagement(request, engagement_id)
    with _api_fields():
        change = team_scale_up(
            user=user_of(request),
            engagement=engagement,
            experts=payload.experts,
            skill_ids=payload.skill_ids,
            starts=payload.starts,
            hours_per_week=payload.hours_per_week,
            until=payload.until,
        )
    return _out(change)


@router.creates("/engagements/{engagement_id}/team/release", TeamChangeOut, 400, 404, 409, 422)
def release_from_team(request: HttpRequest, engagement_id: Id, payload: ReleaseIn) -> TeamChangeOut:
    """End the expert's assignments on the engagement's open tasks the day before `on_date`, with a
    hand-over task for the hours left; audited as `expert_released` and `assignment_ended`."""
    engagement = _engagement(request, engagement_id)
    with _api_fields():
        change = team_release(
            user=user_of(request),
            engagement=engagement,
            expert_id=payload.expert_id,
            on_date=payload.on_date,
            note=payload.note,
        )
    return _out(change)
