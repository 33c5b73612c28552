"""Reads for the vault pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from kpo.confidentiality.access import signatures_visible_to
from kpo.confidentiality.models import Download, NdaSignature, NdaTemplate, NdaVersion
from kpo.core.queries import contains_text, filter_given
from kpo.core.types import AnyUser
from kpo.engine.taxonomy import Role
from kpo.orgs.models import Organisation
from kpo.orgs.selectors import org_ids_with_roles
from kpo.work.access import CLIENT_READERS
from kpo.work.models import TaskDocument

RECENT_DOWNLOADS = 50


def admin_client_ids(user: AnyUser) -> set[int]:
    return org_ids_with_roles(user, {Role.CLIENT_ADMIN.value}) if user.is_authenticated else set()


def vault_reader_ids(user: AnyUser) -> set[int]:
    """Clients whose vault the user keeps or reads (admins and auditors)."""
    roles = {Role.CLIENT_ADMIN.value, Role.AUDITOR.value}
    return org_ids_with_roles(user, roles) if user.is_authenticated else set()


def client_side_ids(user: AnyUser) -> set[int]:
    """Clients the user belongs to on the client side (readers, admins, auditors)."""
    return client_reader_ids(user) | vault_reader_ids(user)


def client_reader_ids(user: AnyUser) -> set[int]:
    return org_ids_with_roles(user, CLIENT_READERS) if user.is_authenticated else set()


def nda_templates_of(organisation: Organisation) -> list[NdaTemplate]:
    """The client's NDAs, each with `current` (its latest version) and `signature_count` set."""
    templates = list(NdaTemplate.objects.filter(client=organisation).prefetch_related("versions"))
    for template in templates:
        versions = sorted(template.versions.all(), key=lambda v: v.number)
        template.current = versions[-1] if versions else None  # type: ignore[attr-defined]
    counts = dict(
        NdaSignature.objects.filter(version__template__client=organisation)
        .values_list("version_id")
        .annotate(n=Count("id"))
        .values_list("version_id", "n")
    )
    for template in templates:
        current = template.current  # type: ignore[attr-defined]
        template.signature_count = counts.get(current.pk, 0) if current else 0  # type: ignore[attr-defined]
    return templates


def versions_with_counts(template: NdaTemplate) -> QuerySet[NdaVersion]:
    return template.versions.annotate(signature_count=Count("signatures")).order_by("-number")


def signatures_of_template(template: NdaTemplate) -> QuerySet[NdaSignature]:
    return (
        NdaSignature.objects.filter(version__template=template)
        .select_related("signer", "version")
        .order_by("-signed_at", "-id")
    )


def my_signatures(user: AnyUser, template: NdaTemplate) -> QuerySet[NdaSignature]:
    if not user.is_authenticated:
        return NdaSignature.objects.none()
    return NdaSignature.objects.filter(version__template=template, signer_id=user.pk).select_related(
        "version"
    )


def recent_downloads(organisation: Organisation) -> list[Download]:
    return list(
        Download.objects.filter(client=organisation).select_related("user", "task")[:RECENT_DOWNLOADS]
    )


@dataclass(frozen=True)
class DownloadFilter:
    """The download log's filters; a field left empty does not filter."""

    q: str = ""
    """Part of the recipient's name, the title or the file name."""
    task: int | None = None
    channel: str = ""
    watermarked: bool | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def downloads_of(organisation: Organisation, filters: DownloadFilter) -> QuerySet[Download]:
    """The client's download log, newest first (two queries a page: who and which task come along)."""
    queryset = filter_given(
        Download.objects.filter(client=organisation),
        task_id=filters.task,
        channel=filters.channel,
        watermarked=filters.watermarked,
        at__gte=filters.since,
        at__lt=filters.until,
    )
    if filters.q:
        queryset = queryset.filter(contains_text(filters.q, "recipient", "title", "file_name"))
    return queryset.select_related("user", "task").order_by("-at", "-id")


def signatures_of_visible(user: AnyUser, template: NdaTemplate) -> QuerySet[NdaSignature]:
    """The template's signatures this user may see: all of them for the client's admins and auditors,
    otherwise their own."""
    return (
        signatures_visible_to(user)
        .filter(version__template=template)
        .select_related("signer", "version")
        .order_by("-signed_at", "-id")
    )


def wording_documents(organisation: Organisation, limit: int = 30) -> list[TaskDocument]:
    """The client's most recent documents whose copies can carry wording variants, each with its review
    (`wording_review`, or none) loaded: one query."""
    from kpo.confidentiality.downloads import watermark_kind

    documents = (
        TaskDocument.objects.filter(task__engagement__client=organisation)
        .select_related("task", "wording_review")
        .order_by("-created_at", "-id")[: limit * 2]
    )
    return [d for d in documents if watermark_kind(d) is not None][:limit]
