"""The thread through the API: each message's language tag and the people it @mentions."""

from __future__ import annotations

import pytest

from tests.api.conftest import Call
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def test_the_api_reads_and_writes_the_language_and_the_mentions(cast: Cast, call: Call) -> None:
    path = f"/api/tasks/{cast.task_a.pk}/messages"
    created = call("POST", path, "bob", json={"body": "Ask @carol, not @dave.", "language": "da"})
    assert created.status_code == 201
    assert created.json()["language"] == "da" and created.json()["mentions"] == ["carol"]
    default = call("POST", path, "carol", json={"body": "Numbers are in."}).json()
    assert default["language"] == "en" and default["mentions"] == []
    danish = call("POST", path, "carol", json={"body": "Tallene er klar."}, HTTP_ACCEPT_LANGUAGE="da")
    assert danish.json()["language"] == "da"
    assert call("POST", path, "bob", json={"body": "x", "language": "de"}).status_code == 422
    listed = call("GET", path, "rex").json()["items"]
    assert [(m["language"], m["mentions"]) for m in listed[-3:]] == [
        ("da", ["carol"]),
        ("en", []),
        ("da", []),
    ]
