"""The OpenAPI contract itself: ids, declared errors, and input constraints that match the models."""

from __future__ import annotations

import re
from typing import Any, get_args

import pytest
from django.db.models import Model

from kpo.api import orgs
from kpo.api.schemas import CefrLevel, DegreeCode, DomainCode
from kpo.api.work import assignments, engagements, tasks
from kpo.engine.taxonomy import CEFR_LEVELS
from kpo.experts.models import DegreeLevelChoice, DomainChoice
from kpo.orgs.models import ApiToken, OrganisationKind
from kpo.work import models as work
from kpo.work.selectors import ENGAGEMENT_SORTS, TASK_SORTS
from tests.openapi_contract import openapi


def _operations() -> list[dict[str, Any]]:
    return [op for item in openapi()["paths"].values() for op in item.values()]


def test_operation_ids_are_unique_snake_case() -> None:
    ids = [op["operationId"] for op in _operations()]
    assert len(ids) == len(set(ids)) > 41  # every operation named once (the matrix lists each)
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", operation_id) for operation_id in ids)


def test_every_operation_declares_401_and_json_errors() -> None:
    for op in _operations():
        assert "401" in op["responses"], op["operationId"]
        for status, response in op["responses"].items():
            if status.startswith("4"):
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (op["operationId"], status)
    error = openapi()["components"]["schemas"]["ErrorOut"]
    assert set(error["required"]) == {"detail", "errors"}


@pytest.mark.parametrize(
    ("literal", "choices"),
    [
        (tasks.TaskStatus, work.TaskStatus.values),
        (tasks.Priority, work.Priority.values),
        (engagements.Kind, work.EngagementKind.values),
        (engagements.PricingModel, work.PricingModel.values),
        (engagements.Confidentiality, work.Confidentiality.values),
        (engagements.EngagementStatus, work.EngagementStatus.values),
        (DomainCode, DomainChoice.values),
        (DegreeCode, DegreeLevelChoice.values),
        (CefrLevel, list(CEFR_LEVELS)),
        (engagements.EngagementSort, list(ENGAGEMENT_SORTS)),
        (tasks.TaskSort, list(TASK_SORTS)),
        (assignments.AssignmentIn.model_fields["role"].annotation, work.AssignmentRole.values),
    ],
)
def test_enums_match_the_models(literal: Any, choices: list[str]) -> None:
    values = get_args(literal) or (literal,)
    assert sorted(values) == sorted(choices)


def test_organisation_kinds_match() -> None:
    annotation = orgs.OrganisationFilter.model_fields["kind"].annotation
    assert sorted(get_args(annotation)) == sorted(OrganisationKind.values)


@pytest.mark.parametrize(
    ("schema", "model"),
    [
        ("EngagementIn", work.Engagement),
        ("TaskIn", work.Task),
        ("TimeEntryIn", work.TimeEntry),
        ("TokenIn", ApiToken),
    ],
)
def test_string_limits_match_the_model_fields(schema: str, model: type[Model]) -> None:
    properties = openapi()["components"]["schemas"][schema]["properties"]
    checked = 0
    for name, spec in properties.items():
        field = next((f for f in model._meta.get_fields() if f.name == name), None)
        max_length = getattr(field, "max_length", None)
        if max_length and spec.get("type") == "string" and "enum" not in spec:
            assert spec.get("maxLength") == max_length, (schema, name)
            checked += 1
    assert checked >= 1
