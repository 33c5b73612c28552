"""Writes for confidentiality: NDA templates and signatures, vault downloads, leak tracing, levels."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.confidentiality.access import LEVELS, forget_viewer
from kpo.confidentiality.models import Download, NdaSignature, NdaTemplate, NdaVersion
from kpo.core.errors import DomainError
from kpo.core.signing import clean_ip, names_match, signer_name, text_sha256
from kpo.engine.taxonomy import Role
from kpo.engine.watermark import (
    DocxWatermarkError,
    Kind,
    PdfWatermarkError,
    TraceResult,
    sniff,
    trace,
)
from kpo.engine.watermark.code import Channel
from kpo.engine.watermark.docx import read_docx
from kpo.engine.watermark.pdf import read_pdf
from kpo.engine.watermark.trace import decode_bytes_as_text
from kpo.experts.models import ExpertProfile
from kpo.orgs.models import Organisation
from kpo.orgs.selectors import org_ids_with_roles
from kpo.work.models import TaskDocument

MAX_NDA_TEXT = 50_000
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _is_client_admin(user: User, client: Organisation) -> bool:
    return client.pk in org_ids_with_roles(user, {Role.CLIENT_ADMIN.value})


# --- NDA templates ----------------------------------------------------------------------------------


@transaction.atomic
def nda_template_save(
    *,
    user: User,
    client: Organisation,
    title: str,
    text: str,
    in_force: bool,
    template: NdaTemplate | None = None,
) -> NdaTemplate:
    """Create a template, or change one: a changed text becomes a new version (old ones are kept).

    Putting a template in force takes the client's other templates out of force. Audited as
    `nda_template_changed`.
    """
    if not _is_client_admin(user, client):
        raise DomainError(_("Only the client's admins keep its NDAs."))
    if not client.is_client:
        raise DomainError(_("Only client organisations keep NDAs."), field="client")
    text = _clean_text(text)
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Write the agreement's text.")
    elif len(text) > MAX_NDA_TEXT:
        errors["text"] = _("The text is longer than %(limit)s characters.") % {"limit": MAX_NDA_TEXT}
    if "\x00" in text or "\x00" in title:
        errors["text"] = _("The text contains characters that cannot be stored.")
    if errors:
        raise ValidationError(errors)
    creating = template is None
    if template is None:
        template = NdaTemplate(client=client, created_by=user)
    elif template.client_id != client.pk:
        raise DomainError(_("The NDA belongs to another organisation."), field="template")
    template.title = title.strip()
    template.in_force = in_force
    template.full_clean(exclude=["client", "created_by"])
    if in_force:
        NdaTemplate.objects.filter(client=client, in_force=True).exclude(pk=template.pk).update(
            in_force=False
        )
    template.save()
    current = template.versions.order_by("-number").first()
    new_version = current is None or current.text != text
    if new_version:
        number = current.number + 1 if current is not None else 1
        version = NdaVersion(
            template=template, number=number, text=text, sha256=text_sha256(text), created_by=user
        )
        version.full_clean(exclude=["template", "created_by"])
        version.save()
    else:
        assert current is not None
        version = current
    details = {
        "title": template.title,
        "version": version.number,
        "sha256": version.sha256,
        "in_force": template.in_force,
        "created": creating,
        "new_version": new_version,
    }
    audit(user, AuditEvent.NDA_TEMPLATE_CHANGED, ("nda_template", template.pk), client, details)
    return template


def current_version(template: NdaTemplate) -> NdaVersion | None:
    return template.versions.order_by("-number").first()


def _clean_text(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


@transaction.atomic
def nda_version_add(*, user: User, template: NdaTemplate, text: str) -> NdaVersion:
    """A new version of the template's text (everyone signs it again); the same text as now is refused."""
    current = current_version(template)
    if current is not None and current.text == _clean_text(text):
        raise DomainError(_("The text is the same as the current version's."), field="text")
    nda_template_save(
        user=user,
        client=template.client,
        template=template,
        title=template.title,
        text=text,
        in_force=template.in_force,
    )
    latest = current_version(template)
    assert latest is not None
    return latest


@transaction.atomic
def nda_sign(*, user: User, version: NdaVersion, typed_name: str, ip: str | None) -> NdaSignature:
    """Sign one version of an NDA: the typed name must match the account's full name.

    Records the time, the IP and the SHA-256 of the exact text signed; audited as `nda_signed`.
    Signing a version already signed is refused (the earlier signature stands).
    """
    full_name = signer_name(user.get_full_name(), user.get_username())
    if not names_match(typed_name, full_name):
        raise ValidationError(
            {
                "typed_name": _("Type your full name exactly as on your account: %(name)s.")
                % {"name": full_name}
            }
        )
    template = version.template
    latest = current_version(template)
    if latest is None or latest.pk != version.pk:
        raise DomainError(
            _("This is not the current version of the NDA; sign the current one."), field="version"
        )
    if NdaSignature.objects.filter(version=version, signer=user).exists():
        raise DomainError(_("You have already signed this version."), field="version")
    signature = NdaSignature(
        version=version,
        signer=user,
        typed_name=" ".join(typed_name.split())[:200],
        signed_at=timezone.now(),
        ip=clean_ip(ip),
        text_sha256=text_sha256(version.text),
    )
    signature.full_clean(exclude=["version", "signer"])
    signature.save()
    details = {
        "template": template.pk,
        "version": version.number,
        "sha256": signature.text_sha256,
        "typed_name": signature.typed_name,
        "ip": signature.ip or "",
    }
    audit(user, AuditEvent.NDA_SIGNED, ("nda_signature", signature.pk), template.client, details)
    forget_viewer(user)
    return signature


