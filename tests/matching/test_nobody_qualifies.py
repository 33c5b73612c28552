"""A task nobody can do warns the people who asked for it and those who staff it on the task page at
once (posting it lands there), naming the blocking rules and whom relaxing each would bring."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kpo.work.models import TaskSkill
from tests.cast import Cast
from tests.matching.helpers import impossible_task

pytestmark = pytest.mark.django_db
WARNING = "Nobody can do this task yet"


def _page(client_for, who: str, task_id: int) -> str:  # type: ignore[no-untyped-def]
    response = client_for(who).get(reverse("task_detail", kwargs={"task_id": task_id}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_requester_and_the_provider_manager_are_warned_with_the_blocking_rule(
    client_for, cast: Cast
) -> None:  # type: ignore[no-untyped-def]
    task = impossible_task(cast)
    for who in ("bob", "pete"):
        html = _page(client_for, who, task.pk)
        assert WARNING in html
        assert "Relaxing skills would make" in html
        row = html.split('id="nobody-qualifies"', 1)[1].split("</section>", 1)[0]
        assert "<td>Skills</td>" in row
        assert reverse("find_experts", kwargs={"task_id": task.pk}) in row


def test_readers_who_do_not_staff_or_ask_see_no_warning(client_for, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    task = impossible_task(cast)
    assert WARNING not in _page(client_for, "aud", task.pk)


def test_the_warning_goes_once_someone_qualifies(client_for, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    task = impossible_task(cast)
    assert WARNING in _page(client_for, "bob", task.pk)
    TaskSkill.objects.filter(task=task).delete()
    assert WARNING not in _page(client_for, "bob", task.pk)


def test_the_warning_is_in_danish(client_for, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    task = impossible_task(cast)
    client = client_for("bob")
    client.cookies["django_language"] = "da"
    html = client.get(reverse("task_detail", kwargs={"task_id": task.pk})).content.decode()
    assert "Ingen kan løse denne opgave endnu" in html
