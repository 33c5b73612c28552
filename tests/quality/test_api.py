"""The quality API: rubric, reviews, ratings and scores; answers checked against the OpenAPI schema."""

from __future__ import annotations

from typing import Any

import pytest

from kpo.quality.models import ClientRating, Review, Rubric
from kpo.work import services
from kpo.work.models import Task
from tests.api.conftest import Call, call, token_for  # noqa: F401  (fixtures)
from tests.cast import Cast

pytestmark = pytest.mark.django_db

DEFAULT = ["Accuracy", "Completeness", "Clarity", "Use of sources", "Timeliness"]


def _scores(value: int = 4, names: list[str] = DEFAULT) -> list[dict[str, Any]]:
    return [{"criterion": name, "score": value} for name in names]


def _in_review(cast: Cast) -> Task:
    return services.task_transition(user=cast.carol, task=cast.task_a, target="in_review")


def test_rubric_read_and_change(cast: Cast, call: Call) -> None:  # noqa: F811
    path = f"/api/engagements/{cast.engagement_a.pk}/rubric"
    read = call("GET", path, "carol")
    assert read.status_code == 200
    assert read.json()["own"] is False and [c["name"] for c in read.json()["criteria"]] == DEFAULT
    body = {"criteria": [{"name": "Rigour", "weight": 3}, {"name": "Brevity"}]}
    assert call("PUT", path, "bob", json=body).status_code == 403
    bad = call("PUT", path, "alice", json={"criteria": [{"name": "Rigour", "weight": 11}]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "criteria.0.weight"
    twice = call(
        "PUT", path, "alice", json={"criteria": [{"name": "A", "weight": 1}, {"name": "a", "weight": 1}]}
    )
    assert twice.status_code == 422 and twice.json()["errors"][0]["field"] == "criteria.1.name"
    assert not Rubric.objects.exists()
    saved = call("PUT", path, "alice", json=body)
    assert saved.status_code == 200 and saved.json()["criteria"][1] == {"name": "Brevity", "weight": 1}
    assert call("GET", path, "dave").status_code == 404


def test_review_through_the_api(cast: Cast, call: Call) -> None:  # noqa: F811
    path = f"/api/tasks/{cast.task_a.pk}/reviews"
    early = call("POST", path, "rex", json={"scores": _scores(), "decision": "pass"})
    assert early.status_code == 409 and early.json()["errors"][0]["field"] == "status"
    task = _in_review(cast)
    assert call("POST", path, "carol", json={"scores": _scores(), "decision": "pass"}).status_code == 403
    out_of_range = call("POST", path, "rex", json={"scores": _scores(6), "decision": "pass"})
    assert out_of_range.status_code == 422 and out_of_range.json()["errors"][0]["field"] == "scores.0.score"
    duplicate = [*_scores(), {"criterion": "Accuracy", "score": 3}]
    twice = call("POST", path, "rex", json={"scores": duplicate, "decision": "pass"})
    assert twice.status_code == 422 and twice.json()["errors"][0]["field"] == "scores.5.criterion"
    missing = call("POST", path, "rex", json={"scores": _scores(4, DEFAULT[:4]), "decision": "pass"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "scores.Timeliness"
    assert not Review.objects.exists()
    done = call("POST", path, "rex", json={"scores": _scores(5), "decision": "pass", "comment": "Good"})
    assert done.status_code == 201
    assert done.json()["decision"] == "pass" and done.json()["score"] in ("5.00", 5, 5.0)
    task.refresh_from_db()
    assert task.status == "delivered"
    listed = call("GET", path, "bob").json()
    assert listed["count"] == 1 and listed["items"][0]["version_number"] == 1


def test_rating_through_the_api(cast: Cast, call: Call) -> None:  # noqa: F811
    task = _in_review(cast)
    call("POST", f"/api/tasks/{task.pk}/reviews", "rex", json={"scores": _scores(), "decision": "pass"})
    path = f"/api/tasks/{task.pk}/ratings"
    assert call("POST", path, "pete", json={"decision": "accept", "stars": 5}).status_code == 403
    assert call("POST", path, "rex", json={"decision": "accept", "stars": 5}).status_code == 403
    no_stars = call("POST", path, "bob", json={"decision": "accept"})
    assert no_stars.status_code == 422 and no_stars.json()["errors"][0]["field"] == "stars"
    assert call("POST", path, "bob", json={"decision": "accept", "stars": 0}).status_code == 422
    assert not ClientRating.objects.exists()
    done = call("POST", path, "bob", json={"decision": "accept", "stars": 4, "feedback": "Thanks"})
    assert done.status_code == 201 and done.json()["rated_by"] == "bob"
    assert call("GET", path, "carol").json()["count"] == 1

    quality = call("GET", f"/api/experts/{cast.carol.expert_profile.pk}/quality", "pete").json()
    overall = quality["overall"]
    assert overall["reviews"] == 1 and overall["ratings"] == 1 and overall["deliveries"] == 1
    assert 1 <= overall["lower"] < overall["mean"] < overall["upper"] <= 5
    assert [d["domain"] for d in quality["domains"]] == ["technical_analysis"]
    none = call("GET", f"/api/experts/{cast.erin.expert_profile.pk}/quality", "pete").json()
    assert none == {"expert_id": cast.erin.expert_profile.pk, "overall": None, "domains": []}
