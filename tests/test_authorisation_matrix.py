"""Every route, for every member of the cast, on objects of another tenant: 403/404 and no data.

The routes come from the URL configuration and the OpenAPI schema; `tests/authz.py` explains the
rules. Client A's data carries `SECRET_A` in its titles and texts, so a leak shows in any body.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from kpo.api.api import api
from kpo.economics.models import MakeOrBuyScenario
from kpo.orgs.models import ApiToken
from kpo.orgs.services import api_token_create, invitation_create
from kpo.staffing.models import StaffingRun
from kpo.work.models import (
    Assignment,
    Deliverable,
    DeliverableVersion,
    Engagement,
    Message,
    Task,
    TaskDocument,
    TaskTransition,
    TimeEntry,
)
from tests.authz import OBJECT, PUBLIC, SIGNED_IN, Route, Rule, api_routes, web_routes
from tests.cast import SECRET_A, Cast
from tests.matrix import Statuses, Withheld, merged, parts
from tests.openapi_contract import check_against_openapi

pytestmark = pytest.mark.django_db

FILE_BODY = {"title": "Leak", "note": "n"}
TRANSITION = {"status": "in_review", "comment": "why"}

_WEB_RULES: dict[str, Rule] = {
    "api:openapi-json": Rule(PUBLIC),
    "api:openapi-view": Rule(PUBLIC),
    "api:api-root": Rule(PUBLIC),
    "set_language": Rule(PUBLIC, self_service=True),
    "login": Rule(PUBLIC, self_service=True),
    "logout": Rule(SIGNED_IN, self_service=True),
    "password_change": Rule(SIGNED_IN, self_service=True),
    "password_change_done": Rule(SIGNED_IN, self_service=True),
    "healthz": Rule(PUBLIC),
    "readyz": Rule(PUBLIC),
    "dashboard": Rule(SIGNED_IN),
    "engagement_list": Rule(SIGNED_IN),
    "engagement_create": Rule(SIGNED_IN),
    "engagement_detail": Rule(OBJECT),
    "engagement_edit": Rule(OBJECT),
    "task_create": Rule(OBJECT),
    "task_list": Rule(SIGNED_IN),
    "task_detail": Rule(OBJECT),
    "task_edit": Rule(OBJECT),
    "task_transition": Rule(OBJECT),
    "task_message": Rule(OBJECT),
    "task_document_upload": Rule(OBJECT),
    "deliverable_upload": Rule(OBJECT),
    "time_entry_create": Rule(OBJECT),
    "assignment_create": Rule(OBJECT),
    "assignment_delete": Rule(OBJECT),
    "document_download": Rule(OBJECT),
    "version_download": Rule(OBJECT),
    "expert_list": Rule(SIGNED_IN),
    "expert_detail": Rule(OBJECT),
    "my_profile": Rule(SIGNED_IN),
    "organisation_detail": Rule(OBJECT),
    "organisation_billing": Rule(OBJECT),
    "invitation_create": Rule(OBJECT),
    "invitation_revoke": Rule(OBJECT),
    "member_edit": Rule(OBJECT),
    "member_remove": Rule(OBJECT),
    "invitation_accept": Rule(PUBLIC),  # the token is the credential; the page shows only the invitation
    "skill_search": Rule(SIGNED_IN),
    "token_list": Rule(SIGNED_IN, self_service=True),
    "token_revoke": Rule(OBJECT, self_service=True),
    "find_experts": Rule(OBJECT),
    "staff_picker": Rule(OBJECT),
    "staff_picker_assign": Rule(OBJECT),
    "matching_weights": Rule(OBJECT),
    "staffing_runs": Rule(SIGNED_IN),
    "staffing_run_detail": Rule(OBJECT),
    "staffing_run_commit": Rule(OBJECT),
    "make_or_buy": Rule(SIGNED_IN),
    "scenario_detail": Rule(OBJECT),
    "audit_log": Rule(SIGNED_IN),
    "audit_export": Rule(SIGNED_IN),
}

_API_RULES: dict[str, Rule] = {
    "get_me": Rule(SIGNED_IN),
    "list_tokens": Rule(SIGNED_IN, self_service=True),
    "create_token": Rule(SIGNED_IN, body={"name": "matrix"}, self_service=True),
    "revoke_token": Rule(OBJECT, self_service=True),
    "list_organisations": Rule(SIGNED_IN),
    "get_organisation": Rule(OBJECT),
    "list_organisation_members": Rule(OBJECT),
    "list_domains": Rule(SIGNED_IN),
    "list_skills": Rule(SIGNED_IN),
    "list_experts": Rule(SIGNED_IN),
    "get_expert": Rule(OBJECT),
    "list_engagements": Rule(SIGNED_IN),
    "create_engagement": Rule(SIGNED_IN),
    "get_engagement": Rule(OBJECT),
    "update_engagement": Rule(OBJECT, body={"title": "Leak"}),
    "list_tasks": Rule(SIGNED_IN),
    "create_task": Rule(
        OBJECT,
        body={"title": "Leak", "description": "x", "effort_hours": 1, "due_at": "2030-01-01T00:00:00Z"},
    ),
    "get_task": Rule(OBJECT),
    "update_task": Rule(OBJECT, body={"title": "Leak"}),
    "transition_task": Rule(OBJECT, body=TRANSITION),
    "list_task_transitions": Rule(OBJECT),
    "list_assignments": Rule(OBJECT),
    "create_assignment": Rule(OBJECT, body={"expert_id": 1, "role": "maker", "planned_hours": 1}),
    "delete_assignment": Rule(OBJECT),
    "list_documents": Rule(OBJECT),
    "upload_document": Rule(OBJECT, body=FILE_BODY, files=True),
    "download_document": Rule(OBJECT),
    "list_deliverables": Rule(OBJECT),
    "upload_deliverable": Rule(OBJECT, body=FILE_BODY, files=True),
    "download_version": Rule(OBJECT),
    "list_time_entries": Rule(OBJECT),
    "create_time_entry": Rule(OBJECT, body={"date": "2026-11-03", "hours": 1, "description": "Leak"}),
    "list_messages": Rule(OBJECT),
    "create_message": Rule(OBJECT, body={"body": "Leak"}),
    "get_task_shortlist": Rule(OBJECT),
    "get_task_why_not": Rule(OBJECT),
    "get_matching_weights": Rule(OBJECT),
    "update_matching_weights": Rule(
        OBJECT,
        body={
            "weights": {
                "affinity": 1,
                "skills": 1,
                "degree": 1,
                "languages": 1,
                "time_zone": 1,
                "cost": 1,
                "quality": 1,
            },
            "min_skills_share": "0.5",
        },
    ),
    "create_staffing_run": Rule(SIGNED_IN, body={"provider_id": 1, "task_ids": [1], "objective": "sum"}),
    "get_staffing_run": Rule(OBJECT),
    "commit_staffing_run": Rule(OBJECT, body={"lines": [{"task_id": 1, "expert_id": 1}]}),
}

EVERYONE = ("alice", "bob", "aud", "pete", "carol", "rex", "erin", "ivan", "dave", "quinn", "ops")
WORK_OUTSIDERS = ("dave", "quinn", "erin", "ivan")
LIST_OUTSIDERS = ("dave", "quinn", "erin")  # ivan may read his own profile, which names A's programme
_OUTSIDERS_BY_ID = {
    "engagement_id": WORK_OUTSIDERS,
    "task_id": WORK_OUTSIDERS,
    "deliverable_id": WORK_OUTSIDERS,
    "version_id": WORK_OUTSIDERS,
    "document_id": WORK_OUTSIDERS,
    "assignment_id": WORK_OUTSIDERS,
    "expert_id": ("dave", "quinn", "pete", "carol", "erin", "ops"),
    "organisation_id": ("dave", "quinn", "pete", "carol", "erin"),
    "token_id": tuple(name for name in EVERYONE if name not in {"alice", "ops"}),
    # organisation settings: outsiders get 404, A's members who are not admins 403
    "invitation_id": ("dave", "quinn", "pete", "carol", "erin", "bob", "aud", "ivan"),
    "member_id": ("dave", "quinn", "pete", "carol", "erin", "bob", "aud", "ivan"),
    # staffing runs: only the provider's managers (pete)
    "run_id": tuple(name for name in EVERYONE if name != "pete"),
    # make-or-buy scenarios: the client's admins and requesters
    "scenario_id": ("dave", "quinn", "pete", "carol", "erin"),
}
_INSIDER_BY_ID = {"run_id": "pete"}  # routes whose insider is not alice

WEB_RULES: dict[str, Rule] = merged(_WEB_RULES, lambda part: part.web)
API_RULES: dict[str, Rule] = merged(_API_RULES, lambda part: part.api)
OUTSIDERS_BY_ID: dict[str, tuple[str, ...]] = merged(_OUTSIDERS_BY_ID, lambda part: part.outsiders_by_id)
INSIDER_BY_ID: dict[str, str] = merged(_INSIDER_BY_ID, lambda part: part.insider_by_id)
WITHHELD: dict[str, Withheld] = merged({}, lambda part: part.withheld)
HIDDEN_BY_ID: dict[str, tuple[str, ...]] = merged({}, lambda part: part.hidden_by_id)
STATUSES: dict[str, Statuses] = merged({}, lambda part: part.statuses)


def insider_for(route: Route) -> str:
    return next((INSIDER_BY_ID[kwarg] for kwarg in route.kwargs if kwarg in INSIDER_BY_ID), "alice")


UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def objects_of_a(cast: Cast) -> dict[str, Any]:
    token, _ = api_token_create(user=cast.alice, name="alice's token")
    invitation, link = invitation_create(
        organisation=cast.org_a,
        invited_by=cast.alice,
        email="newcomer@example.com",
        role="requester",
        site_url="http://testserver",
    )
    ids: dict[str, Any] = {
        "invitation_id": invitation.pk,
        "token": link.rstrip("/").rsplit("/", 1)[-1],
        "member_id": cast.bob.pk,
        "engagement_id": cast.engagement_a.pk,
        "task_id": cast.task_a.pk,
        "deliverable_id": cast.deliverable_a.pk,
        "version_id": cast.version_a.pk,
        "document_id": cast.document_a.pk,
        "assignment_id": cast.assignment_a.pk,
        "expert_id": cast.ivan_profile.pk,
        "organisation_id": cast.org_a.pk,
        "token_id": token.pk,
        "run_id": StaffingRun.objects.create(
            provider=cast.provider_p, created_by=cast.pete, task_ids=[cast.draft_a.pk], status="done"
        ).pk,
        "scenario_id": MakeOrBuyScenario.objects.create(
            client=cast.org_a, created_by=cast.alice, name=SECRET_A, inputs={}, result={}
        ).pk,
    }
    for part in parts():
        ids.update(part.objects(cast))
    return ids


def snapshot_of_a(cast: Cast) -> dict[str, Any]:
    """Everything about client A that an outsider or an auditor must not be able to change."""
    scoped: list[tuple[type[Model], str]] = [
        (Task, "engagement__client"),
        (Assignment, "task__engagement__client"),
        (Deliverable, "task__engagement__client"),
        (DeliverableVersion, "deliverable__task__engagement__client"),
        (TaskDocument, "task__engagement__client"),
        (TimeEntry, "task__engagement__client"),
        (Message, "task__engagement__client"),
        (TaskTransition, "task__engagement__client"),
    ]
    for part in parts():
        scoped.extend(part.scoped_models)
    state: dict[str, Any] = {
        model.__name__: model.objects.filter(**{lookup: cast.org_a}).count()  # type: ignore[attr-defined]
        for model, lookup in scoped
    }
    state["engagements"] = list(Engagement.objects.filter(client=cast.org_a).values_list("title", "status"))
    state["tasks"] = list(Task.objects.filter(engagement__client=cast.org_a).values_list("title", "status"))
    state["alice_tokens"] = list(ApiToken.objects.filter(user=cast.alice).values_list("id", "revoked_at"))
    return state


def fill(path: str, ids: dict[str, int]) -> str:
    def value(match: re.Match[str]) -> str:
        return str(ids[match.group("name")])

    path = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, path)
    return "/" + re.sub(r"\{(?P<name>\w+)\}", value, path).lstrip("/")


def outsiders_for(route: Route) -> set[str]:
    names: set[str] = set()
    for kwarg in route.kwargs:
        names |= set(OUTSIDERS_BY_ID[kwarg])
    return names


def hidden_from(route: Route, who: str) -> bool:
    """Whether `who` must get 404 at `route` (its existence hidden), not 403."""
    return any(who in HIDDEN_BY_ID.get(kwarg, ()) for kwarg in route.kwargs)


def assert_no_leak(response: Any, who: str, route: Route) -> None:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert SECRET_A.encode() not in body, f"{who} saw client A's data at {route.key} ({response.status_code})"
    assert response.status_code < 500, f"{who} got {response.status_code} at {route.key}"


@pytest.fixture
def logged_in(cast: Cast) -> Callable[[str], Client]:
    clients: dict[str, Client] = {}

    def get(name: str) -> Client:
        if name not in clients:
            clients[name] = Client()
            if name != "anonymous":
                clients[name].force_login(cast.users()[name])
        return clients[name]

    return get


@pytest.fixture
def bearer(cast: Cast) -> Callable[[str], dict[str, str]]:
    tokens = {name: api_token_create(user=user, name="matrix")[1] for name, user in cast.users().items()}
    return lambda name: {"HTTP_AUTHORIZATION": f"Bearer {tokens[name]}"} if name != "anonymous" else {}


def test_every_route_is_in_the_matrix() -> None:
    web = {route.key for route in web_routes()}
    assert web - set(WEB_RULES) == set(), "web routes missing from the authorisation matrix"
    assert set(WEB_RULES) - web == set(), "matrix entries for web routes that no longer exist"
    operations = {route.key for route in api_routes(api.get_openapi_schema())}
    assert operations - set(API_RULES) == set(), "API operations missing from the authorisation matrix"
    assert set(API_RULES) - operations == set(), "matrix entries for API operations that no longer exist"
    for route in web_routes():
        if WEB_RULES[route.key].access == OBJECT:
            assert route.kwargs, f"{route.key} is an object route without ids"
            assert set(route.kwargs) <= set(OUTSIDERS_BY_ID), (
                f"{route.key} uses an id the matrix does not know"
            )


def test_web_outsiders_and_anonymous_get_nothing(cast: Cast, logged_in: Callable[[str], Client]) -> None:
    ids = objects_of_a(cast)
    before = snapshot_of_a(cast)
    checked = 0
    for route in web_routes():
        rule = WEB_RULES[route.key]
        url = fill(route.path, ids)
        if rule.access == OBJECT:
            for who in sorted(outsiders_for(route)):
                for method in ("get", "post"):
                    response = getattr(logged_in(who), method)(url, {"title": "Leak", "status": "accepted"})
                    expected = {404, 405} if hidden_from(route, who) else {403, 404, 405}
                    assert response.status_code in expected, f"{who} {method} {url}: {response.status_code}"
                    assert_no_leak(response, who, route)
                    checked += 1
        if rule.access != PUBLIC:
            for method in ("get", "post"):
                response = getattr(logged_in("anonymous"), method)(url)
                assert response.status_code in {302, 401, 403, 404, 405}, f"anonymous {method} {url}"
                if response.status_code == 302:
                    assert "/login" in response["Location"]
                assert_no_leak(response, "anonymous", route)
        if rule.access in {SIGNED_IN, PUBLIC}:
            for who in LIST_OUTSIDERS:
                assert_no_leak(logged_in(who).get(url), who, route)
    assert snapshot_of_a(cast) == before
    assert checked > 50


def test_web_insiders_reach_every_object_route(cast: Cast, logged_in: Callable[[str], Client]) -> None:
    """The positive control: the same URLs are real, so the outsiders' 404s mean something."""
    ids = objects_of_a(cast)
    for route in web_routes():
        if WEB_RULES[route.key].access != OBJECT:
            continue
        who = insider_for(route)
        response = logged_in(who).get(fill(route.path, ids))
        assert response.status_code in {200, 302, 405}, f"{who} GET {route.key}: {response.status_code}"
    assert SECRET_A in logged_in("alice").get(reverse("engagement_list")).content.decode()


