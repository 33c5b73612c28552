"""The matching API: a task's shortlist, why-not, a client's weights; every answer checked against OpenAPI."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kpo.matching.index_cache import invalidate
from kpo.matching.models import MatchingWeights
from tests.api.conftest import Call
from tests.cast import Cast
from tests.matching.helpers import give_skill, impossible_task

pytestmark = pytest.mark.django_db

WEIGHTS = {"affinity": 1, "skills": 3, "degree": 0, "languages": 1, "time_zone": 1, "cost": 2, "quality": 2}


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    invalidate()
    yield
    invalidate()


def _shortlist(call: Call, cast: Cast, who: str | None, query: str = "", task_id: int | None = None) -> Any:
    return call("GET", f"/api/tasks/{task_id or cast.task_a.pk}/shortlist{query}", who)


def test_the_shortlist_with_scores_and_explanations(call: Call, cast: Cast) -> None:
    give_skill(cast, "rex", "erin", "ivan")
    response = _shortlist(call, cast, "bob")
    assert response.status_code == 200
    body = response.json()
    ids = [entry["expert"]["id"] for entry in body["entries"]]
    assert ids[0] == cast.ivan_profile.pk and set(ids[1:]) == {
        cast.rex.expert_profile.pk,
        cast.erin.expert_profile.pk,
    }
    first = body["entries"][0]
    assert first["client_staff"] and first["rank"] == 1
    assert first["organisation"] == {"id": cast.org_a.pk, "name": cast.org_a.name}
    assert [c["component"] for c in first["components"]] == [
        "affinity",
        "skills",
        "degree",
        "languages",
        "time_zone",
        "cost",
        "quality",
    ]
    assert all(c["text"] for c in first["components"])
    assert sum(body["weights"].values()) == pytest.approx(1.0)
    assert body["eligible"] == 3 and body["pool"]["total"] == 4 and body["pool"]["emptied_by"] is None
    steps = {step["rule"]: step for step in body["pool"]["steps"]}
    assert steps["capacity"] == {
        "rule": "capacity",
        "reason": "37 free hours in the 14 days until the due date",  # 40 h less 3 h logged
        "excluded": 0,  # carol, who has 40 h planned already, lacks the skill too
        "remaining": 3,
        "excluded_alone": 1,
    }
    assert body["pool"]["message"] == "3 of 4 experts are eligible. Excluded by: skills 1."
    assert body["min_skills_held"] == 1 and body["hidden_client_staff"] == 0
    assert body["affinity_computed"] is False


def test_the_provider_does_not_see_the_clients_staff(call: Call, cast: Cast) -> None:
    give_skill(cast, "rex", "ivan")
    body = _shortlist(call, cast, "pete").json()
    assert [e["expert"]["id"] for e in body["entries"]] == [cast.rex.expert_profile.pk]
    assert body["hidden_client_staff"] == 1 and "Insider" not in str(body)


def test_n_bounds_the_list(call: Call, cast: Cast) -> None:
    give_skill(cast, "rex", "erin")
    assert len(_shortlist(call, cast, "pete", "?n=1").json()["entries"]) == 1
    for bad in ("0", "51", "many"):
        response = _shortlist(call, cast, "pete", f"?n={bad}")
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "n"


def test_nobody_eligible_says_which_rule_emptied_the_pool(call: Call, cast: Cast) -> None:
    task = impossible_task(cast)
    body = _shortlist(call, cast, "pete", task_id=task.pk).json()
    assert body["entries"] == [] and body["eligible"] == 0
    assert body["pool"]["emptied_by"] == "skills"
    assert "No expert is eligible for this task" in body["pool"]["message"]


@pytest.mark.parametrize(
    ("who", "status"), [("dave", 404), ("quinn", 404), ("erin", 404), ("aud", 403), ("carol", 403)]
)
def test_shortlist_access(call: Call, cast: Cast, who: str, status: int) -> None:
    response = _shortlist(call, cast, who)
    assert response.status_code == status and "Zephyr" not in response.content.decode()


def test_shortlist_needs_credentials(call: Call, cast: Cast) -> None:
    assert _shortlist(call, cast, None).status_code == 401


def test_why_not(call: Call, cast: Cast) -> None:
    give_skill(cast, "carol", "erin")
    url = f"/api/tasks/{cast.task_a.pk}/why-not/{cast.carol.expert_profile.pk}"
    body = call("GET", url, "pete").json()
    assert body["eligible"] is False and body["expert"]["id"] == cast.carol.expert_profile.pk
    assert body["failures"] == [
        {
            "rule": "capacity",
            "reason": "37 free hours in the 14 days until the due date",  # 40 h less 3 h logged
            "detail": "has 35 free hours before the due date; 37 needed",
        }
    ]
    assert 0 < body["total"] <= 1 and len(body["components"]) == 7
    eligible = call(
        "GET", f"/api/tasks/{cast.task_a.pk}/why-not/{cast.erin.expert_profile.pk}", "pete"
    ).json()
    assert eligible["eligible"] is True and eligible["failures"] == []
    shortlisted = _shortlist(call, cast, "pete").json()["entries"][0]
    assert shortlisted["expert"]["id"] == cast.erin.expert_profile.pk
    assert eligible["total"] == shortlisted["total"]  # the same numbers as on the shortlist


def test_why_not_of_an_expert_of_another_provider(call: Call, cast: Cast) -> None:
    from kpo.experts.models import ExpertProfile

    ExpertProfile.objects.filter(user=cast.erin).update(organisation=cast.provider_q)
    body = call("GET", f"/api/tasks/{cast.task_a.pk}/why-not/{cast.erin.expert_profile.pk}", "bob").json()
    rules = [f["rule"] for f in body["failures"]]
    assert rules == ["organisation", "skills"]
    assert body["failures"][0]["detail"] == "works for Quay Analytics, which does not staff this engagement"


@pytest.mark.parametrize(("who", "status"), [("pete", 404), ("dave", 404), ("aud", 403), ("alice", 200)])
def test_why_not_of_client_staff(call: Call, cast: Cast, who: str, status: int) -> None:
    response = call("GET", f"/api/tasks/{cast.task_a.pk}/why-not/{cast.ivan_profile.pk}", who)
    assert response.status_code == status


def test_why_not_of_an_unknown_expert_is_404(call: Call, cast: Cast) -> None:
    assert call("GET", f"/api/tasks/{cast.task_a.pk}/why-not/999999", "pete").status_code == 404


# --- weights ---------------------------------------------------------------------------------------


def _weights(call: Call, cast: Cast, who: str, method: str = "GET", json: Any = None) -> Any:
    return call(method, f"/api/organisations/{cast.org_a.pk}/matching-weights", who, json=json)


def test_read_and_replace_the_weights(call: Call, cast: Cast) -> None:
    body = _weights(call, cast, "bob").json()
    assert body["is_default"] is True and body["min_skills_share"] == "0.50"
    assert body["weights"]["affinity"] == 0.25 and body["updated_by"] is None
    response = _weights(call, cast, "alice", "PUT", {"weights": WEIGHTS, "min_skills_share": "0.75"})
    assert response.status_code == 200
    body = response.json()
    assert body["is_default"] is False and body["updated_by"] == "Alice Admin"
    assert body["weights"]["skills"] == 3.0 and body["normalised"]["skills"] == pytest.approx(0.3)
    assert body["min_skills_share"] == "0.75"
    assert _weights(call, cast, "aud").json()["weights"] == body["weights"]
    shortlist = _shortlist(call, cast, "pete").json()
    assert shortlist["weights"]["skills"] == pytest.approx(0.3)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"weights": {**WEIGHTS, "cost": -1}, "min_skills_share": "0.5"}, "weights.cost"),
        ({"weights": {**WEIGHTS, "cost": 1e9}, "min_skills_share": "0.5"}, "weights.cost"),
        ({"weights": dict.fromkeys(WEIGHTS, 0), "min_skills_share": "0.5"}, "weights"),
        ({"weights": WEIGHTS, "min_skills_share": "1.5"}, "min_skills_share"),
        ({"weights": {"skills": 1}, "min_skills_share": "0.5"}, "weights.affinity"),
        ({"weights": WEIGHTS}, "min_skills_share"),
    ],
)
def test_bad_weights_are_422_and_change_nothing(call: Call, cast: Cast, payload: Any, field: str) -> None:
    response = _weights(call, cast, "alice", "PUT", payload)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not MatchingWeights.objects.exists()


@pytest.mark.parametrize(
    ("who", "read", "write"),
    [("bob", 200, 403), ("aud", 200, 403), ("ivan", 403, 403), ("pete", 404, 404), ("dave", 404, 404)],
)
def test_weights_access(call: Call, cast: Cast, who: str, read: int, write: int) -> None:
    assert _weights(call, cast, who).status_code == read
    payload = {"weights": WEIGHTS, "min_skills_share": "0.5"}
    assert _weights(call, cast, who, "PUT", payload).status_code == write
    assert not MatchingWeights.objects.exists()


def test_a_provider_has_no_weights(call: Call, cast: Cast) -> None:
    response = call("GET", f"/api/organisations/{cast.provider_p.pk}/matching-weights", "pete")
    assert response.status_code == 404
