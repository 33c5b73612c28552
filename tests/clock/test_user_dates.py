"""Form defaults are "today" as the user knows it: at 20:00 UTC an expert in Kolkata already logs time
for tomorrow's date, while a client admin in Copenhagen still starts an engagement today."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from tests.cast import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

EVENING_UTC = dt.datetime(2027, 1, 14, 20, 0, tzinfo=dt.UTC)  # 01:30 on the 15th in Kolkata


def _value(html: str, name: str) -> str:
    field = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert field is not None, f"no {name} field"
    value = re.search(r'value="([^"]*)"', field.group(0))
    return value.group(1) if value else ""


def test_the_time_form_defaults_to_the_experts_own_date(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(EVENING_UTC, tick=False):
        page = client_for("carol").get(reverse("task_detail", kwargs={"task_id": cast.task_a.pk}))
    assert page.status_code == 200
    assert _value(page.content.decode(), "time-date") == "2027-01-15"


def test_a_new_engagement_starts_on_the_clients_own_date(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(EVENING_UTC, tick=False):
        page = client_for("alice").get(reverse("engagement_create"))
    assert page.status_code == 200
    assert _value(page.content.decode(), "start_date") == "2027-01-14"
