"""The vault: a client's NDAs (templates, versions, signatures), its download log and leak tracing.

The same doors as the pages (`kpo.confidentiality.access`) and the same services, so the same rules and
the same audit entries: the client's admins keep NDAs and trace leaks, its auditors read the vault, the
experts and provider managers with a need to know read and sign the NDA in force.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.errors import ValidationError as RequestInvalid
from pydantic import AfterValidator, StringConstraints
from pydantic import ValidationError as PydanticError

from kpo.api.outputs import Ref, Username
from kpo.api.routing import ApiRouter
from kpo.api.schemas import OMITTED, DateTime, Id, Search, Title, filters_for, lookup, no_nul, user_of
from kpo.confidentiality import selectors, services
from kpo.confidentiality.access import (
    access_client_vault,
    access_nda_signature,
    access_nda_template,
    has_signed,
)
from kpo.confidentiality.models import Download, NdaSignature, NdaTemplate, NdaVersion
from kpo.confidentiality.pdf import signature_pdf_response
from kpo.confidentiality.services import MAX_NDA_TEXT, LeakReport
from kpo.confidentiality.tracing import MAX_PASTE, file_problem, leak_trace_for_client, text_problem
from kpo.core.signing import client_ip

router = ApiRouter(tags=["vault"])

NdaText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NDA_TEXT), AfterValidator(no_nul)]
TypedName = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(no_nul)]
PastedText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_PASTE)]


# --- NDAs ---------------------------------------------------------------------------------------------


class NdaVersionOut(Schema):
    id: int
    number: int
    text: str
    sha256: str = Field(description="SHA-256 of the text (UTF-8), as every signature of it records.")
    created_at: dt.datetime
    signature_count: int = 0

    @staticmethod
    def resolve_signature_count(obj: NdaVersion) -> int:
        return int(getattr(obj, "signature_count", 0))


class NdaTemplateOut(Schema):
    id: int
    client: Ref
    title: str
    in_force: bool = Field(
        description="The NDA experts and managers must sign before confidential material opens."
    )
    current_version: NdaVersionOut | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_current_version(obj: NdaTemplate) -> NdaVersion | None:
        return getattr(obj, "current", None) or services.current_version(obj)


class NdaTemplateDetailOut(NdaTemplateOut):
    signed_by_me: bool = Field(description="You signed its current version.")
    may_sign: bool = Field(
        description="You are on the provider side with a need to know and have not signed it."
    )

    @staticmethod
    def resolve_signed_by_me(obj: NdaTemplate, context: dict[str, Any]) -> bool:
        return has_signed(context["request"].user, services.current_version(obj))

    @staticmethod
    def resolve_may_sign(obj: NdaTemplate, context: dict[str, Any]) -> bool:
        user = context["request"].user
        version = services.current_version(obj)
        client_side = obj.client_id in selectors.client_reader_ids(user)
        return version is not None and not client_side and not has_signed(user, version)


class NdaTemplateIn(Schema):
    title: Title
    text: NdaText
    in_force: bool = True


class NdaTemplatePatch(Schema):
    title: Title = OMITTED
    in_force: bool = OMITTED


class NdaVersionIn(Schema):
    text: NdaText = Field(description="The new text; everyone signs the new version again.")


class SignatureOut(Schema):
    id: int
    template_id: int
    version_id: int
    version: int = Field(description="The version's number.")
    signer: Username | None = Field(description="Null once the account is deleted (the typed name stays).")
    typed_name: str
    signed_at: dt.datetime
    ip: str | None
    text_sha256: str

    @staticmethod
    def resolve_template_id(obj: NdaSignature) -> int:
        return obj.version.template_id

    @staticmethod
    def resolve_version(obj: NdaSignature) -> int:
        return obj.version.number


class SignatureIn(Schema):
    version_id: Id = Field(description="The version you read: it must still be the current one.")
    typed_name: TypedName = Field(description="Your full name, exactly as on your account.")


@router.lists("/organisations/{organisation_id}/ndas", NdaTemplateOut, 403, 404, 422)
def list_nda_templates(request: HttpRequest, organisation_id: Id) -> list[NdaTemplate]:
    """The client's NDAs with their current versions (the client's admins and auditors)."""
    return selectors.nda_templates_of(access_client_vault(user_of(request), organisation_id))


@router.creates("/organisations/{organisation_id}/ndas", NdaTemplateOut, 400, 403, 404, 409, 422)
def create_nda_template(request: HttpRequest, organisation_id: Id, payload: NdaTemplateIn) -> NdaTemplate:
    """A new NDA, version 1 (the client's admins); in force, it takes the others out of force. Audited."""
    user = user_of(request)
    client = access_client_vault(user, organisation_id, admin=True)
    return services.nda_template_save(user=user, client=client, **payload.model_dump())


@router.reads("/ndas/{nda_template_id}", NdaTemplateDetailOut, 404, 422)
def get_nda_template(request: HttpRequest, nda_template_id: Id) -> NdaTemplate:
    """An NDA and its current text: the client's people, and the provider side with a need to know."""
    return access_nda_template(user_of(request), nda_template_id)


@router.writes("PATCH", "/ndas/{nda_template_id}", NdaTemplateDetailOut, 400, 403, 404, 409, 422)
def update_nda_template(request: HttpRequest, nda_template_id: Id, payload: NdaTemplatePatch) -> NdaTemplate:
    """Rename an NDA or put it in or out of force (the client's admins); its text changes by a new version."""
    user = user_of(request)
    template = access_nda_template(user, nda_template_id, admin=True)
    version = services.current_version(template)
    changes = payload.model_dump(exclude_unset=True)
    return services.nda_template_save(
        user=user,
        client=template.client,
        template=template,
        title=changes.get("title", template.title),
        text=version.text if version is not None else "",
        in_force=changes.get("in_force", template.in_force),
    )


@router.lists("/ndas/{nda_template_id}/versions", NdaVersionOut, 403, 404, 422)
def list_nda_versions(request: HttpRequest, nda_template_id: Id) -> QuerySet[NdaVersion]:
    """Every version, newest first, with how many signed each (the client's admins and auditors)."""
    return selectors.versions_with_counts(access_nda_template(user_of(request), nda_template_id, keeper=True))


@router.creates("/ndas/{nda_template_id}/versions", NdaVersionOut, 400, 403, 404, 409, 422)
def create_nda_version(request: HttpRequest, nda_template_id: Id, payload: NdaVersionIn) -> NdaVersion:
    """A new text (the client's admins): everyone signs again; the same text as now is a 409. Audited."""
    user = user_of(request)
    template = access_nda_template(user, nda_template_id, admin=True)
    return services.nda_version_add(user=user, template=template, text=payload.text)


@router.lists("/ndas/{nda_template_id}/signatures", SignatureOut, 404, 422)
def list_nda_signatures(request: HttpRequest, nda_template_id: Id) -> QuerySet[NdaSignature]:
    """Who signed which version: all signatures for the client's admins and auditors, else your own."""
    user = user_of(request)
    return selectors.signatures_of_visible(user, access_nda_template(user, nda_template_id))


@router.creates("/ndas/{nda_template_id}/signatures", SignatureOut, 400, 403, 404, 409, 422)
def create_nda_signature(request: HttpRequest, nda_template_id: Id, payload: SignatureIn) -> NdaSignature:
    """Sign the current version (experts and provider managers with a need to know). Audited."""
    user = user_of(request)
    template = access_nda_template(user, nda_template_id)
    if template.client_id in selectors.client_reader_ids(user):
        raise PermissionDenied(_("The client's own people do not sign its NDA."))
    version_id = payload.version_id
    version = lookup("version_id", lambda: _version_of(template, version_id))
    return services.nda_sign(user=user, version=version, typed_name=payload.typed_name, ip=client_ip(request))


def _version_of(template: NdaTemplate, version_id: int) -> NdaVersion:
    version = template.versions.select_related("template__client").filter(pk=version_id).first()
    if version is None:
        raise Http404("Not found.")
    return version


@router.reads("/nda-signatures/{nda_signature_id}", SignatureOut, 404, 422)
def get_nda_signature(request: HttpRequest, nda_signature_id: Id) -> NdaSignature:
    """A signed record: its signer's, and the client's admins' and auditors'."""
    return access_nda_signature(user_of(request), nda_signature_id)


@router.downloads("/nda-signatures/{nda_signature_id}/pdf", 404, 422, media_types=("application/pdf",))
def download_nda_signature_pdf(request: HttpRequest, nda_signature_id: Id) -> HttpResponse:
    """The signed record as a PDF: the exact text, the typed name, when, from where and the SHA-256."""
    return signature_pdf_response(access_nda_signature(user_of(request), nda_signature_id))


# --- the download log -------------------------------------------------------------------------------------


class DownloadOut(Schema):
    id: int = Field(description="The download id a traced leak names.")
    at: dt.datetime
    recipient: str
    user: Username | None = Field(
        description="Null once the account is deleted (the recipient's name stays)."
    )
    task: Ref | None
    document_id: int | None
    version_id: int | None
    title: str
    file_name: str
    sha256: str = Field(description="SHA-256 of the original.")
    served_sha256: str = Field(
        description="SHA-256 of the copy handed out (empty while it is being prepared)."
    )
    watermarked: bool
    channel: Literal["web", "api"]
    ip: str | None


class DownloadFilterIn(Schema):
    q: Search = Field("", description="Part of the recipient's name, the title or the file name.")
    task: Id = OMITTED
    channel: Literal["web", "api"] = OMITTED
    watermarked: bool = OMITTED
    since: DateTime = Field(OMITTED, description="From this instant (inclusive).")
    until: DateTime = Field(OMITTED, description="Before this instant.")


@router.lists("/organisations/{organisation_id}/downloads", DownloadOut, 403, 404, 422)
def list_downloads(
    request: HttpRequest, organisation_id: Id, filters: Query[DownloadFilterIn]
) -> QuerySet[Download]:
    """Every copy of the client's material handed out, newest first (the client's admins and auditors)."""
    organisation = access_client_vault(user_of(request), organisation_id)
    return selectors.downloads_of(organisation, filters_for(selectors.DownloadFilter, filters))


# --- leak tracing -----------------------------------------------------------------------------------------


class TraceTextIn(Schema):
    text: PastedText = Field(description="The leaked text, pasted (a paragraph is enough).")


class TraceOut(Schema):
    named: bool = Field(description="A download of this client's material was named.")
    download: DownloadOut | None = Field(description="The download the copy came from, when named.")
    confidence: float = Field(description="How sure the naming is (0 when nobody is named).")
    fingerprint_found: bool = Field(description="Fingerprint characters were found, named or not.")
    outside_scope: bool = Field(
        description="The fingerprint names a download of another organisation's material."
    )
    channels: list[str] = Field(description="Where fingerprint evidence was found.")
    detail: str = Field(description="What the evidence was (empty when outside scope).")


TRACE_BODY = {
    "requestBody": {
        "required": True,
        "description": "The leaked text as JSON, or the leaked file (PDF, Word or text) as multipart.",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"text": {"type": "string", "minLength": 1, "maxLength": MAX_PASTE}},
                    "required": ["text"],
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}


def _trace_out(report: LeakReport) -> dict[str, Any]:
    """What the trace page shows: nothing of another organisation's download but that it is not theirs."""
    named = report.download is not None
    return {
        "named": named,
        "download": report.download,
        "confidence": report.result.confidence if named else 0.0,
        "fingerprint_found": report.result.fingerprint_found,
        "outside_scope": report.outside_scope,
        "channels": [str(channel) for channel in report.result.channels_found],
        "detail": "" if report.outside_scope else report.result.detail,
    }


def _pasted_text(request: HttpRequest) -> str:
    """The JSON body's text, or a 422 naming the field."""
    try:
        text = TraceTextIn.model_validate_json(request.body).text
    except PydanticError as error:
        raise RequestInvalid(
            [{"loc": ("body", *e["loc"]), "msg": e["msg"]} for e in error.errors(include_url=False)]
        ) from error
    if not text.strip():
        raise ValidationError({"text": _("Upload a file or paste some text.")})
    problem = text_problem(text)
    if problem:
        raise ValidationError({"text": problem})
    return text


@router.writes(
    "POST", "/organisations/{organisation_id}/traces", TraceOut, 400, 403, 404, 422, openapi_extra=TRACE_BODY
)
def create_trace(request: HttpRequest, organisation_id: Id) -> dict[str, Any]:
    """Name the download a leaked copy came from (the client's admins): text as JSON, or a file as
    multipart (checked by its content, within the upload limit). Only this client's downloads are named.
    Audited as `leak_traced`, as the page is."""
    user = user_of(request)
    organisation = access_client_vault(user, organisation_id, admin=True)
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": _("Upload a file or paste some text.")})
        problem = file_problem(upload, upload.name, upload.size or 0)
        if problem:
            raise ValidationError({"file": problem})
        report = leak_trace_for_client(user=user, organisation=organisation, upload=upload, name=upload.name)
    else:
        report = leak_trace_for_client(user=user, organisation=organisation, text=_pasted_text(request))
    return _trace_out(report)
