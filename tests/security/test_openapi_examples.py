"""The OpenAPI document describes what each operation really takes (issue 14, item 12).

Two input schemas named alike (`TransitionIn` in tasks and in vetting) once collided: the document showed
`POST /api/tasks/{id}/transitions` with the vetting schema. Every schema name now belongs to one class,
and an example body built from each operation's documented schema (its `examples` when it has them, else
generated from the schema's types and constraints) validates against the operation's own input model.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, get_args

import pytest
from ninja.operation import Operation
from pydantic import BaseModel, ValidationError

from kpo.api.api import api
from tests.openapi_contract import openapi

REF = "#/components/schemas/"
PATTERN_CANDIDATES = ("1", "0.5", "12:00", "1.5", "10", "0.15")
FORMATS = {"date": "2026-11-03", "date-time": "2026-11-03T10:00:00Z", "email": "someone@example.com"}


def _operations() -> Iterator[Operation]:
    for _prefix, router in api._routers:
        for view in router.path_operations.values():
            yield from view.operations


def _models_in(annotation: Any, seen: set[type[BaseModel]]) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        yield annotation
        for field in annotation.model_fields.values():
            yield from _models_in(field.annotation, seen)
    for argument in get_args(annotation):
        yield from _models_in(argument, seen)


def _schema_classes() -> dict[str, set[type[BaseModel]]]:
    """Every kpo schema class an operation takes or answers, by the component name it gets."""
    by_name: dict[str, set[type[BaseModel]]] = defaultdict(set)
    seen: set[type[BaseModel]] = set()
    for operation in _operations():
        wrappers = [*operation.models, *operation.response_models.values()]
        for wrapper in wrappers:
            if not (isinstance(wrapper, type) and issubclass(wrapper, BaseModel)):
                continue
            for field in wrapper.model_fields.values():
                for model in _models_in(field.annotation, seen):
                    if model.__module__.startswith("kpo."):
                        by_name[model.__name__].add(model)
    return by_name


def test_no_two_schemas_share_a_component_name() -> None:
    by_name = _schema_classes()
    assert {"TaskTransitionIn", "VettingTransitionIn"} <= set(by_name)
    shared = {
        name: sorted(f"{m.__module__}.{m.__qualname__}" for m in models) for name, models in by_name.items()
    }
    assert {name: classes for name, classes in shared.items() if len(classes) > 1} == {}


def _body_model(operation: Operation) -> type[BaseModel] | None:
    return next((m for m in operation.models if m.__ninja_param_source__ == "body"), None)


def _json_operations() -> list[tuple[str, dict[str, Any], type[BaseModel]]]:
    documented = {
        op["operationId"]: op
        for item in openapi()["paths"].values()
        for op in item.values()
        if "requestBody" in op
    }
    found = []
    for operation in _operations():
        body = _body_model(operation)
        if body is None:
            continue
        op = documented[operation.operation_id]
        schema = op["requestBody"]["content"].get("application/json", {}).get("schema")
        if schema is not None:
            found.append((operation.operation_id, schema, body))
    return sorted(found, key=lambda found: found[0])


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = openapi()["components"]["schemas"][schema["$ref"].removeprefix(REF)]
    return schema


def example(schema: dict[str, Any]) -> Any:
    """The schema's documented example, else the simplest value that meets its types and constraints."""
    schema = _resolve(schema)
    if schema.get("examples"):
        return schema["examples"][0]
    if "example" in schema:
        return schema["example"]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    for key in ("allOf", "anyOf", "oneOf"):
        if key in schema:
            options = [o for o in schema[key] if _resolve(o).get("type") != "null"]
            return example(options[0])
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type", "object")
    if kind == "object":
        return {name: example(prop) for name, prop in schema.get("properties", {}).items()}
    if kind == "array":
        return [example(schema.get("items", {})) for _ in range(max(1, schema.get("minItems", 1)))]
    if kind in {"integer", "number"}:
        low = schema.get(
            "minimum", schema.get("exclusiveMinimum", 0) + 1 if "exclusiveMinimum" in schema else 1
        )
        high = schema.get("maximum", schema.get("exclusiveMaximum", low + 2))
        value = low if low <= high else high
        return int(value) if kind == "integer" else value
    if kind == "boolean":
        return True
    if "format" in schema and schema["format"] in FORMATS:
        return FORMATS[schema["format"]]
    if "pattern" in schema:
        return next(c for c in PATTERN_CANDIDATES if re.search(schema["pattern"], c))
    return "x" * max(1, schema.get("minLength", 1))


OPERATIONS = _json_operations()


def test_every_json_body_is_covered() -> None:
    assert len(OPERATIONS) > 30
    assert "transition_task" in {operation_id for operation_id, _schema, _model in OPERATIONS}


@pytest.mark.parametrize(("operation_id", "schema", "model"), OPERATIONS, ids=[o[0] for o in OPERATIONS])
def test_the_documented_example_is_accepted(
    operation_id: str, schema: dict[str, Any], model: type[BaseModel]
) -> None:
    body = example(schema)
    try:
        model.model_validate(
            {name: body for name in model.model_fields} if len(model.model_fields) == 1 else body
        )
    except ValidationError as error:
        pytest.fail(f"{operation_id}: its documented example {body} is refused: {error}")
