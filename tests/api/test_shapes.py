"""The shared API shapes: operation kinds, outputs that take the object itself, filters from a query."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Schema, Status

from kpo.api.outputs import PersonName, Ref, Username
from kpo.api.routing import ApiRouter
from kpo.api.schemas import OMITTED, Search, filters_for
from kpo.orgs.models import Organisation
from tests.openapi_contract import openapi


def test_an_operation_is_named_by_its_view_and_declares_401() -> None:
    router = ApiRouter()

    @router.reads("/things/{thing_id}", Ref, 404)
    def get_thing(request: HttpRequest, thing_id: int) -> None: ...

    operation = router.path_operations["/things/{thing_id}"].operations[0]
    assert operation.operation_id == "get_thing"
    assert sorted(operation.response_models) == [200, 401, 404]


def test_creates_and_deletes_answer_their_status() -> None:
    router = ApiRouter()

    @router.creates("/things", Ref, 422)
    def create_thing(request: HttpRequest) -> dict[str, object]:
        return {"id": 1, "name": "one"}

    @router.deletes("/things/{thing_id}", 404)
    def delete_thing(request: HttpRequest, thing_id: int) -> None:
        return None

    created = create_thing(HttpRequest())
    assert isinstance(created, Status) and created.status_code == 201
    assert created.value == {"id": 1, "name": "one"}
    deleted = delete_thing(HttpRequest(), thing_id=1)
    assert isinstance(deleted, Status) and (deleted.status_code, deleted.value) == (204, None)


def test_the_served_operations_are_named_by_their_views() -> None:
    summaries = [
        (op["operationId"], op["summary"]) for item in openapi()["paths"].values() for op in item.values()
    ]
    assert all(summary == operation_id.replace("_", " ").title() for operation_id, summary in summaries)


class _Holder(Schema):
    organisation: Ref
    other: Ref | None
    author: Username
    author_name: PersonName
    granted_by: PersonName


def test_outputs_take_the_object_itself() -> None:
    user = User(username="ada", first_name="Ada", last_name="Lovelace")

    @dataclass
    class Row:
        organisation: Organisation
        other: Organisation | None
        author: User
        author_name: User
        granted_by: User | None

    row = Row(Organisation(id=7, name="Acme"), None, user, user, None)
    assert _Holder.model_validate(row).model_dump() == {
        "organisation": {"id": 7, "name": "Acme"},
        "other": None,
        "author": "ada",
        "author_name": "Ada Lovelace",
        "granted_by": "",
    }
    assert Ref(id=1, name="kept").name == "kept"


@dataclass
class _Filter:
    q: str = ""
    owner: int | None = None
    mine: bool = False


class _FilterIn(Schema):
    q: Search = ""
    owner: int = OMITTED
    mine: bool = False


def test_filters_for_takes_the_selector_defaults_and_trims_text() -> None:
    assert filters_for(_Filter, _FilterIn(q="  gears ")) == _Filter(q="gears")
    assert filters_for(_Filter, _FilterIn(owner=3, mine=True)) == _Filter(owner=3, mine=True)
