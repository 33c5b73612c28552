"""Talent benches: a client's named lists of experts it has worked with, offered first when matching
(kpo.matching.bench). Read by the client's admins, requesters and auditors; kept by its admins."""

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from kpo.api.outputs import PersonName, Ref
from kpo.api.routing import ApiRouter
from kpo.api.schemas import Id, lookup, no_nul, not_blank, user_of
from kpo.experts.access import access_expert
from kpo.matching import bench
from kpo.matching.models import BenchMember, TalentBench

router = ApiRouter(tags=["talent benches"])

BenchName = Annotated[
    str, StringConstraints(max_length=bench.NAME_MAX), AfterValidator(no_nul), AfterValidator(not_blank)
]
Note = Annotated[str, StringConstraints(max_length=300), AfterValidator(no_nul)]


class TalentBenchOut(Schema):
    id: int
    client_id: int
    name: str
    member_count: int
    created_at: dt.datetime

    @staticmethod
    def resolve_member_count(obj: TalentBench) -> int:
        counted = getattr(obj, "member_count", None)
        return counted if counted is not None else obj.members.count()


class TalentBenchIn(Schema):
    name: BenchName = Field(description="Unique among the client's benches (whatever the case).")


class BenchMemberOut(Schema):
    id: int
    bench_id: int
    expert: Ref
    organisation: Ref
    note: str
    added_by: PersonName
    added_at: dt.datetime = Field(alias="created_at")

    @staticmethod
    def resolve_expert(obj: BenchMember) -> dict[str, object]:
        return {"id": obj.expert_id, "name": obj.expert.display_name}

    @staticmethod
    def resolve_organisation(obj: BenchMember) -> object:
        return obj.expert.organisation


class BenchMemberIn(Schema):
    expert_id: Id = Field(description="An expert who delivered one of the client's tasks.")
    note: Note = ""


@router.lists("/organisations/{organisation_id}/benches", TalentBenchOut, 403, 404, 422)
def list_talent_benches(request: HttpRequest, organisation_id: Id) -> list[TalentBench]:
    """The client's benches by name, with their number of members."""
    client = bench.access_client_benches(user_of(request), organisation_id, write=False)
    return bench.benches_of(client)


@router.creates("/organisations/{organisation_id}/benches", TalentBenchOut, 400, 403, 404, 409, 422)
def create_talent_bench(request: HttpRequest, organisation_id: Id, payload: TalentBenchIn) -> TalentBench:
    """A new, empty bench (the client's admins); audited."""
    user = user_of(request)
    client = bench.access_client_benches(user, organisation_id, write=True)
    return bench.bench_create(user=user, client=client, name=payload.name)


@router.writes("PATCH", "/benches/{bench_id}", TalentBenchOut, 400, 404, 409, 422)
def rename_talent_bench(request: HttpRequest, bench_id: Id, payload: TalentBenchIn) -> TalentBench:
    """Rename a bench (the client's admins); audited."""
    user = user_of(request)
    held = bench.access_bench(user, bench_id, write=True)
    return bench.bench_rename(user=user, bench=held, name=payload.name)


@router.lists("/benches/{bench_id}/members", BenchMemberOut, 404, 422)
def list_bench_members(request: HttpRequest, bench_id: Id) -> list[BenchMember]:
    """The bench's members by name."""
    return bench.bench_members(bench.access_bench(user_of(request), bench_id, write=False))


@router.creates("/benches/{bench_id}/members", BenchMemberOut, 400, 403, 404, 409, 422)
def add_bench_member(request: HttpRequest, bench_id: Id, payload: BenchMemberIn) -> BenchMember:
    """Invite an expert the client worked with (the client's admins); they are told; audited."""
    user = user_of(request)
    held = bench.access_bench(user, bench_id, write=True)
    expert = lookup("expert_id", lambda: access_expert(user, payload.expert_id))
    member = bench.bench_member_add(user=user, bench=held, expert=expert, note=payload.note)
    return bench.access_bench_member(user, member.pk)


@router.deletes("/bench-members/{bench_member_id}", 403, 404, 422)
def remove_bench_member(request: HttpRequest, bench_member_id: Id) -> None:
    """Take an expert off the bench (the client's admins); audited."""
    user = user_of(request)
    bench.bench_member_remove(user=user, member=bench.access_bench_member(user, bench_member_id))
