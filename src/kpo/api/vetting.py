"""Vetting and the compliance passport: records, transitions, credentials, engagement requirements."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpRequest
from ninja import Field, File, Query, Schema, UploadedFile
from ninja.params.functions import Form as FormParam

from kpo.api.files import upload_from
from kpo.api.outputs import Ref, Username
from kpo.api.routing import ApiRouter
from kpo.api.schemas import OMITTED, Id, OptionalTitle, Text, Title, user_of
from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.clock import installation_date, request_now
from kpo.core.files import serve_stored
from kpo.engine.passport import PassportRequirements, passport_meets
from kpo.experts.models import ExpertProfile
from kpo.orgs.models import Organisation
from kpo.vetting.access import (
    access_credential,
    access_engagement_requirements,
    access_vetting_expert,
    managed_provider_ids,
)
from kpo.vetting.models import Credential, CredentialStatus, EngagementRequirements, VettingRecord
from kpo.vetting.selectors import (
    engagement_requirements,
    engine_credential,
    expert_vetting,
    is_lapsed,
)
from kpo.vetting.services.credentials import credential_add, credential_verify
from kpo.vetting.services.pipeline import vetting_start, vetting_transition
from kpo.vetting.services.requirements import requirements_set
from kpo.work.models import Engagement

router = ApiRouter(tags=["vetting"])

VettingStateCode = Literal[
    "applied", "screening", "credentials_verified", "trial_scored", "active", "suspended", "rejected"
]
CredentialKindCode = Literal["degree", "licence", "certification"]
DegreeLevelCode = Literal["", "bachelor", "master", "phd", "professional"]
MethodCode = Literal["registry_check", "issuer_confirmation", "document_review"]
Score = Annotated[Decimal, Field(ge=1, le=5, max_digits=3, decimal_places=2)]
Day = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2999, 12, 31))]
Lines = Annotated[str, Field(max_length=2000)]


class VettingEventOut(Schema):
    action: str
    from_state: str
    to_state: str
    note: str
    actor: Username
    at: dt.datetime


class VettingTransitionOut(Schema):
    state: str
    action: str
    needs_comment: bool


class VettingOut(Schema):
    expert: Ref
    vetted_on_kpo: bool = Field(description="False: onboarded directly by the provider, no record on kpo.")
    state: str | None
    profile_status: str
    trial_score: Decimal | None
    verified_on: dt.date | None
    reverification_due_on: dt.date | None
    lapsed: bool
    transitions: list[VettingTransitionOut]
    history: list[VettingEventOut]


class VettingListItemOut(Schema):
    expert: Ref
    organisation: Ref
    state: str
    verified_on: dt.date | None
    reverification_due_on: dt.date | None
    lapsed: bool

    @staticmethod
    def resolve_organisation(obj: VettingRecord) -> Organisation:
        return obj.expert.organisation

    @staticmethod
    def resolve_lapsed(obj: VettingRecord, context: dict[str, Any]) -> bool:
        return is_lapsed(obj, installation_date(request_now(context["request"])))


class CredentialOut(Schema):
    id: int
    kind: str
    level: str
    title: str
    issuer: str
    degree_id: int | None
    issued_on: dt.date | None
    expires_on: dt.date | None
    status: str
    verified_by: Username | None
    verified_on: dt.date | None
    method: str
    verification_note: str
    valid: bool
    original_name: str
    content_type: str
    size: int
    sha256: str
    created_at: dt.datetime

    @staticmethod
    def resolve_valid(obj: Credential, context: dict[str, Any]) -> bool:
        return engine_credential(obj).is_valid(installation_date(request_now(context["request"])))


class BackgroundCheckOut(Schema):
    provider: str
    checked_on: dt.date
    result: str


class TermsOut(Schema):
    version: str
    signed_on: dt.date


class TrainingOut(Schema):
    name: str
    completed_on: dt.date
    expires_on: dt.date | None


class PassportOut(Schema):
    expert: Ref
    vetting_state: str | None
    reverification_due_on: dt.date | None
    credentials: list[CredentialOut] = Field(description="Verified credentials, valid or expired.")
    background_check: BackgroundCheckOut | None
    platform_terms: TermsOut | None
    trainings: list[TrainingOut]
    baseline_shortfalls: list[str] = Field(
        description="Why the passport falls short of the platform's baseline (terms, a valid degree)."
    )


class StartIn(Schema):
    note: Text = ""


class VettingTransitionIn(Schema):
    state: VettingStateCode
    comment: Text = ""
    trial_score: Score | None = Field(None, description="Required when moving to trial_scored.")
    expected_state: VettingStateCode = OMITTED


class VerifyIn(Schema):
    outcome: Literal["verified", "rejected"] = "verified"
    method: MethodCode
    verified_on: Day | None = Field(None, description="Default: today.")
    expires_on: Day | None = Field(None, description="Set or change the expiry date.")
    note: Text = ""


class RequirementsIn(Schema):
    require_platform_terms: bool = True
    require_verified_credential: bool = True
    min_degree_level: DegreeLevelCode = ""
    required_licences: list[Title] = Field(default_factory=list, max_length=20)
    background_check_max_age_months: Annotated[int, Field(ge=1, le=120)] | None = None
    required_trainings: list[Title] = Field(default_factory=list, max_length=20)


class RequirementsOut(Schema):
    engagement: Ref
    set: bool = Field(description="False: the engagement asks nothing beyond the platform's vetting.")
    require_platform_terms: bool
    require_verified_credential: bool
    min_degree_level: str
    required_licences: list[str]
    background_check_max_age_months: int | None
    required_trainings: list[str]


class VettingFilterIn(Schema):
    state: VettingStateCode = OMITTED


def _vetting_out(
    request: HttpRequest,
    expert: ExpertProfile,
    held: frozenset,  # type: ignore[type-arg]
) -> dict[str, object]:
    view = expert_vetting(expert, held, installation_date(request_now(request)))
    record = view.record
    return {
        "expert": expert,
        "vetted_on_kpo": record is not None,
        "state": record.state if record else None,
        "profile_status": expert.status,
        "trial_score": record.trial_score if record else None,
        "verified_on": record.verified_on if record else None,
        "reverification_due_on": record.reverification_due_on if record else None,
        "lapsed": view.lapsed,
        "transitions": [
            {"state": target, "action": action, "needs_comment": needs}
            for target, action, _label, needs in view.transitions
        ],
        "history": [
            {
                "action": e.action,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "note": e.note,
                "actor": e.actor,
                "at": e.at,
            }
            for e in view.events
        ],
    }


@router.lists("/vetting/records", VettingListItemOut, 422)
def list_vetting_records(request: HttpRequest, filters: Query[VettingFilterIn]) -> QuerySet[VettingRecord]:
    """Vetting records the caller runs (their providers' experts), or their own."""
    user = user_of(request)
    records = VettingRecord.objects.select_related("expert", "expert__user", "expert__organisation").filter(
        Q(expert__organisation_id__in=managed_provider_ids(user)) | Q(expert__user_id=user.pk)
    )
    if filters.state:
        records = records.filter(state=filters.state)
    return records.order_by("expert__user__last_name", "expert__user__first_name", "id")


@router.reads("/vetting/experts/{vetting_expert_id}", VettingOut, 403, 404, 422)
def get_vetting(request: HttpRequest, vetting_expert_id: Id) -> dict[str, object]:
    expert, held = access_vetting_expert(user_of(request), vetting_expert_id)
    return _vetting_out(request, expert, held)


@router.creates("/vetting/experts/{vetting_expert_id}", VettingOut, 400, 403, 404, 409, 422)
def start_vetting(request: HttpRequest, vetting_expert_id: Id, payload: StartIn) -> dict[str, object]:
    """The expert applies, or their provider's manager starts vetting them (rejected: apply again)."""
    user = user_of(request)
    expert, held = access_vetting_expert(user, vetting_expert_id)
    vetting_start(user=user, expert=expert, note=payload.note)
    return _vetting_out(request, expert, held)


@router.writes(
    "POST", "/vetting/experts/{vetting_expert_id}/transitions", VettingOut, 400, 403, 404, 409, 422
)
def transition_vetting(
    request: HttpRequest, vetting_expert_id: Id, payload: VettingTransitionIn
) -> dict[str, object]:
    """Move the vetting to `state` if the engine allows it for the caller now (else 409 naming the field)."""
    user = user_of(request)
    expert, held = access_vetting_expert(user, vetting_expert_id)
    vetting_transition(
        user=user,
        expert=expert,
        target=payload.state,
        comment=payload.comment,
        trial_score=payload.trial_score,
        expected_state=payload.expected_state or "",
    )
    return _vetting_out(request, expert, held)


@router.lists("/vetting/experts/{vetting_expert_id}/credentials", CredentialOut, 403, 404, 422)
def list_credentials(request: HttpRequest, vetting_expert_id: Id) -> QuerySet[Credential]:
    expert, _held = access_vetting_expert(user_of(request), vetting_expert_id)
    return (
        Credential.objects.filter(expert_id=expert.pk)
        .select_related("verified_by")
        .order_by("kind", "title", "id")
    )


@router.creates("/vetting/experts/{vetting_expert_id}/credentials", CredentialOut, 400, 403, 404, 409, 422)
def create_credential(
    request: HttpRequest,
    vetting_expert_id: Id,
    file: File[UploadedFile],
    kind: Annotated[CredentialKindCode, FormParam(...)],
    title: Annotated[Title, FormParam(...)],
    level: Annotated[DegreeLevelCode, FormParam("")] = "",
    issuer: Annotated[OptionalTitle, FormParam("")] = "",
    degree_id: Annotated[Id | None, FormParam(None)] = None,
    issued_on: Annotated[Day | None, FormParam(None)] = None,
    expires_on: Annotated[Day | None, FormParam(None)] = None,
) -> Credential:
    """A degree, licence or certificate with its evidence (type judged by content), unverified."""
    user = user_of(request)
    expert, _held = access_vetting_expert(user, vetting_expert_id)
    credential = credential_add(
        user=user,
        expert=expert,
        kind=kind,
        title=title,
        level=level,
        issuer=issuer,
        degree_id=degree_id,
        issued_on=issued_on,
        expires_on=expires_on,
        upload=upload_from(file),
    )
    return credential


@router.writes("POST", "/vetting/credentials/{credential_id}/verify", CredentialOut, 400, 403, 404, 409, 422)
def verify_credential(request: HttpRequest, credential_id: Id, payload: VerifyIn) -> Credential:
    """Record how and when a credential was checked (provider managers, never the expert)."""
    user = user_of(request)
    credential, _held = access_credential(user, credential_id, manage=True)
    return credential_verify(
        user=user,
        credential=credential,
        method=payload.method,
        verified=payload.outcome == "verified",
        verified_on=payload.verified_on,
        expires_on=payload.expires_on,
        note=payload.note,
    )


@router.downloads("/vetting/credentials/{credential_id}/evidence", 404, 422)
def download_credential_evidence(request: HttpRequest, credential_id: Id) -> FileResponse:
    user = user_of(request)
    credential, _held = access_credential(user, credential_id)
    details = {"expert": credential.expert_id, "file": credential.original_name, "channel": "api"}
    target = ("credential", credential.pk)
    audit(user, AuditEvent.DOWNLOAD, target, credential.expert.organisation, details)
    return serve_stored(credential, text_charset=True)


@router.reads("/vetting/experts/{vetting_expert_id}/passport", PassportOut, 403, 404, 422)
def get_passport(request: HttpRequest, vetting_expert_id: Id) -> dict[str, object]:
    expert, held = access_vetting_expert(user_of(request), vetting_expert_id)
    today = installation_date(request_now(request))
    view = expert_vetting(expert, held, today)
    check = view.latest_background_check
    terms = view.signed_current_terms
    return {
        "expert": expert,
        "vetting_state": view.record.state if view.record else None,
        "reverification_due_on": view.record.reverification_due_on if view.record else None,
        "credentials": [c for c in view.credentials if c.status == CredentialStatus.VERIFIED],
        "background_check": (
            {"provider": check.provider, "checked_on": check.checked_on, "result": check.result}
            if check
            else None
        ),
        "platform_terms": {"version": terms.version, "signed_on": terms.signed_on} if terms else None,
        "trainings": [
            {"name": t.name, "completed_on": t.completed_on, "expires_on": t.expires_on}
            for t in view.trainings
        ],
        "baseline_shortfalls": passport_meets(view.passport, PassportRequirements(), today),
    }


def _requirements_out(engagement: Engagement, saved: EngagementRequirements | None) -> dict[str, object]:
    current = saved or EngagementRequirements(require_platform_terms=False, require_verified_credential=False)
    return {
        "engagement": engagement,
        "set": saved is not None,
        "require_platform_terms": current.require_platform_terms,
        "require_verified_credential": current.require_verified_credential,
        "min_degree_level": current.min_degree_level,
        "required_licences": current.licence_list,
        "background_check_max_age_months": current.background_check_max_age_months,
        "required_trainings": current.training_list,
    }


@router.reads("/vetting/engagements/{engagement_id}/requirements", RequirementsOut, 404, 422)
def get_passport_requirements(request: HttpRequest, engagement_id: Id) -> dict[str, object]:
    engagement = access_engagement_requirements(user_of(request), engagement_id)
    return _requirements_out(engagement, engagement_requirements(engagement))


@router.writes(
    "PUT", "/vetting/engagements/{engagement_id}/requirements", RequirementsOut, 400, 403, 404, 409, 422
)
def set_passport_requirements(
    request: HttpRequest, engagement_id: Id, payload: RequirementsIn
) -> dict[str, object]:
    """The client's admins set what the passports of its experts must show (matching enforces it)."""
    user = user_of(request)
    engagement = access_engagement_requirements(user, engagement_id, write=True)
    saved = requirements_set(
        user=user,
        engagement=engagement,
        require_platform_terms=payload.require_platform_terms,
        require_verified_credential=payload.require_verified_credential,
        min_degree_level=payload.min_degree_level,
        required_licences="\n".join(payload.required_licences),
        background_check_max_age_months=payload.background_check_max_age_months,
        required_trainings="\n".join(payload.required_trainings),
    )
    return _requirements_out(engagement, saved)
