"""Parts of the authorisation matrix kept beside the feature they cover.

Each module listed in PART_MODULES is a `MatrixPart`: the web routes and API operations it adds, who
is an outsider for each id kind it introduces, its insider (when not alice), the objects of client A
its routes name, and the client-A models that no outsider or auditor may change. The matrix test
merges every part into its tables; an id kind or route listed twice is an error.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from tests.authz import Rule
from tests.cast import Cast

PART_MODULES = (
    "confidentiality",
    "compliance",
    "redaction",
    "commercials",
    "scenarios",
    "vetting",
    "quality",
    "sla",
    "notices",
    "break_glass",
)


def _no_objects(cast: Cast) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class MatrixPart:
    web: dict[str, Rule] = field(default_factory=dict)
    api: dict[str, Rule] = field(default_factory=dict)
    outsiders_by_id: dict[str, tuple[str, ...]] = field(default_factory=dict)
    insider_by_id: dict[str, str] = field(default_factory=dict)
    objects: Callable[[Cast], dict[str, Any]] = _no_objects
    scoped_models: list[tuple[type[Model], str]] = field(default_factory=list)
    """(model, lookup to the client organisation): counted before and after, must not change."""


def parts() -> list[MatrixPart]:
    return [importlib.import_module(f"tests.matrix.{name}").PART for name in PART_MODULES]


def merged(base: dict[str, Any], pick: Callable[[MatrixPart], dict[str, Any]]) -> dict[str, Any]:
    result = dict(base)
    for part in parts():
        for key, value in pick(part).items():
            if key in result:
                raise AssertionError(f"{key} is in the authorisation matrix twice")
            result[key] = value
    return result
