"""Personal API tokens: shown once, stored hashed, revocable, and the only way in besides the session."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest

from kpo.orgs.models import ApiToken
from kpo.orgs.services import api_token_create
from tests.api.conftest import Call
from tests.cast import Cast
from tests.openapi_contract import check_against_openapi

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

Create = Callable[[str, dict[str, Any]], Any]


@pytest.fixture
def create(client_for: Any) -> Create:
    """create("bob", {"name": ...}): POST /api/tokens from bob's signed-in session (bearer tokens cannot)."""

    def post(name: str, body: dict[str, Any]) -> Any:
        response = client_for(name).post("/api/tokens", data=body, content_type="application/json")
        check_against_openapi("POST", "/api/tokens", response)
        return response

    return post


def test_created_token_works_as_bearer_and_is_shown_once(cast: Cast, call: Call, create: Create) -> None:
    created = create("bob", {"name": "laptop"})
    assert created.status_code == 201
    body = created.json()
    plain = body["token"]
    assert plain.startswith("kpo_") and body["name"] == "laptop" and plain.startswith(body["prefix"])

    me = call("GET", "/api/me", None, token=plain)
    assert me.status_code == 200 and me.json()["username"] == "bob"

    listing = call("GET", "/api/tokens", "bob")
    assert listing.status_code == 200
    assert plain not in listing.content.decode()
    assert all("token" not in item for item in listing.json()["items"])
    assert body["id"] in {item["id"] for item in listing.json()["items"]}


def test_token_is_stored_hashed(cast: Cast, create: Create) -> None:
    body = create("alice", {"name": "ci"}).json()
    row = ApiToken.objects.get(pk=body["id"])
    assert row.token_hash != body["token"]
    assert row.token_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in {row.name, row.prefix}


def test_revoked_token_is_refused(cast: Cast, call: Call, create: Create) -> None:
    body = create("bob", {"name": "old"}).json()
    revoked = call("DELETE", f"/api/tokens/{body['id']}", "bob")
    assert revoked.status_code == 204 and revoked.content == b""
    assert ApiToken.objects.get(pk=body["id"]).revoked_at is not None
    assert call("GET", "/api/me", None, token=body["token"]).status_code == 401
    assert call("GET", "/api/engagements", None, token=body["token"]).status_code == 401


def test_only_ones_own_tokens(cast: Cast, call: Call) -> None:
    alices, plain = api_token_create(user=cast.alice, name="alice's")
    assert call("DELETE", f"/api/tokens/{alices.pk}", "bob").status_code == 404
    alices.refresh_from_db()
    assert alices.revoked_at is None
    assert call("GET", "/api/me", None, token=plain).json()["username"] == "alice"
    listing = call("GET", "/api/tokens", "bob").json()
    assert alices.pk not in {item["id"] for item in listing["items"]}


@pytest.mark.parametrize("token", ["garbage", "kpo_" + "x" * 43, "kpo_", "Bearer", "x" * 500])
def test_garbage_token_is_401(cast: Cast, call: Call, token: str) -> None:
    response = call("GET", "/api/me", None, token=token)
    assert response.status_code == 401
    assert response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/me", "/api/engagements", f"/api/tasks/{1}", "/api/experts"])
def test_no_credentials_is_401(cast: Cast, call: Call, path: str) -> None:
    assert call("GET", path, None).status_code == 401


def test_write_without_credentials_is_401(cast: Cast, call: Call) -> None:
    assert call("POST", "/api/tokens", None, json={"name": "x"}).status_code == 401


@pytest.mark.parametrize(
    ("name", "reason"),
    [("", "at least 1"), ("x" * 101, "at most 100"), ("bad\x00name", "NUL"), ("   ", "blank")],
)
def test_bad_token_name_is_422(cast: Cast, create: Create, name: str, reason: str) -> None:
    before = ApiToken.objects.count()
    response = create("bob", {"name": name})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
    assert ApiToken.objects.count() == before


def test_session_works_too_and_writes_need_its_csrf_token(cast: Cast, call: Call, client_for: Any) -> None:
    browser = client_for("carol")
    browser.handler.enforce_csrf_checks = True
    assert browser.get("/api/me").json()["username"] == "carol"
    refused = browser.post("/api/tokens", data={"name": "x"}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["detail"]
