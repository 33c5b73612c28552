"""The authorisation matrix restricted to this part's routes (tests/matrix/sla.py), so it can be run on
its own: outsiders get 403/404 and no data, anonymous users are refused, the auditor changes nothing,
and an insider reaches every object route."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from kpo.api.api import api
from kpo.orgs.services import api_token_create
from tests.authz import OBJECT, api_routes, web_routes
from tests.cast import SECRET_A, Cast
from tests.matrix.sla import PART
from tests.openapi_contract import check_against_openapi
from tests.test_authorisation_matrix import EVERYONE, OUTSIDERS_BY_ID, fill

pytestmark = pytest.mark.django_db


def _ids(cast: Cast) -> dict[str, Any]:
    return {"engagement_id": cast.engagement_a.pk, "task_id": cast.task_a.pk, **PART.objects(cast)}


def _snapshot(cast: Cast) -> dict[str, Any]:
    state: dict[str, Any] = {
        model.__name__: list(model.objects.filter(**{lookup: cast.org_a}).values())  # type: ignore[attr-defined]
        for model, lookup in PART.scoped_models
    }
    for rows in state.values():
        for row in rows:
            row.pop("updated_at", None)
    return state


def _outsiders(kwargs: tuple[str, ...]) -> set[str]:
    names: set[str] = set()
    for kwarg in kwargs:
        names |= set(OUTSIDERS_BY_ID[kwarg])
    return names


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_web_routes(cast: Cast) -> None:
    ids = _ids(cast)
    before = _snapshot(cast)
    clients = {name: Client() for name in (*EVERYONE, "anonymous")}
    for name, client in clients.items():
        if name != "anonymous":
            client.force_login(cast.users()[name])
    routes = [route for route in web_routes() if route.key in PART.web]
    assert {route.key for route in routes} == set(PART.web)
    for route in routes:
        url = fill(route.path, ids)
        if PART.web[route.key].access == OBJECT:
            for who in sorted(_outsiders(route.kwargs)):
                for method in ("get", "post"):
                    response = getattr(clients[who], method)(url, {"title": "Leak", "status": "accepted"})
                    assert response.status_code in {403, 404, 405}, (
                        f"{who} {method} {url}: {response.status_code}"
                    )
                    assert SECRET_A.encode() not in _body(response)
            response = clients["alice"].get(url)
            assert response.status_code in {200, 302, 405}, f"alice GET {route.key}: {response.status_code}"
            response = clients["aud"].post(url, {"title": "Changed", "status": "in_review"})
            assert response.status_code in {302, 400, 403, 404, 405}, f"aud POST {route.key}"
        for method in ("get", "post"):
            response = getattr(clients["anonymous"], method)(url)
            assert response.status_code in {302, 401, 403, 404, 405}
            assert SECRET_A.encode() not in _body(response)
    assert SECRET_A not in clients["dave"].get("/disputes/").content.decode()
    assert SECRET_A in clients["alice"].get("/disputes/").content.decode()
    assert _snapshot(cast) == before


def _call(client: Client, route: Any, url: str, headers: dict[str, str]) -> Any:
    rule = PART.api[route.key]
    if route.method == "GET":
        response = client.get(url, **headers)
    elif rule.files:
        data = dict(rule.body or {}, file=io.BytesIO(b"Leak text"))
        data["file"].name = "leak.txt"
        response = client.post(url, data, **headers)
    else:
        response = getattr(client, route.method.lower())(
            url, rule.body or {}, content_type="application/json", **headers
        )
    check_against_openapi(route.method, url, response)
    return response


def test_api_operations(cast: Cast) -> None:
    ids = _ids(cast)
    before = _snapshot(cast)
    tokens = {name: api_token_create(user=user, name="m")[1] for name, user in cast.users().items()}
    headers = {name: {"HTTP_AUTHORIZATION": f"Bearer {token}"} for name, token in tokens.items()}
    client = Client()
    routes = [route for route in api_routes(api.get_openapi_schema()) if route.key in PART.api]
    assert {route.key for route in routes} == set(PART.api)
    for route in routes:
        url = fill(route.path, ids)
        rule = PART.api[route.key]
        assert _call(client, route, url, {}).status_code == 401
        if rule.access != OBJECT:
            continue
        for who in sorted(_outsiders(route.kwargs)):
            response = _call(client, route, url, headers[who])
            assert response.status_code in {403, 404}, f"{who} {route.method} {url}: {response.status_code}"
            assert SECRET_A.encode() not in _body(response)
        if route.method == "GET":
            assert _call(client, route, url, headers["alice"]).status_code == 200, route.key
        else:
            response = _call(client, route, url, headers["aud"])
            assert response.status_code in {403, 404, 409, 422}, f"aud {route.key}: {response.status_code}"
    assert _snapshot(cast) == before
