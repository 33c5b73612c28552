"""A provider's teams: kept by its managers (audited, bad input named and refused), summed per week on
the capacity page, its table, the CSV and the API alike, filtered by team, at a fixed query count."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpo.audit.models import AuditEntry
from kpo.capacity.models import Team, TeamMember
from kpo.capacity.teams import team_update
from kpo.experts.models import ExpertProfile
from kpo.orgs.models import Membership
from kpo.work.models import Assignment
from tests.capacity.test_capacity_pages import NOW, page_rows
from tests.cast import Cast

pytestmark = pytest.mark.django_db

TEAM_ROW = re.compile(
    r'<tr data-team="(\d+)" data-week="([\d-]+)" data-capacity="([\d.]+)" '
    r'data-committed="([\d.]+)" data-free="([\d.]+)"'
)
TEAM_CELLS = re.compile(r'<g data-team="(\d+)">(.*?)</g>\s*</g>', re.S)

TeamRows = set[tuple[int, str, str, str, str]]


def page_team_rows(html: str) -> TeamRows:
    return {(int(t), w, c, m, f) for t, w, c, m, f in TEAM_ROW.findall(html)}


def csv_team_rows(body: bytes) -> TeamRows:
    reader = csv.DictReader(io.StringIO(body.decode()))
    return {
        (int(r["team_id"]), r["week_start"], r["capacity_hours"], r["committed_hours"], r["free_hours"])
        for r in reader
        if r["team_id"]
    }


def api_team_rows(data: list[dict[str, Any]]) -> TeamRows:
    return {
        (
            r["team_id"],
            r["week_start"],
            f"{r['capacity_hours']:.2f}",
            f"{r['committed_hours']:.2f}",
            f"{r['free_hours']:.2f}",
        )
        for r in data
    }


def make_team(cast: Cast, name: str, *experts: ExpertProfile) -> Team:
    team = Team.objects.create(organisation=cast.provider_p, name=name)
    TeamMember.objects.bulk_create(TeamMember(team=team, expert=expert) for expert in experts)
    return team


def test_a_manager_creates_renames_staffs_and_removes_a_team_audited(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    pete = client_for("pete")
    carol, erin = cast.carol.expert_profile, cast.erin.expert_profile
    response = pete.post(
        reverse("capacity_team_create"),
        {"provider": cast.provider_p.pk, "name": "  Process   analytics ", "members": [carol.pk, erin.pk]},
    )
    team = Team.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "capacity_team", kwargs={"team_id": team.pk}
    )
    assert team.name == "Process analytics" and set(team.members.all()) == {carol, erin}
    created = AuditEntry.objects.get(event="provider_team_changed")
    assert created.details["action"] == "created" and created.details["added"] == sorted([carol.pk, erin.pk])
    page = pete.get(reverse("capacity_team", kwargs={"team_id": team.pk})).content.decode()
    assert cast.carol.get_full_name() in page and "Save team" in page
    listing = pete.get(reverse("capacity_teams")).content.decode()
    assert "Process analytics" in listing and f'data-team="{team.pk}"' in listing
    response = pete.post(
        reverse("capacity_team_edit", kwargs={"team_id": team.pk}),
        {"name": "Analytics", "members": [erin.pk]},
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.name == "Analytics" and list(team.members.all()) == [erin]
    changed = AuditEntry.objects.filter(event="provider_team_changed").order_by("-id").first()
    assert changed is not None
    assert changed.details["removed"] == [carol.pk] and changed.details["renamed_from"] == "Process analytics"
    assert pete.post(reverse("capacity_team_delete", kwargs={"team_id": team.pk})).status_code == 302
    assert not Team.objects.exists() and ExpertProfile.objects.filter(pk=erin.pk).exists()
    assert AuditEntry.objects.filter(event="provider_team_changed", details__action="deleted").exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "   "}, "name", "This field is required"),
        ({"name": "x" * 101}, "name", "at most 100 characters"),
        ({"name": "data desk"}, "name", "already has a team of that name"),
        ({"members": ["999999"]}, "members", "Select a valid choice"),
        ({"provider": "999999"}, "provider", "Select a valid choice"),
    ],
)
def test_bad_team_input_is_refused_naming_the_field(  # type: ignore[no-untyped-def]
    cast: Cast, client_for, fields: dict[str, object], field: str, message: str
) -> None:
    make_team(cast, "Data desk")
    data: dict[str, object] = {"provider": cast.provider_p.pk, "name": "New team", "members": []}
    data.update(fields)
    response = client_for("pete").post(reverse("capacity_team_create"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert Team.objects.count() == 1 and not AuditEntry.objects.filter(event="provider_team_changed").exists()


def test_an_expert_of_another_provider_cannot_join(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    team = make_team(cast, "Data desk")
    other = ExpertProfile.objects.exclude(organisation=cast.provider_p).first()
    assert other is not None
    with pytest.raises(ValidationError) as refused:
        team_update(user=cast.pete, team=team, members=[other.pk])
    assert list(refused.value.message_dict) == ["members"] and not team.members.exists()
    response = client_for("pete").patch(
        f"/api/teams/{team.pk}", {"members": [other.pk]}, content_type="application/json"
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["members"]
    assert not team.members.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("quinn", 404), ("alice", 404), ("carol", 404), ("auditor", 403)]
)
def test_only_the_providers_managers_change_teams(cast: Cast, client_for, who: str, status: int) -> None:  # type: ignore[no-untyped-def]
    team = make_team(cast, "Data desk", cast.carol.expert_profile)
    if who == "auditor":
        user = User.objects.create_user("paul", first_name="Paul", last_name="Auditor")
        Membership.objects.create(user=user, organisation=cast.provider_p, role="auditor")
        client = Client()
        client.force_login(user)
        assert client.get(reverse("capacity_team", kwargs={"team_id": team.pk})).status_code == 200
        assert (
            "Save team"
            not in client.get(reverse("capacity_team", kwargs={"team_id": team.pk})).content.decode()
        )
    else:
        client = client_for(who)
    edit = client.post(reverse("capacity_team_edit", kwargs={"team_id": team.pk}), {"name": "Taken over"})
    assert edit.status_code == status
    assert client.post(reverse("capacity_team_delete", kwargs={"team_id": team.pk})).status_code == status
    create = client.post(reverse("capacity_team_create"), {"provider": cast.provider_p.pk, "name": "Mine"})
    assert create.status_code == {"quinn": 400, "auditor": 403}.get(who, 404)  # quinn: not a provider choice
    assert list(Team.objects.values_list("name", flat=True)) == ["Data desk"]


def test_team_rows_sum_their_members_on_the_page_csv_and_api(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    carol, rex, erin = (user.expert_profile for user in (cast.carol, cast.rex, cast.erin))
    desk = make_team(cast, "Data desk", carol, rex)
    solo = make_team(cast, "Solo", erin)
    make_team(cast, "Empty")
    with time_machine.travel(NOW, tick=False):
        pete = client_for("pete")
        html = pete.get(reverse("capacity"), {"weeks": 4}).content.decode()
        body = pete.get(reverse("capacity_csv"), {"weeks": 4}).content
        data = pete.get(f"/api/organisations/{cast.provider_p.pk}/capacity/teams", {"weeks": 4}).json()
    teams = page_team_rows(html)
    assert teams == csv_team_rows(body) == api_team_rows(data)
    experts = page_rows(html)
    for team, members in ((desk, {carol.pk, rex.pk}), (solo, {erin.pk})):
        for week in sorted({row[1] for row in experts}):
            mine = [row for row in experts if row[0] in members and row[1] == week]
            (row,) = [row for row in teams if row[0] == team.pk and row[1] == week]
            for column in (2, 3, 4):
                assert float(row[column]) == pytest.approx(sum(float(m[column]) for m in mine)), (team, week)
    assert any(float(row[3]) > 0 for row in teams if row[0] == desk.pk), "the desk has no committed hours"
    assert {row[0] for row in teams} == {desk.pk, solo.pk, Team.objects.get(name="Empty").pk}
    assert len(TEAM_CELLS.findall(html)) == 3  # a heat-map row per team
    assert "Team: Data desk" in html


def test_the_team_filter_keeps_its_members_and_its_row(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    carol, rex, erin = (user.expert_profile for user in (cast.carol, cast.rex, cast.erin))
    desk = make_team(cast, "Data desk", carol, rex)
    make_team(cast, "Solo", erin)
    with time_machine.travel(NOW, tick=False):
        pete = client_for("pete")
        html = pete.get(reverse("capacity"), {"team": desk.pk, "weeks": 2}).content.decode()
        api = pete.get(f"/api/organisations/{cast.provider_p.pk}/capacity", {"team": desk.pk, "weeks": 2})
        teams = pete.get(
            f"/api/organisations/{cast.provider_p.pk}/capacity/teams", {"team": desk.pk, "weeks": 2}
        )
        body = pete.get(reverse("capacity_csv"), {"team": desk.pk, "weeks": 2}).content
    assert {row[0] for row in page_rows(html)} == {carol.pk, rex.pk}
    assert {row["expert_id"] for row in api.json()} == {carol.pk, rex.pk}
    assert {row[0] for row in page_team_rows(html)} == {desk.pk} == {row["team_id"] for row in teams.json()}
    assert {row[0] for row in csv_team_rows(body)} == {desk.pk}
    assert cast.erin.get_full_name() not in html


def test_a_team_that_is_not_the_providers_is_refused_naming_the_field(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    make_team(cast, "Ours")
    other = Team.objects.create(organisation=cast.provider_q, name="Theirs")
    pete = client_for("pete")
    for value in (str(other.pk), "999999", "x", "0"):
        for path in ("capacity", "capacity/teams"):
            response = pete.get(f"/api/organisations/{cast.provider_p.pk}/{path}", {"team": value})
            assert response.status_code == 422, (value, path)
            assert [error["field"] for error in response.json()["errors"]] == ["team"]
        page = pete.get(reverse("capacity"), {"team": value})
        assert page.status_code == 200 and "has-error" in page.content.decode()  # the field's error shows
        assert len(page_rows(page.content.decode())) == 12 * 3  # and the page keeps everyone


def test_teams_keep_the_page_at_a_fixed_number_of_queries(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        pete = client_for("pete")
    make_team(cast, "Data desk", cast.carol.expert_profile)

    def count(**params: object) -> int:
        with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
            assert pete.get(reverse("capacity"), params).status_code == 200
        return len(queries)

    count()
    small = count()
    filtered = count(team=Team.objects.get().pk)
    experts = list(ExpertProfile.objects.filter(organisation=cast.provider_p))
    for index in range(12):
        make_team(cast, f"Team {index}", *experts[: 1 + index % 3])
        Assignment.objects.filter(expert=experts[0]).update(planned_hours=Decimal(10 + index))
    assert count() == small
    assert count(team=Team.objects.get(name="Team 5").pk) == filtered
    with time_machine.travel(NOW, tick=False):
        html = pete.get(reverse("capacity")).content.decode()
    assert len(TEAM_CELLS.findall(html)) == 13


def test_the_list_of_teams_is_for_the_providers_readers(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    make_team(cast, "Data desk")
    assert "Data desk" in client_for("pete").get(reverse("capacity_teams")).content.decode()
    assert "Data desk" not in client_for("quinn").get(reverse("capacity_teams")).content.decode()
    for who in ("alice", "carol", "ops"):
        assert client_for(who).get(reverse("capacity_teams")).status_code == 404, who
    when = dt.datetime(2027, 3, 23, 10, tzinfo=dt.UTC)
    with time_machine.travel(when, tick=False):
        assert 'name="team"' in client_for("pete").get(reverse("capacity")).content.decode()
