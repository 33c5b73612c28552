"""Conflicts of interest and data residency: a client's policy, competitors and transfer countries,
experts' own declarations, reviewed exceptions, and where an engagement's personal data may go."""

import datetime as dt
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from kpo.api.outputs import PersonName, Ref
from kpo.api.routing import ApiRouter
from kpo.api.schemas import CountryCode, Id, OptionalTitle, Title, lookup, no_nul, user_of
from kpo.compliance import services
from kpo.compliance.access import (
    access_competitor,
    access_compliance_client,
    access_conflict_exception,
    access_engagement_exceptions,
    access_own_declaration,
    access_transfer_country,
)
from kpo.compliance.models import (
    MAX_COOLING_OFF_MONTHS,
    Competitor,
    CompliancePolicy,
    ConflictDeclaration,
    ConflictException,
    TransferCountry,
)
from kpo.compliance.residency import ADEQUACY_LIST_AS_OF
from kpo.compliance.selectors import (
    competitors_of,
    exceptions_for,
    policy_for,
    residency_for,
    transfer_countries_of,
)
from kpo.experts.access import access_expert
from kpo.experts.models import ExpertProfile
from kpo.orgs.access import access_organisation
from kpo.orgs.models import Organisation, OrganisationKind
from kpo.work.access import access_engagement, engagements_visible_to

router = ApiRouter(tags=["compliance"])

Months = Annotated[int, Field(ge=0, le=MAX_COOLING_OFF_MONTHS)]
Note = Annotated[str, StringConstraints(max_length=500), AfterValidator(no_nul)]
LongNote = Annotated[str, StringConstraints(max_length=1000), AfterValidator(no_nul)]
Justification = Annotated[str, StringConstraints(min_length=1, max_length=2000), AfterValidator(no_nul)]
Mechanism = Literal["scc", "bcr", "derogation", "other", "not_needed"]


class PolicyOut(Schema):
    client: Ref
    cooling_off_months: int
    sensitive_cooling_off_months: int
    forbid_former_employees: bool
    saved: bool = Field(description="False: the client has not saved a policy and the defaults apply.")
    updated_at: dt.datetime | None

    @staticmethod
    def resolve_saved(obj: CompliancePolicy) -> bool:
        return obj.pk is not None

    @staticmethod
    def resolve_updated_at(obj: CompliancePolicy) -> dt.datetime | None:
        return obj.updated_at if obj.pk is not None else None


class PolicyIn(Schema):
    cooling_off_months: Months = Field(description="Months after leaving a competitor (0-120).")
    sensitive_cooling_off_months: Months = Field(
        description="Months for engagements marked sensitive (0-120, at least cooling_off_months)."
    )
    forbid_former_employees: bool = False


class CompetitorOut(Schema):
    id: int
    name: str
    organisation: Ref | None
    created_at: dt.datetime


class CompetitorIn(Schema):
    name: Title
    organisation_id: Id | None = Field(None, description="The competitor's organisation on the platform.")


class TransferCountryOut(Schema):
    id: int
    country: str
    mechanism: str
    note: str
    recorded_by: PersonName
    created_at: dt.datetime


class TransferCountryIn(Schema):
    country: CountryCode
    mechanism: Mechanism = Field(
        description="scc: standard contractual clauses, bcr: binding corporate rules, derogation "
        "(note required), other (note required), not_needed (clients outside the EU/EEA only)."
    )
    note: Note = ""


class ResidencyOut(Schema):
    engagement_id: int
    contains_personal_data: bool
    client_in_eea: bool
    allowed_countries: list[str] | None = Field(
        description="ISO 3166 codes the personal data may go to; null when the engagement holds none."
    )
    added: list[TransferCountryOut]
    adequacy_list_as_of: str


class DeclarationOut(Schema):
    id: int
    name: str
    client: Ref | None
    note: str
    created_at: dt.datetime


class DeclarationIn(Schema):
    name: OptionalTitle = Field("", description="The organisation; may be left out when client_id is given.")
    client_id: Id | None = Field(None, description="A client whose engagements you can see.")
    note: LongNote = ""


class ExceptionOut(Schema):
    id: int
    engagement_id: int
    expert: Ref
    conflict: str
    justification: str
    granted_by: PersonName
    created_at: dt.datetime


class ExceptionIn(Schema):
    expert_id: Id
    justification: Justification


# --- policy, competitors, transfer countries ---------------------------------------------------------


@router.reads("/organisations/{organisation_id}/compliance-policy", PolicyOut, 403, 404, 422)
def get_compliance_policy(request: HttpRequest, organisation_id: Id) -> CompliancePolicy:
    """The client's conflict-of-interest policy (the defaults until one is saved)."""
    return policy_for(access_compliance_client(user_of(request), organisation_id))


@router.writes(
    "PUT", "/organisations/{organisation_id}/compliance-policy", PolicyOut, 400, 403, 404, 409, 422
)
def update_compliance_policy(
    request: HttpRequest, organisation_id: Id, payload: PolicyIn
) -> CompliancePolicy:
    """Set the cooling-off periods (client admins); audited."""
    user = user_of(request)
    client = access_compliance_client(user, organisation_id, write=True)
    return services.policy_update(user=user, client=client, **payload.model_dump())


@router.lists("/organisations/{organisation_id}/competitors", CompetitorOut, 403, 404, 422)
def list_competitors(request: HttpRequest, organisation_id: Id) -> QuerySet[Competitor]:
    return competitors_of(access_compliance_client(user_of(request), organisation_id))


