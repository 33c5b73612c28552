"""Capacity of a provider's experts and teams per ISO week (capacity, committed and free hours), and the
provider's teams (read by its managers and auditors, kept by its managers, audited)."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from pydantic import AfterValidator, StringConstraints

from kpo.api.routing import ApiRouter
from kpo.api.schemas import Id, no_nul, user_of
from kpo.capacity.access import (
    access_capacity_provider,
    access_team,
    access_team_for_change,
    access_team_provider,
)
from kpo.capacity.models import Team
from kpo.capacity.selectors import CapacityFilter, CapacityReport, capacity_report, team_list, teams_of
from kpo.capacity.teams import MAX_MEMBERS, MAX_NAME, team_create, team_delete, team_update
from kpo.core.clock import installation_date, request_now
from kpo.engine.capacity import DEFAULT_WEEKS, MAX_WEEKS

router = ApiRouter(tags=["capacity"])

Weeks = Annotated[
    int, Field(ge=1, le=MAX_WEEKS, description=f"ISO weeks from this week on (1 to {MAX_WEEKS}).")
]
TeamName = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME), AfterValidator(no_nul)]
Members = Annotated[list[Id], Field(max_length=MAX_MEMBERS, description="Expert ids of the provider.")]


class CapacityQuery(Schema):
    weeks: Weeks = DEFAULT_WEEKS
    team: Id | None = Field(None, description="Only this team of the provider (its members, its rows).")


class CapacityRowOut(Schema):
    expert_id: int
    name: str
    week_start: dt.date = Field(description="The Monday of the ISO week.")
    capacity_hours: float = Field(description="Working days less public holidays and absences, 8 h each.")
    committed_hours: float = Field(description="Open assignments' planned hours spread over their windows.")
    free_hours: float = Field(description="Capacity less committed, not below zero.")


class TeamCapacityRowOut(Schema):
    team_id: int
    name: str
    members: int = Field(description="Members counted: the team's active experts.")
    week_start: dt.date = Field(description="The Monday of the ISO week.")
    capacity_hours: float = Field(description="The sum of the members' capacity.")
    committed_hours: float = Field(description="The sum of the members' committed hours.")
    free_hours: float = Field(
        description="The sum of the members' free hours (one's overbooking frees none)."
    )
    utilisation: float | None = Field(description="Committed over capacity; null without capacity.")


class TeamOut(Schema):
    id: int
    organisation_id: int
    name: str
    members: list[int] = Field(description="Expert ids, ascending.")


class TeamIn(Schema):
    name: TeamName
    members: Members = []


class TeamPatch(Schema):
    name: TeamName | None = None
    members: Members | None = Field(None, description="The whole new list of members, when given.")


def _report(request: HttpRequest, provider_id: int, query: CapacityQuery) -> CapacityReport:
    provider = access_capacity_provider(user_of(request), provider_id)
    if query.team is not None and not teams_of([provider.pk]).filter(pk=query.team).exists():
        raise ValidationError({"team": [_("No team of this provider has that id.")]})
    return capacity_report(
        [provider.pk],
        today=installation_date(request_now(request)),
        weeks=query.weeks,
        filters=CapacityFilter(team_id=query.team),
    )


@router.reads("/organisations/{provider_id}/capacity", list[CapacityRowOut], 404, 422)
def get_capacity(
    request: HttpRequest, provider_id: Id, query: Query[CapacityQuery]
) -> list[dict[str, object]]:
    """One row per active expert of a provider you manage or audit and per week, experts by name."""
    report = _report(request, provider_id, query)
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


@router.reads("/organisations/{provider_id}/capacity/teams", list[TeamCapacityRowOut], 404, 422)
def get_team_capacity(
    request: HttpRequest, provider_id: Id, query: Query[CapacityQuery]
) -> list[dict[str, object]]:
    """One row per team of a provider you manage or audit and per week, teams by name: its members'
    capacity, committed and free hours summed (the same numbers as the capacity page's team rows)."""
    report = _report(request, provider_id, query)
    return [
        {
            "team_id": team.team_id,
            "name": team.name,
            "members": team.members,
            "week_start": week.week_start,
            "capacity_hours": week.capacity,
            "committed_hours": week.committed,
            "free_hours": week.free,
            "utilisation": week.utilisation,
        }
        for team in report.teams
        for week in team.loads
    ]


def _team_out(team: Team) -> TeamOut:
    members = sorted(team.memberships.values_list("expert_id", flat=True))
    return TeamOut(id=team.pk, organisation_id=team.organisation_id, name=team.name, members=members)


@router.reads("/organisations/{provider_id}/teams", list[TeamOut], 404, 422)
def list_teams(request: HttpRequest, provider_id: Id) -> list[TeamOut]:
    """The teams of a provider you manage or audit, by name, with their members."""
    provider = access_capacity_provider(user_of(request), provider_id)
    teams = team_list([provider.pk]).prefetch_related("memberships")
    return [
        TeamOut(
            id=team.pk,
            organisation_id=team.organisation_id,
            name=team.name,
            members=sorted(member.expert_id for member in team.memberships.all()),
        )
        for team in teams
    ]


@router.creates("/organisations/{provider_id}/teams", TeamOut, 400, 404, 409, 422)
def create_team(request: HttpRequest, provider_id: Id, payload: TeamIn) -> TeamOut:
    """A new team of a provider you manage; audited as `provider_team_changed`."""
    user = user_of(request)
    provider = access_team_provider(user, provider_id)
    return _team_out(team_create(user=user, provider=provider, name=payload.name, members=payload.members))


@router.reads("/teams/{team_id}", TeamOut, 404, 422)
def get_team(request: HttpRequest, team_id: Id) -> TeamOut:
    return _team_out(access_team(user_of(request), team_id))


@router.writes("PATCH", "/teams/{team_id}", TeamOut, 400, 404, 409, 422)
def update_team(request: HttpRequest, team_id: Id, payload: TeamPatch) -> TeamOut:
    """Rename a team and/or set its members (the provider's managers); audited."""
    user = user_of(request)
    team = access_team_for_change(user, team_id)
    return _team_out(team_update(user=user, team=team, name=payload.name, members=payload.members))


@router.deletes("/teams/{team_id}", 404, 409, 422)
def delete_team(request: HttpRequest, team_id: Id) -> None:
    """Remove a team (the provider's managers); its experts stay as they are. Audited."""
    user = user_of(request)
    team_delete(user=user, team=access_team_for_change(user, team_id))