def test_auditor_writes_nothing(cast: Cast, logged_in: Callable[[str], Client]) -> None:
    ids = objects_of_a(cast)
    before = snapshot_of_a(cast)
    for route in web_routes():
        rule = WEB_RULES[route.key]
        if rule.access != OBJECT or rule.self_service:
            continue
        response = logged_in("aud").post(fill(route.path, ids), {"title": "Changed", "status": "in_review"})
        assert response.status_code in {302, 400, 403, 404, 405}, (
            f"aud POST {route.key}: {response.status_code}"
        )
    assert snapshot_of_a(cast) == before


def _api_call(client: Client, route: Route, url: str, headers: dict[str, str]) -> Any:
    rule = API_RULES[route.key]
    if route.method == "GET":
        response = client.get(url, **headers)
    elif rule.files:
        data = dict(rule.body or {}, file=io.BytesIO(b"Leak text"))
        data["file"].name = "leak.txt"
        response = client.post(url, data, **headers)
    else:
        send = getattr(client, route.method.lower())
        response = send(url, rule.body or {}, content_type="application/json", **headers)
    check_against_openapi(route.method, url, response)
    return response


def test_api_outsiders_and_anonymous_get_nothing(cast: Cast, bearer: Callable[[str], dict[str, str]]) -> None:
    ids = objects_of_a(cast)
    before = snapshot_of_a(cast)
    client = Client()
    checked = 0
    for route in api_routes(api.get_openapi_schema()):
        rule = API_RULES[route.key]
        url = fill(route.path, ids)
        if rule.access == OBJECT:
            for who in sorted(outsiders_for(route)):
                response = _api_call(client, route, url, bearer(who))
                expected = {404} if hidden_from(route, who) else {403, 404}
                assert response.status_code in expected, f"{who} {route.method} {url}: {response.status_code}"
                assert_no_leak(response, who, route)
                checked += 1
        response = _api_call(client, route, url, bearer("anonymous"))
        assert response.status_code == 401, f"anonymous {route.method} {url}: {response.status_code}"
        if rule.access == SIGNED_IN and route.method == "GET":
            for who in LIST_OUTSIDERS:
                assert_no_leak(client.get(url, **bearer(who)), who, route)
    assert snapshot_of_a(cast) == before
    assert checked > 50


