"""The task page's working hours in common: the client (Acme, Copenhagen) with each assigned expert
(carol and rex, Kolkata), the coming seven days on the viewer's clock, and a line by the message box.

From Thursday 26 March 2026 00:00 UTC: Thu 26 is Ram Navami (IN), Sun 29 Europe moves to summer time,
Tue 31 is Mahavira's birthday (IN). Overlap in UTC: Fri 08:00-11:30, Mon and Wed 07:00-11:30."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from kpo.sla.panels import task_overlap_line, task_overlap_panel
from kpo.work.access import task_capacities
from kpo.work.models import Task
from kpo.work.selectors import task_detail_queryset
from tests.cast import Cast
from tests.text import dashed

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 3, 26, 0, 0, tzinfo=dt.UTC)


def _page(client_for, username: str, task_id: int) -> str:  # type: ignore[no-untyped-def]
    with time_machine.travel(MOMENT, tick=False):
        page = client_for(username).get(reverse("task_detail", kwargs={"task_id": task_id}))
    assert page.status_code == 200
    return page.content.decode()


def test_the_client_sees_each_expert_on_copenhagen_time(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    html = _page(client_for, "bob", cast.task_a.pk)
    assert 'id="overlap"' in html
    # carol, rex, and everyone together
    assert html.count(dashed("09:00-12:30 Fri; 09:00-13:30 Mon, Wed")) == 3
    assert 'data-overlap-hours="12.5"' in html
    assert (
        dashed("Everyone on the task is at work 09:00-12:30 Fri; 09:00-13:30 Mon, Wed (your time).") in html
    )


def test_the_expert_sees_their_own_overlap_on_kolkata_time(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    html = _page(client_for, "carol", cast.task_a.pk)
    assert dashed("You overlap with the client 13:30-17:00 Fri; 12:30-17:00 Mon, Wed (your time).") in html


def test_in_danish(cast: Cast, client_for, settings) -> None:  # type: ignore[no-untyped-def]
    client = client_for("bob")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    with time_machine.travel(MOMENT, tick=False):
        html = client.get(reverse("task_detail", kwargs={"task_id": cast.task_a.pk})).content.decode()
    assert "Arbejdstid til fælles" in html
    assert dashed("09:00-12:30 fre; 09:00-13:30 man, ons") in html


def test_no_panel_without_experts_or_on_a_draft(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    assert 'id="overlap"' not in _page(client_for, "bob", cast.draft_a.pk)


def test_the_panels_run_no_queries_of_their_own(cast: Cast, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    task = task_detail_queryset(Task.objects.filter(pk=cast.task_a.pk)).get()
    request = RequestFactory().get("/")
    request.user = cast.bob
    task_capacities(cast.bob, task)  # the task page has read the viewer's memberships already
    with (
        time_machine.travel(MOMENT, tick=False),
        timezone.override("Europe/Copenhagen"),
        translation.override("en"),
        django_assert_num_queries(0),
    ):
        panel = task_overlap_panel(request, task)
        line = task_overlap_line(request, task)
    assert panel is not None and line is not None
    people = panel.context["overlap"].people
    assert [person.hours for person in people] == [12.5, 12.5]
