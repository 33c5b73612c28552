"""Parts of the authorisation matrix kept beside the feature they cover.

Each module listed in PART_MODULES is a `MatrixPart`: the web routes and API operations it adds, who
is an outsider for each id kind it introduces, its insider (when not alice), the objects of client A
its routes name, the client-A models that no outsider or auditor may change, and the fields some
readers of a route must not see (`withheld`). The matrix test merges every part into its tables; an id
kind or route listed twice is an error.
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
    "two_factor",
    "signin",
    "break_glass",
    "contracts",
    "forecast",
    "capacity",
    "overflow",
    "glossary",
)


def _no_objects(cast: Cast) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Withheld:
    """What a route must not show to some of the people who may read it.

    Each of `readers` gets 200 from a GET of the route, but no JSON object in the answer has one of
    `fields` with a value (absent or null only), and none of `values` is anywhere in the body. `shown_to`
    is the positive control: the same GET shows them to this reader.
    """

    readers: tuple[str, ...]
    fields: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    shown_to: str = ""


@dataclass(frozen=True)
class Statuses:
    """What each member of the cast gets from one route on client A's objects.

    `by_role` names every member of the cast (tests/cast.py) and the status they get; `body` makes the
    request body of a write from the objects' ids (the route's matrix body when None); each JSON object
    of a 2xx answer (each item of a list) has every one of `fields`. Writes are rolled back after each
    call, so every member meets the same state.
    """

    by_role: dict[str, int]
    body: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatrixPart:
    web: dict[str, Rule] = field(default_factory=dict)
    api: dict[str, Rule] = field(default_factory=dict)
    outsiders_by_id: dict[str, tuple[str, ...]] = field(default_factory=dict)
    insider_by_id: dict[str, str] = field(default_factory=dict)
    objects: Callable[[Cast], dict[str, Any]] = _no_objects
    scoped_models: list[tuple[type[Model], str]] = field(default_factory=list)
    """(model, lookup to the client organisation): counted before and after, must not change."""
    hidden_by_id: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """id kind -> outsiders who must get 404 (never 403: the object's existence stays hidden)."""
    withheld: dict[str, Withheld] = field(default_factory=dict)
    """route key (URL name or operation id) -> what some of its readers must not see."""
    statuses: dict[str, Statuses] = field(default_factory=dict)
    """route key -> the status (and fields) each member of the cast gets."""


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
