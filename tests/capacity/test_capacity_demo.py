"""On the demo world: the capacity page, its CSV and the API give the same numbers for priya's provider,
and the heat map is not flat (busy weeks, absences and holidays)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from kpo.capacity.models import Absence
from kpo.demo.seed import seed_demo
from kpo.orgs.models import Membership
from tests.capacity.test_capacity_pages import api_rows, csv_rows, page_rows

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
    page = page_rows(html)
    assert page == csv_rows(body) == api_rows(data)
    experts = {row[0] for row in page}
    assert len(page) == 12 * len(experts) and len(experts) >= 3
    assert any(float(row[3]) > 0 for row in page), "nobody has committed hours"
    capacities = {float(row[2]) for row in page}
    assert len(capacities) > 1, "every week has the same capacity: no absences or holidays show"
    assert Absence.objects.filter(expert_id__in=experts).exists()
    assert 'role="img"' in html and "cap-cell" in html