def test_api_insiders_reach_every_object_operation(
    cast: Cast, bearer: Callable[[str], dict[str, str]]
) -> None:
    ids = objects_of_a(cast)
    client = Client()
    for route in api_routes(api.get_openapi_schema()):
        if API_RULES[route.key].access != OBJECT or route.method != "GET":
            continue
        who = insider_for(route)
        response = client.get(fill(route.path, ids), **bearer(who))
        assert response.status_code == 200, f"{who} GET {route.key}: {response.status_code}"


def test_api_auditor_writes_nothing(cast: Cast, bearer: Callable[[str], dict[str, str]]) -> None:
    ids = objects_of_a(cast)
    before = snapshot_of_a(cast)
    client = Client()
    for route in api_routes(api.get_openapi_schema()):
        rule = API_RULES[route.key]
        if route.method not in UNSAFE or rule.self_service or rule.access != OBJECT:
            continue
        response = _api_call(client, route, fill(route.path, ids), bearer("aud"))
        assert response.status_code in {403, 404, 409, 422}, (
            f"aud {route.method} {route.key}: {response.status_code}"
        )
    assert snapshot_of_a(cast) == before


def _content(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else bytes(response.content)


def _field_values(data: Any, names: tuple[str, ...]) -> list[Any]:
    """The values of every key in `names`, in every object of a JSON document, however deep."""
    found: list[Any] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in names:
                found.append(value)
            found.extend(_field_values(value, names))
    elif isinstance(data, list):
        for item in data:
            found.extend(_field_values(item, names))
    return found


def test_withheld_fields_stay_hidden(
    cast: Cast, logged_in: Callable[[str], Client], bearer: Callable[[str], dict[str, str]]
) -> None:
    """Readers of a route who must not see some of its fields (a client, a provider's cost rates) get
    the route without them; the positive control sees them on the same route."""
    ids = objects_of_a(cast)
    web = {route.key: route for route in web_routes()}
    operations = {route.key: route for route in api_routes(api.get_openapi_schema())}
    assert set(WITHHELD) <= set(web) | set(operations), "withheld fields on routes that do not exist"
    client = Client()

    def get(key: str, who: str) -> Any:
        if key in web:
            return logged_in(who).get(fill(web[key].path, ids))
        return client.get(fill(operations[key].path, ids), **bearer(who))

    for key, withheld in WITHHELD.items():
        for who in withheld.readers:
            response = get(key, who)
            assert response.status_code == 200, f"{who} GET {key}: {response.status_code}"
            body = _content(response)
            shown = [value for value in withheld.values if value.encode() in body]
            assert not shown, f"{who} saw {shown} at {key}"
            if response.get("Content-Type", "").startswith("application/json"):
                leaked = [v for v in _field_values(response.json(), withheld.fields) if v is not None]
                assert not leaked, f"{who} saw {withheld.fields} = {leaked} at {key}"
        if withheld.shown_to:
            response = get(key, withheld.shown_to)
            assert response.status_code == 200
            body = _content(response)
            assert any(value.encode() in body for value in withheld.values), f"{key} hides from all"


def test_admin_is_for_superusers_only(logged_in: Callable[[str], Client]) -> None:
    for who in ("alice", "pete", "dave", "anonymous"):
        response = logged_in(who).get("/admin/work/engagement/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        assert SECRET_A.encode() not in response.content
    assert SECRET_A in logged_in("ops").get("/admin/work/engagement/").content.decode()  # a superuser
    User.objects.filter(username="ops").update(is_superuser=False)  # an operator: staff, no grant
    response = logged_in("ops").get("/admin/work/engagement/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert SECRET_A.encode() not in response.content


def _objects_in(data: Any) -> list[dict[str, Any]]:
    """The objects a JSON answer is about: the items of a page or list, else the object itself."""
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        return list(data["items"])
    return list(data) if isinstance(data, list) else [data]


def test_each_member_of_the_cast_gets_the_status_and_fields_listed(
    cast: Cast, logged_in: Callable[[str], Client], bearer: Callable[[str], dict[str, str]]
) -> None:
    """Routes with a status per member of the cast (tests/matrix parts' `statuses`): everyone, client
    A's people, its provider's and the other tenant's alike, gets exactly that status, and a 2xx answer
    carries the fields listed. Each call is rolled back, so a write by one does not change the next."""
    ids = objects_of_a(cast)
    web = {route.key: route for route in web_routes()}
    operations = {route.key: route for route in api_routes(api.get_openapi_schema())}
    assert set(STATUSES) <= set(web) | set(operations), "statuses for routes that do not exist"
    client = Client()
    for key, expected in STATUSES.items():
        assert set(expected.by_role) == set(EVERYONE), f"{key}: statuses for {sorted(expected.by_role)}"
        for who in EVERYONE:
            saved = transaction.savepoint()
            try:
                if key in web:
                    response = logged_in(who).get(fill(web[key].path, ids))
                else:
                    route = operations[key]
                    rule = API_RULES[key]
                    if expected.body is not None:
                        rule = Rule(rule.access, body=expected.body(ids))
                    url = fill(route.path, ids)
                    send = getattr(client, route.method.lower())
                    if route.method == "GET":
                        response = send(url, **bearer(who))
                    else:
                        response = send(url, rule.body or {}, content_type="application/json", **bearer(who))
                    check_against_openapi(route.method, url, response)
            finally:
                transaction.savepoint_rollback(saved)
            assert response.status_code == expected.by_role[who], (
                f"{who} {key}: {response.status_code}, not {expected.by_role[who]}"
            )
            if response.status_code < 300 and expected.fields:
                for item in _objects_in(response.json()):
                    missing = set(expected.fields) - set(item)
                    assert not missing, f"{who} {key}: no {sorted(missing)} in {item}"
