"""The time approval page: nothing ticked at first, each entry's value at its bill rate, totals per task
and overall rendered by the server, a clear message for approving nothing, a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from kpo.experts.models import ExpertProfile
from kpo.work.models import Task, TimeEntry
from tests.cast import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

ClientFor = Callable[[str], Client]


def _url(cast: Cast) -> str:
    return reverse("time_approval", kwargs={"engagement_id": cast.engagement_a.pk})


def _more_time(cast: Cast, count: int = 2) -> Task:
    cast.engagement_a.currency = "EUR"
    cast.engagement_a.save()
    other = Task.objects.create(
        engagement=cast.engagement_a,
        title="Second task",
        description="x",
        effort_hours=Decimal(5),
        due_at=cast.task_a.due_at,
        created_by=cast.alice,
    )
    carol = ExpertProfile.objects.get(user=cast.carol)  # EUR 60 an hour on her profile
    for index in range(count):
        TimeEntry.objects.create(
            task=other,
            expert=carol,
            date=dt.date(2026, 11, 2 + index),
            hours=Decimal("1.5"),
            description=f"more {index}",
            status="submitted",
        )
    return other


def test_nothing_is_ticked_and_the_totals_are_on_the_page(cast: Cast, client_for: ClientFor) -> None:
    _more_time(cast)
    body = client_for("pete").get(_url(cast)).content.decode()
    boxes = re.findall(r'<input type="checkbox" name="entries"[^>]*>', body)
    assert len(boxes) == 3 and not any(" checked" in box for box in boxes)
    totals = body[body.index('id="time-totals"') :]
    # cast's entry: 3 h on task A at EUR 60 = 180; two of 1.5 h on the second task = 180
    assert "Task total: Second task" in totals and f"Task total: {cast.task_a.title}" in totals
    cells = re.findall(r'<td class="num">(?:<strong>)?([^<]*)<', totals)
    assert cells == ["3", "€180.00", "3", "€180.00", "6", "€360.00"]
    assert 'data-value="90.00"' in body and 'data-hours="1.50"' in body
    assert "time_approval.js" in body


def test_readers_see_the_totals_without_checkboxes(cast: Cast, client_for: ClientFor) -> None:
    _more_time(cast)
    body = client_for("alice").get(_url(cast)).content.decode()
    assert 'name="entries"' not in body and "time_approval.js" not in body
    assert "Total awaiting a decision" in body and "€360.00" in body


def test_approving_nothing_says_so_and_changes_nothing(cast: Cast, client_for: ClientFor) -> None:
    response = client_for("pete").post(_url(cast), {"decision": "approved"})
    assert response.status_code == 400
    assert "Tick at least one time entry to approve or reject." in response.content.decode()
    assert not TimeEntry.objects.exclude(status="submitted").exists()


def test_ticks_survive_a_refused_decision(cast: Cast, client_for: ClientFor) -> None:
    other = _more_time(cast, 1)
    [extra] = TimeEntry.objects.filter(task=other)
    body = (
        client_for("pete").post(_url(cast), {"entries": [extra.pk], "decision": "rejected"}).content.decode()
    )
    assert f'id="entry-{extra.pk}" data-hours="1.50" data-value="90.00" checked' in body
    assert f'id="entry-{cast.time_entry_a.pk}" data-hours="3.00" data-value="180.00" aria' in body


def test_queries_stay_fixed_however_many_entries(
    cast: Cast, client_for: ClientFor, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    pete = client_for("pete")
    _more_time(cast, 2)
    pete.get(_url(cast))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        pete.get(_url(cast))
    _more_time(cast, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert pete.get(_url(cast)).status_code == 200
