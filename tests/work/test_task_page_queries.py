"""The task page keeps a fixed number of queries however long its thread, time log and history grow (a
visit that finds new messages adds one write, the reader's read marker), and a task in progress without
reviews reads no review rubric (the quality panel shows nothing there)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpo.work.models import Message, TimeEntry
from tests.cast import Cast


def _queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_task_page_keeps_a_fixed_query_count(cast: Cast, client_for, settings) -> None:  # type: ignore[no-untyped-def]
    settings.KPO_SESSION_IDLE_MINUTES = 0  # no "last seen" writes, which come once a minute
    url = reverse("task_detail", kwargs={"task_id": cast.task_a.pk})
    pages = {who: client_for(who) for who in ("bob", "pete", "carol")}
    for client in pages.values():
        client.get(url)  # the session's first request records when it began
    before = {who: len(_queries(client, url)) for who, client in pages.items()}
    for n in range(15):
        Message.objects.create(task=cast.task_a, author=cast.carol if n % 2 else cast.bob, body=f"Note {n}")
        TimeEntry.objects.create(
            task=cast.task_a,
            expert=cast.assignment_a.expert,
            date=dt.date(2026, 11, 20) + dt.timedelta(days=n % 5),
            hours=Decimal("0.5"),
            description=f"Work {n}",
        )
    # the first visit after new messages moves the reader's marker (one write, however many are new);
    # the next visit reads as many queries as before the thread grew
    first = {who: len(_queries(client, url)) for who, client in pages.items()}
    assert first == {who: count + 1 for who, count in before.items()}
    after = {who: len(_queries(client, url)) for who, client in pages.items()}
    assert after == before


def test_a_task_in_progress_without_reviews_reads_no_rubric(cast: Cast, client_for, settings) -> None:  # type: ignore[no-untyped-def]
    settings.KPO_SESSION_IDLE_MINUTES = 0
    assert cast.task_a.status == "in_progress"
    bob = client_for("bob")
    url = reverse("task_detail", kwargs={"task_id": cast.task_a.pk})
    bob.get(url)
    assert not [sql for sql in _queries(bob, url) if "quality_rubric" in sql]