# --- leak tracing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeakReport:
    result: TraceResult
    download: Download | None
    """The download the copy came from, when named and visible to whoever asked."""
    outside_scope: bool = False
    """A fingerprint named a download of material outside the asker's organisations."""


def _trace_wording(
    data: bytes | str, filename: str | None, organisation: Organisation, result: TraceResult
) -> TraceResult:
    """The wording channel: the suspect compared with each approved document it may come from, whose
    downloads are the candidates (`wording.wording_originals`); the first that names one wins."""
    from kpo.confidentiality.wording import wording_originals

    text = data if isinstance(data, str) else _suspect_text(data, filename)
    for original in wording_originals(organisation, text):
        found = trace(data, filename=filename, original=original)
        if found.code is not None:
            return found
        if Channel.WORDING in found.channels_found and not result.channels_found:
            result = found
    return result


def _suspect_text(data: bytes, filename: str | None) -> str:
    kind = sniff(data, filename)
    try:
        if kind is Kind.PDF:
            return "\n".join(read_pdf(data).pages)
        if kind is Kind.DOCX:
            return read_docx(data).body
    except (PdfWatermarkError, DocxWatermarkError):
        return ""
    return decode_bytes_as_text(data)


def leak_trace(
    *,
    data: bytes | str,
    filename: str | None = None,
    client_ids: set[int] | None = None,
    user: User | None = None,
    organisation: Organisation | None = None,
) -> LeakReport:
    """Name the download a leaked copy came from (or say there is no fingerprint).

    `client_ids` limits whose downloads may be named (None: all, for the operator's CLI). When a
    user traces, the attempt is audited as `leak_traced` under `organisation`.
    """
    result = trace(data, filename=filename)
    if result.code is None and organisation is not None:
        result = _trace_wording(data, filename, organisation, result)
    download: Download | None = None
    outside = False
    if result.code is not None:
        found = Download.objects.select_related("user", "client", "task").filter(pk=result.code).first()
        if found is not None and (client_ids is None or found.client_id in client_ids):
            download = found
        elif found is not None:
            outside = True
    if user is not None:
        details = {
            "named": download is not None,
            "recipient": download.user.get_username() if download is not None and download.user else "",
            "confidence": round(result.confidence, 6) if download is not None else 0,
            "detail": result.detail[:200] if not outside else "no download of this organisation",
            "input": "text" if isinstance(data, str) else "file",
        }
        target = ("download", download.pk) if download is not None else None
        audit(user, AuditEvent.LEAK_TRACED, target, organisation, details)
    return LeakReport(result=result, download=download, outside_scope=outside)


# --- classification and clearance --------------------------------------------------------------------


def _check_level(level: str, field: str, *, blank: bool) -> None:
    if level == "" and blank:
        return
    if level not in LEVELS:
        raise ValidationError(
            {field: _("%(value)s is not a confidentiality level.") % {"value": repr(level)}}
        )


@transaction.atomic
def document_classify(*, user: User, document: TaskDocument, level: str) -> TaskDocument:
    """Set a document's own level ("" = the task's); the client's admins only; audited."""
    client = document.task.engagement.client
    if not _is_client_admin(user, client):
        raise DomainError(_("Only the client's admins classify its material."))
    _check_level(level, "confidentiality", blank=True)
    target = ("task_document", document)
    _set_level(user, AuditEvent.CLASSIFICATION_CHANGED, target, "confidentiality", level, client)
    return document


@transaction.atomic
def expert_clearance_set(*, user: User, expert: ExpertProfile, clearance: str) -> ExpertProfile:
    """Change an expert's clearance (the managers of the expert's organisation); audited."""
    if expert.organisation_id not in org_ids_with_roles(user, {Role.PROVIDER_MANAGER.value}):
        raise DomainError(_("Only the expert's managers change a clearance."))
    _check_level(clearance, "clearance", blank=False)
    target = ("expert", expert)
    _set_level(user, AuditEvent.CLEARANCE_CHANGED, target, "clearance", clearance, expert.organisation)
    return expert


def _set_level(
    user: User,
    event: str,
    target: tuple[str, TaskDocument | ExpertProfile],
    field: str,
    level: str,
    organisation: Organisation,
) -> None:
    """Set the target's level `field` to `level` and audit the change from the old level (if any)."""
    object_type, instance = target
    before = getattr(instance, field)
    if before == level:
        return
    setattr(instance, field, level)
    instance.save(update_fields=[field, "updated_at"])
    audit(user, event, (object_type, instance.pk), organisation, {"from": before, "to": level})