@router.creates("/organisations/{organisation_id}/competitors", CompetitorOut, 400, 403, 404, 409, 422)
def create_competitor(request: HttpRequest, organisation_id: Id, payload: CompetitorIn) -> Competitor:
    """Add a competitor (client admins); an expert's employment there excludes them for the cooling-off."""
    user = user_of(request)
    client = access_compliance_client(user, organisation_id, write=True)
    organisation_id_in = payload.organisation_id
    organisation = (
        lookup("organisation_id", lambda: access_organisation(user, organisation_id_in))
        if organisation_id_in is not None
        else None
    )
    return services.competitor_add(user=user, client=client, name=payload.name, organisation=organisation)


@router.deletes("/competitors/{competitor_id}", 403, 404, 422)
def delete_competitor(request: HttpRequest, competitor_id: Id) -> None:
    user = user_of(request)
    services.competitor_remove(user=user, competitor=access_competitor(user, competitor_id, write=True))


@router.lists("/organisations/{organisation_id}/transfer-countries", TransferCountryOut, 403, 404, 422)
def list_transfer_countries(request: HttpRequest, organisation_id: Id) -> QuerySet[TransferCountry]:
    return transfer_countries_of(access_compliance_client(user_of(request), organisation_id))


@router.creates(
    "/organisations/{organisation_id}/transfer-countries", TransferCountryOut, 400, 403, 404, 409, 422
)
def create_transfer_country(
    request: HttpRequest, organisation_id: Id, payload: TransferCountryIn
) -> TransferCountry:
    """Allow personal data to go to a country, with the transfer mechanism in place (client admins)."""
    user = user_of(request)
    client = access_compliance_client(user, organisation_id, write=True)
    return services.transfer_country_add(user=user, client=client, **payload.model_dump())


@router.deletes("/transfer-countries/{transfer_country_id}", 403, 404, 422)
def delete_transfer_country(request: HttpRequest, transfer_country_id: Id) -> None:
    user = user_of(request)
    transfer = access_transfer_country(user, transfer_country_id, write=True)
    services.transfer_country_remove(user=user, transfer=transfer)


@router.reads("/engagements/{engagement_id}/residency", ResidencyOut, 404, 422)
def get_engagement_residency(request: HttpRequest, engagement_id: Id) -> dict[str, Any]:
    """Where this engagement's personal data may go (the rule matching and staffing apply)."""
    engagement = access_engagement(user_of(request), engagement_id)
    residency = residency_for(engagement)
    return {
        "engagement_id": engagement.pk,
        "contains_personal_data": engagement.contains_personal_data,
        "client_in_eea": residency.client_in_eea,
        "allowed_countries": sorted(residency.allowed) if residency.applies else None,
        "added": residency.added,
        "adequacy_list_as_of": ADEQUACY_LIST_AS_OF,
    }


# --- an expert's own declarations --------------------------------------------------------------------


def _own_profile(user: Any) -> ExpertProfile:
    profile = ExpertProfile.objects.filter(user_id=user.pk).select_related("organisation").first()
    if profile is None:
        raise Http404("You have no expert profile.")
    return profile


@router.lists("/me/conflicts", DeclarationOut, 422)
def list_my_conflicts(request: HttpRequest) -> QuerySet[ConflictDeclaration]:
    """The conflicts of interest you declared (empty when you have no expert profile)."""
    return ConflictDeclaration.objects.filter(expert__user=user_of(request)).select_related("client")


@router.creates("/me/conflicts", DeclarationOut, 400, 403, 404, 409, 422)
def create_my_conflict(request: HttpRequest, payload: DeclarationIn) -> ConflictDeclaration:
    """Declare a conflict of interest with an organisation: a client, or a competitor of clients."""
    user = user_of(request)
    expert = _own_profile(user)
    client: Organisation | None = None
    if payload.client_id is not None:
        known = Organisation.objects.filter(
            kind=OrganisationKind.CLIENT, id__in=engagements_visible_to(user).values("client_id")
        )
        client_id = payload.client_id
        client = lookup("client_id", lambda: _get_or_404(known, client_id))
    declaration = services.conflict_declare(
        user=user, expert=expert, name=payload.name, note=payload.note, client=client
    )
    return declaration


def _get_or_404(queryset: QuerySet[Organisation], pk: int) -> Organisation:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404("Not found.")
    return found


@router.deletes("/me/conflicts/{conflict_id}", 403, 404, 409, 422)
def delete_my_conflict(request: HttpRequest, conflict_id: Id) -> None:
    user = user_of(request)
    services.conflict_withdraw(user=user, declaration=access_own_declaration(user, conflict_id))


# --- reviewed exceptions -----------------------------------------------------------------------------


@router.lists("/engagements/{engagement_id}/conflict-exceptions", ExceptionOut, 403, 404, 422)
def list_conflict_exceptions(request: HttpRequest, engagement_id: Id) -> QuerySet[ConflictException]:
    return exceptions_for(access_engagement_exceptions(user_of(request), engagement_id))


@router.creates("/engagements/{engagement_id}/conflict-exceptions", ExceptionOut, 400, 403, 404, 409, 422)
def create_conflict_exception(
    request: HttpRequest, engagement_id: Id, payload: ExceptionIn
) -> ConflictException:
    """Let an expert with a conflict of interest work on this engagement (the client's admins or the
    provider's managers); a justification is required, and the exception is audited."""
    user = user_of(request)
    engagement = access_engagement_exceptions(user, engagement_id, write=True)
    expert = lookup("expert_id", lambda: access_expert(user, payload.expert_id))
    exception = services.exception_grant(
        user=user, engagement=engagement, expert=expert, justification=payload.justification
    )
    return exception


@router.deletes("/conflict-exceptions/{coi_exception_id}", 403, 404, 409, 422)
def revoke_conflict_exception(request: HttpRequest, coi_exception_id: Id) -> None:
    user = user_of(request)
    exception = access_conflict_exception(user, coi_exception_id, write=True)
    services.exception_revoke(user=user, exception=exception)
