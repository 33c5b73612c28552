"""Service levels (per engagement, on the provider's business calendar) and disputes about deliveries.

Response: business hours from a task's submission to the provider's first response (staffing started
or a message from the provider's side). Delivery: business hours from work started to the first
delivery. Time on hold does not count.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Schema, UploadedFile
from ninja.params.functions import Form as FormParam
from pydantic import StringConstraints, WithJsonSchema

from kpo.api.files import upload_from
from kpo.api.outputs import Ref, Username
from kpo.api.routing import ApiRouter
from kpo.api.schemas import OMITTED, Id, Text, decimal_input, to_places, user_of
from kpo.core.access import require
from kpo.core.clock import request_now
from kpo.core.files import serve_stored
from kpo.engine.business_calendar import SlaClock
from kpo.sla import services
from kpo.sla.access import (
    access_dispute,
    access_dispute_evidence,
    access_sla_engagement,
    access_task_for_dispute,
    disputes_visible_to,
    is_client_writer,
    is_operator,
    is_provider_manager,
)
from kpo.sla.models import Dispute, DisputeEvidence, SlaPolicy
from kpo.sla.selectors import TaskSla, calendar_for, sla_report, task_sla
from kpo.work.access import access_task
from kpo.work.models import Engagement

router = ApiRouter(tags=["sla"])

SlaHours = Annotated[
    Decimal,
    *decimal_input(ge=Decimal("0.5"), le=10000, max_digits=6, places=1, digits=6, minimum=1, maximum=10000),
]
Share = Annotated[
    Decimal,
    Field(ge=Decimal("0.10"), le=Decimal("0.99"), max_digits=3, decimal_places=2),
    to_places(2),
    WithJsonSchema({"type": "string", "pattern": r"^0\.[1-9][0-9]?$"}),
]
Percent = Annotated[
    Decimal,
    *decimal_input(ge=Decimal("0.01"), le=100, max_digits=5, places=2, digits=5, minimum=1, maximum=100),
]
Amount = Annotated[
    Decimal,
    *decimal_input(
        ge=Decimal("0.01"), lt=10**12, max_digits=14, places=2, digits=14, minimum=1, maximum=10**12 - 1
    ),
]
ClockTime = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
Weekday = Annotated[int, Field(ge=0, le=6)]
Days = Annotated[int, Field(ge=1, le=60)]
Outcome = Literal["accept", "partial_credit", "redo"]
DisputeState = Literal["opened", "responded", "mediation", "resolved"]
Note = Annotated[str, StringConstraints(max_length=5000)]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=5000)]


class SlaPolicyOut(Schema):
    response_hours: Decimal
    working_days: list[int]
    day_start: str
    day_end: str
    at_risk_share: Decimal
    dispute_response_days: int
    mediation_days: int
    country: str = Field(description="The provider's country, whose public holidays count ('' if none).")
    time_zone: str

    @staticmethod
    def resolve_working_days(obj: SlaPolicy) -> list[int]:
        return sorted(obj.weekdays)

    @staticmethod
    def resolve_day_start(obj: SlaPolicy) -> str:
        return obj.day_start.strftime("%H:%M")

    @staticmethod
    def resolve_day_end(obj: SlaPolicy) -> str:
        return obj.day_end.strftime("%H:%M")

    @staticmethod
    def resolve_country(obj: SlaPolicy) -> str:
        return calendar_for(obj.engagement, obj).country

    @staticmethod
    def resolve_time_zone(obj: SlaPolicy) -> str:
        return calendar_for(obj.engagement, obj).timezone


class SlaPolicyPatch(Schema):
    """Send only what changes (the client's admins)."""

    response_hours: SlaHours = OMITTED
    working_days: list[Weekday] = Field(OMITTED, min_length=1, max_length=7)
    day_start: ClockTime = OMITTED
    day_end: ClockTime = OMITTED
    at_risk_share: Share = OMITTED
    dispute_response_days: Days = OMITTED
    mediation_days: Days = OMITTED


class ClockOut(Schema):
    state: Literal["on_track", "at_risk", "breached", "met"]
    started_at: dt.datetime
    due_at: dt.datetime
    finished_at: dt.datetime | None
    used_hours: float
    allowance_hours: float
    hours_left: float
    paused: bool


class TaskSlaOut(Schema):
    task: Ref
    status: str
    state: str | None = Field(
        description="The current clock's state: delivery once work started, else response."
    )
    clock: Literal["response", "delivery"] | None
    response: ClockOut | None
    delivery: ClockOut | None


class SlaCountsOut(Schema):
    met: int
    on_track: int
    at_risk: int
    breached: int


class SlaReportOut(Schema):
    engagement: Ref
    policy: SlaPolicyOut
    counts: SlaCountsOut
    on_time_share: float | None = Field(description="Share of delivered tasks delivered on time.")
    response_on_time_share: float | None
    average_response_hours: float | None
    average_delivery_hours: float | None
    tasks: list[TaskSlaOut]


def _clock(started: dt.datetime | None, clock: SlaClock | None) -> dict[str, Any] | None:
    if clock is None or started is None:
        return None
    return {
        "state": clock.state.value,
        "started_at": started,
        "due_at": clock.due,
        "finished_at": clock.finished,
        "used_hours": round(clock.used_hours, 4),
        "allowance_hours": clock.allowance_hours,
        "hours_left": round(clock.hours_left, 4),
        "paused": clock.paused,
    }


def _task_sla(sla: TaskSla) -> dict[str, Any]:
    return {
        "task": sla.task,
        "status": sla.task.status,
        "state": sla.state,
        "clock": sla.clock_name,
        "response": _clock(sla.response_started, sla.response),
        "delivery": _clock(sla.delivery_started, sla.delivery),
    }


@router.reads("/engagements/{engagement_id}/sla", SlaReportOut, 404, 422)
def get_sla_report(request: HttpRequest, engagement_id: Id) -> dict[str, Any]:
    """The engagement's service levels and, per task, its response and delivery clocks (client members
    and the provider's managers)."""
    engagement = access_sla_engagement(user_of(request), engagement_id)
    report = sla_report(engagement, request_now(request))
    return {
        "engagement": engagement,
        "policy": report.policy,
        "counts": report.counts,
        "on_time_share": report.on_time_share,
        "response_on_time_share": report.response.on_time_share,
        "average_response_hours": report.response.average_hours,
        "average_delivery_hours": report.delivery.average_hours,
        "tasks": [_task_sla(row) for row in report.rows],
    }


@router.writes("PATCH", "/engagements/{engagement_id}/sla", SlaPolicyOut, 400, 403, 404, 409, 422)
def update_sla_policy(request: HttpRequest, engagement_id: Id, payload: SlaPolicyPatch) -> SlaPolicy:
    """Change the engagement's service levels (the client's admins)."""
    user = user_of(request)
    engagement = access_sla_engagement(user, engagement_id, write=True)
    changes: dict[str, Any] = payload.model_dump(exclude_unset=True)
    for name in ("day_start", "day_end"):
        if name in changes:
            changes[name] = dt.time.fromisoformat(changes[name])
    if "at_risk_share" in changes:
        changes["at_risk_share"] = Decimal(changes["at_risk_share"]).quantize(Decimal("0.01"))
    policy = services.sla_policy_update(user=user, engagement=engagement, **changes)
    policy.engagement = engagement
    return policy


@router.reads("/tasks/{task_id}/sla", TaskSlaOut, 404, 422)
def get_task_sla(request: HttpRequest, task_id: Id) -> dict[str, Any]:
    """The task's SLA clocks now (anyone who sees the task)."""
    task = access_task(user_of(request), task_id)
    return _task_sla(task_sla(task, request_now(request)))


# --- disputes ---------------------------------------------------------------------------------------


class EvidenceOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    note: str
    uploaded_by: Username
    created_at: dt.datetime


class DisputeOut(Schema):
    id: int
    task: Ref
    status: DisputeState
    reason: str
    opened_by: Username
    created_at: dt.datetime
    response_due_at: dt.datetime
    provider_response: str
    proposed_outcome: str
    proposed_credit_percent: Decimal | None
    proposed_credit_amount: Decimal | None
    responded_at: dt.datetime | None
    mediation_due_at: dt.datetime | None
    outcome: str
    credit_percent: Decimal | None
    credit_amount: Decimal | None
    currency: str
    resolution_note: str
    redo_applied: bool
    resolved_at: dt.datetime | None
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_evidence(obj: Dispute) -> list[DisputeEvidence]:
        return list(obj.evidence.select_related("uploaded_by"))


class DisputeFilterIn(Schema):
    status: DisputeState = OMITTED


class DisputeResponseIn(Schema):
    response: Reason
    proposed_outcome: Outcome
    credit_percent: Percent | None = None
    credit_amount: Amount | None = None


class DisputeNoteIn(Schema):
    note: Note = ""


class DisputeResolutionIn(Schema):
    outcome: Outcome
    note: Reason
    credit_percent: Percent | None = None
    credit_amount: Amount | None = None


def _either_side(user: User, engagement: Engagement) -> bool:
    return is_client_writer(user, engagement) or is_provider_manager(user, engagement)


def _dispute_for(
    request: HttpRequest, dispute_id: int, may: Callable[[User, Engagement], bool], refusal: str
) -> tuple[User, Dispute]:
    """The caller and the dispute they act on; 403 with `refusal` unless `may(caller, engagement)`."""
    user = user_of(request)
    dispute = access_dispute(user, dispute_id)
    require(may(user, dispute.task.engagement), refusal)
    return user, dispute


@router.lists("/disputes", DisputeOut, 422)
def list_disputes(request: HttpRequest, filters: Query[DisputeFilterIn]) -> QuerySet[Dispute]:
    queryset = disputes_visible_to(user_of(request)).select_related("task", "opened_by")
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return queryset.order_by("-created_at", "-id")


@router.creates("/tasks/{task_id}/disputes", DisputeOut, 400, 403, 404, 409, 422)
def open_dispute(
    request: HttpRequest,
    task_id: Id,
    reason: Annotated[Text, FormParam(...)],
    evidence: File[UploadedFile] | None = None,
) -> Dispute:
    """Dispute a delivered task (the client's admins and requesters), with an optional evidence file."""
    user = user_of(request)
    task = access_task_for_dispute(user, task_id)
    upload = upload_from(evidence, field="evidence") if evidence is not None else None
    return services.dispute_open(user=user, task=task, reason=reason, evidence=upload)


@router.reads("/disputes/{dispute_id}", DisputeOut, 404, 422)
def get_dispute(request: HttpRequest, dispute_id: Id) -> Dispute:
    return access_dispute(user_of(request), dispute_id)


@router.writes("POST", "/disputes/{dispute_id}/response", DisputeOut, 400, 403, 404, 409, 422)
def respond_to_dispute(request: HttpRequest, dispute_id: Id, payload: DisputeResponseIn) -> Dispute:
    """The provider's managers answer and propose an outcome (a credit as a percentage or an amount)."""
    refusal = _("Only the provider's managers respond to a dispute.")
    user, dispute = _dispute_for(request, dispute_id, is_provider_manager, refusal)
    return services.dispute_respond(user=user, dispute=dispute, **payload.model_dump())


@router.writes("POST", "/disputes/{dispute_id}/agreement", DisputeOut, 400, 403, 404, 409, 422)
def agree_to_dispute_proposal(request: HttpRequest, dispute_id: Id, payload: DisputeNoteIn) -> Dispute:
    """The client agrees to the provider's proposal, which resolves the dispute."""
    refusal = _("Only the client's admins and requesters agree to the provider's proposal.")
    user, dispute = _dispute_for(request, dispute_id, is_client_writer, refusal)
    return services.dispute_agree(user=user, dispute=dispute, note=payload.note)


@router.writes("POST", "/disputes/{dispute_id}/mediation", DisputeOut, 400, 403, 404, 409, 422)
def request_dispute_mediation(request: HttpRequest, dispute_id: Id, payload: DisputeNoteIn) -> Dispute:
    """Either side asks an operator to mediate (the client also once the provider's answer is overdue)."""
    refusal = _("Only the two sides of a dispute ask for mediation.")
    user, dispute = _dispute_for(request, dispute_id, _either_side, refusal)
    return services.dispute_request_mediation(user=user, dispute=dispute, note=payload.note)


@router.writes("POST", "/disputes/{dispute_id}/resolution", DisputeOut, 400, 403, 404, 409, 422)
def resolve_dispute(request: HttpRequest, dispute_id: Id, payload: DisputeResolutionIn) -> Dispute:
    """An operator ends mediation with an outcome."""
    refusal = _("Only an operator resolves a dispute in mediation.")
    user, dispute = _dispute_for(request, dispute_id, lambda user, _engagement: is_operator(user), refusal)
    return services.dispute_resolve(user=user, dispute=dispute, **payload.model_dump())


@router.creates("/disputes/{dispute_id}/evidence", EvidenceOut, 400, 403, 404, 409, 422)
def add_dispute_evidence(
    request: HttpRequest,
    dispute_id: Id,
    file: File[UploadedFile],
    note: Annotated[Annotated[str, StringConstraints(max_length=300)], FormParam("")] = "",
) -> DisputeEvidence:
    """Either side adds a file while the dispute is open; the type is judged by content."""
    refusal = _("Only the client's admins and requesters and the provider's managers add evidence.")
    user, dispute = _dispute_for(request, dispute_id, _either_side, refusal)
    upload = upload_from(file)
    return services.dispute_add_evidence(user=user, dispute=dispute, upload=upload, note=note)


@router.downloads("/disputes/{dispute_id}/evidence/{dispute_evidence_id}/download", 404, 422)
def download_dispute_evidence(request: HttpRequest, dispute_id: Id, dispute_evidence_id: Id) -> FileResponse:
    evidence = access_dispute_evidence(user_of(request), dispute_id, dispute_evidence_id)
    return serve_stored(evidence, text_charset=True)
