"""On the demo world: the capacity page, its CSV and the API give the same numbers for priya's provider,
per expert and per team, the heat map is not flat (busy weeks, absences and holidays), and every provider
has two to four teams."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db.models import Count, Q
from django.test import Client
from django.urls import reverse

from kpo.capacity.models import Absence, Team
from kpo.demo.seed import seed_demo
from kpo.orgs.models import Membership, Organisation
from tests.capacity.test_capacity_pages import api_rows, csv_rows, page_rows
from tests.capacity.test_teams import api_team_rows, csv_team_rows, page_team_rows

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 23, 10, 0, tzinfo=dt.UTC)


def test_page_csv_and_api_agree_on_the_demo_world() -> None:
    with time_machine.travel(NOW, tick=False):
        seed_demo(now=NOW, experts=30, seed=7)
        priya = User.objects.get(username="priya")
        provider_id = Membership.objects.get(user=priya, role="provider_manager").organisation_id
        client = Client()
        client.force_login(priya)
        html = client.get(reverse("capacity")).content.decode()
        body = client.get(reverse("capacity_csv")).content
        data = client.get(f"/api/organisations/{provider_id}/capacity").json()
        teams = client.get(f"/api/organisations/{provider_id}/capacity/teams").json()
    page = page_rows(html)
    assert page == csv_rows(body) == api_rows(data)
    team_rows = page_team_rows(html)
    assert team_rows == csv_team_rows(body) == api_team_rows(teams)
    team_ids = {row[0] for row in team_rows}
    assert 2 <= len(team_ids) <= 4 and len(team_rows) == 12 * len(team_ids)
    assert any(float(row[3]) > 0 for row in team_rows), "no team has committed hours"
    for team in Team.objects.filter(organisation_id=provider_id):  # each team row sums its members' rows
        members = set(team.members.values_list("id", flat=True))
        for week in {row[1] for row in page}:
            (row,) = [r for r in team_rows if r[0] == team.pk and r[1] == week]
            mine = [r for r in page if r[0] in members and r[1] == week]
            assert float(row[2]) == pytest.approx(sum(float(r[2]) for r in mine))
            assert float(row[4]) == pytest.approx(sum(float(r[4]) for r in mine))
    providers = Organisation.objects.filter(kind="provider").annotate(
        active=Count("experts", filter=Q(experts__status="active"))
    )
    staffed = [provider for provider in providers if provider.active >= 2]
    assert len(staffed) >= 2
    for provider in staffed:  # a team per domain, or a domain split in two desks
        assert 2 <= provider.teams.count() <= 4, provider.name
    experts = {row[0] for row in page}
    assert len(page) == 12 * len(experts) and len(experts) >= 3
    assert any(float(row[3]) > 0 for row in page), "nobody has committed hours"
    capacities = {float(row[2]) for row in page}
    assert len(capacities) > 1, "every week has the same capacity: no absences or holidays show"
    assert Absence.objects.filter(expert_id__in=experts).exists()
    assert 'role="img"' in html and "cap-cell" in html
