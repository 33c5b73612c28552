"""Schemathesis over every operation of /api/openapi.json, in-process through Django's WSGI handler.

Each operation gets generated requests (valid ones, invalid ones, and valid ones aimed at the cast's
real objects so the handlers behind the 404 are exercised too), sent as a cast member with a bearer
token. Checks: no 5xx, every status code declared, content types as documented, bodies matching the
declared response schemas.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kpo.economics.models import MakeOrBuyScenario
from kpo.orgs.services import api_token_create
from kpo.redaction.models import SensitiveTerm
from kpo.staffing.models import StaffingRun
from tests.cast import Cast
from tests.matrix import parts
from tests.openapi_contract import openapi

pytestmark = pytest.mark.django_db

SCHEMA = schemathesis.openapi.from_dict(openapi())
# the operations as schemathesis sees them; each becomes one test below
OPERATIONS = [
    (operation.path, operation.method, operation.definition.raw["operationId"])
    for operation in (result.ok() for result in SCHEMA.get_all_operations())
]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# KPO_SCHEMATHESIS_EXAMPLES=500 for a deeper, randomised hunt
MAX_EXAMPLES = int(os.environ.get("KPO_SCHEMATHESIS_EXAMPLES", "25"))
DERANDOMIZE = "KPO_SCHEMATHESIS_EXAMPLES" not in os.environ

# who sends the requests: someone who may actually do the operation, so the write paths run
ACTOR = {
    "create_assignment": "pete",
    "delete_assignment": "pete",
    "create_time_entry": "carol",
    "upload_deliverable": "carol",
    "create_staffing_run": "pete",
    "get_staffing_run": "pete",
    "commit_staffing_run": "pete",
    "create_sensitive_term": "alice",
    "update_sensitive_term": "alice",
    "delete_sensitive_term": "alice",
    # the vault: the client's admin keeps NDAs, reads the log and traces; an expert with a need to know signs
    "list_nda_templates": "alice",
    "create_nda_template": "alice",
    "get_nda_template": "carol",
    "update_nda_template": "alice",
    "list_nda_versions": "alice",
    "create_nda_version": "alice",
    "list_nda_signatures": "alice",
    "create_nda_signature": "carol",
    "get_nda_signature": "alice",
    "download_nda_signature_pdf": "carol",
    "list_downloads": "alice",
    "create_trace": "alice",
    "get_capacity": "pete",
    "list_overflow_providers": "alice",
    "approve_overflow_provider": "alice",
    "withdraw_overflow_provider": "alice",
    "release_task_to_overflow": "pete",
    "list_overflow_releases": "pete",
    "take_overflow_release": "pete",
    "list_talent_benches": "alice",
    "create_talent_bench": "alice",
    "rename_talent_bench": "alice",
    "list_bench_members": "alice",
    "add_bench_member": "alice",
    "remove_bench_member": "alice",
    "get_forecast": "alice",
}


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """Django's WSGI handler, without closing the test transaction's connection after each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _known_ids(cast: Cast, spare_token_id: int) -> list[dict[str, int]]:
    """Path parameters naming real objects the actor can see (two sets: a running and a draft task)."""
    common = {
        "organisation_id": cast.org_a.pk,
        "expert_id": cast.carol.expert_profile.pk,
        "engagement_id": cast.engagement_a.pk,
        "token_id": spare_token_id,
        "document_id": cast.document_a.pk,
        "deliverable_id": cast.deliverable_a.pk,
        "version_id": cast.version_a.pk,
        "assignment_id": cast.assignment_a.pk,
        "run_id": StaffingRun.objects.create(
            provider=cast.provider_p, created_by=cast.pete, task_ids=[cast.draft_a.pk], status="done"
        ).pk,
        "scenario_id": MakeOrBuyScenario.objects.create(
            client=cast.org_a, created_by=cast.alice, name="Fuzzed plan", inputs={}, result={}
        ).pk,
        "sensitive_term_id": SensitiveTerm.objects.create(
            client=cast.org_a, term="Falcon", category="product"
        ).pk,
    }
    for part in parts():  # every feature's own objects of client A (tests/matrix)
        common = {**part.objects(cast), **common}
    return [{**common, "task_id": cast.task_a.pk}, {**common, "task_id": cast.draft_a.pk}]


def _body_ids(cast: Cast) -> dict[str, int]:
    """Ids of real objects for body fields, so generated writes can also succeed."""
    skill = cast.task_a.required_skills.get()
    return {
        "client": cast.org_a.pk,
        "provider": cast.provider_p.pk,
        "provider_id": cast.provider_p.pk,
        "expert_id": cast.erin.expert_profile.pk,
        "deliverable_id": cast.deliverable_a.pk,
        "skill_id": skill.skill_id,
    }


def _aim_at_real_objects(body: Any, ids: dict[str, int]) -> None:
    if isinstance(body, list):
        for item in body:
            _aim_at_real_objects(item, ids)
    elif isinstance(body, dict):
        for key, value in body.items():
            if key in ids and isinstance(value, int) and not isinstance(value, bool):
                body[key] = ids[key]
            else:
                _aim_at_real_objects(value, ids)


def _strategy(path: str, method: str, known: list[dict[str, int]]) -> st.SearchStrategy[Any]:
    operation = SCHEMA[path][method]
    names = {p.name for p in operation.path_parameters}
    strategies = [operation.as_strategy(GenerationMode.POSITIVE)]
    if names:
        strategies += [
            operation.as_strategy(GenerationMode.POSITIVE, path_parameters={k: ids[k] for k in names})
            for ids in known
        ]
    if names or operation.query or operation.body:
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))
    return st.one_of(strategies)


@pytest.mark.parametrize(("path", "method", "operation_id"), OPERATIONS, ids=[o[2] for o in OPERATIONS])
def test_operation_conforms(
    path: str,
    method: str,
    operation_id: str,
    cast: Cast,
    wsgi_app: WSGIHandler,
) -> None:
    actor = cast.users()[ACTOR.get(operation_id, "bob")]
    spare, _ = api_token_create(user=actor, name="spare")
    calls = 0
    body_ids = _body_ids(cast)

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=DERANDOMIZE,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(path, method, _known_ids(cast, spare.pk)), aim=st.booleans())
    def run(case: Any, aim: bool) -> None:
        nonlocal calls
        if aim:
            _aim_at_real_objects(case.body, body_ids)
        # a fresh token each time: a generated token_id may revoke the one used before
        token = api_token_create(user=actor, name="schemathesis")[1]
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
        response = case.call(app=wsgi_app)
        case.validate_response(response, checks=CHECKS)
        calls += 1

    run()
    assert calls > 0, f"{operation_id}: no request was sent"


def test_every_operation_is_run() -> None:
    """Schemathesis saw every operation of the served schema, and each has its test above."""
    served = Client().get("/api/openapi.json").json()
    assert served == openapi()
    operation_ids = {op["operationId"] for item in served["paths"].values() for op in item.values()}
    assert len(OPERATIONS) == len(operation_ids) == sum(len(item) for item in served["paths"].values())
    assert {operation_id for _, _, operation_id in OPERATIONS} == operation_ids
