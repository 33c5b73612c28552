"""An action the audit trail cannot record does not happen: its transaction rolls back, the user is told.

The trail is made unwritable for real, with a database trigger that refuses every new entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from kpo.audit.models import AuditEntry
from kpo.audit.services import AuditUnavailable
from kpo.confidentiality.models import Download
from kpo.confidentiality.tokens import document_url
from kpo.work import services as work_services
from kpo.work.models import Task, TaskTransition
from tests.cast import PASSWORD, Cast

TABLE = AuditEntry._meta.db_table


def _refuse_new_entries() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION kpo_test_refuse_audit() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'audit trail unavailable'; END; $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER kpo_test_refuse_audit BEFORE INSERT ON {TABLE} "
                "FOR EACH ROW EXECUTE FUNCTION kpo_test_refuse_audit()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER kpo_test_refuse_audit BEFORE INSERT ON {TABLE} "
                "BEGIN SELECT RAISE(ABORT, 'audit trail unavailable'); END"
            )


def _accept_entries_again() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"DROP TRIGGER kpo_test_refuse_audit{' ON ' + TABLE if connection.vendor == 'postgresql' else ''}"
        )
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION kpo_test_refuse_audit()")


@pytest.fixture
def trail_down(cast: Cast) -> Iterator[Callable[[], None]]:
    """Call it to make the trail refuse new entries (after signing the test's users in)."""
    taken: list[bool] = []

    def down() -> None:
        _refuse_new_entries()
        taken.append(True)

    yield down
    if taken:
        _accept_entries_again()


def test_a_transition_that_cannot_be_recorded_is_rolled_back(
    cast: Cast, trail_down: Callable[[], None]
) -> None:
    trail_down()
    before = (cast.task_a.status, TaskTransition.objects.count())
    with pytest.raises(AuditUnavailable):
        work_services.task_transition(user=cast.carol, task=cast.task_a, target="in_review", comment="done")
    task = Task.objects.get(pk=cast.task_a.pk)
    assert (task.status, TaskTransition.objects.count()) == before


def test_the_web_page_says_the_transition_was_not_done(cast: Cast, trail_down: Callable[[], None]) -> None:
    client = Client()
    client.force_login(cast.carol)
    trail_down()
    url = reverse("task_transition", args=[cast.task_a.pk])
    response = client.post(url, {"status": "in_review", "expected_status": "in_progress"}, follow=True)
    assert response.status_code == 200
    assert "audit trail could not record it" in response.content.decode()
    assert Task.objects.get(pk=cast.task_a.pk).status == "in_progress"


def test_nobody_signs_in_while_the_trail_cannot_record_it(cast: Cast, trail_down: Callable[[], None]) -> None:
    trail_down()
    client = Client()
    response = client.post(reverse("login"), {"username": "aud", "password": PASSWORD})
    assert response.status_code == 503
    assert "audit trail could not record it" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("dashboard")).status_code == 302  # still signed out


def test_a_download_that_cannot_be_recorded_is_not_served(cast: Cast, trail_down: Callable[[], None]) -> None:
    client = Client()
    client.force_login(cast.bob)
    trail_down()
    response = client.get(document_url(cast.bob.pk, cast.document_a))
    assert response.status_code == 302  # back to the task, where the page says why
    assert not Download.objects.exists()
    page = client.get(response["Location"])
    assert "audit trail could not record it" in page.content.decode()


def test_the_api_answers_503_and_changes_nothing(cast: Cast, trail_down: Callable[[], None]) -> None:
    client = Client()
    client.force_login(cast.carol)
    trail_down()
    response = client.post(
        f"/api/tasks/{cast.task_a.pk}/transitions",
        {"status": "in_review", "expected_status": "in_progress"},
        content_type="application/json",
    )
    assert response.status_code == 503
    assert "audit trail" in response.json()["detail"]
    assert Task.objects.get(pk=cast.task_a.pk).status == "in_progress"


def test_once_the_trail_records_again_the_same_actions_work(cast: Cast) -> None:
    _refuse_new_entries()
    _accept_entries_again()
    client = Client()
    assert client.post(reverse("login"), {"username": "aud", "password": PASSWORD}).status_code == 302
    work_services.task_transition(user=cast.carol, task=cast.task_a, target="in_review", comment="done")
    assert AuditEntry.objects.filter(event__in=["login", "transition"]).count() == 2
