"""The wording fingerprint on the client's side: each document's variant set, reviewed and decided.

A client admin reviews the choice points of a document (``kpo.engine.watermark.wording``: each with
its equivalent wordings) and either approves them, so every provider-side copy of that file takes
its recipient's wording (and a retyped or OCR'd copy still names the recipient), or locks the
document as legal text (no word changes; only the invisible characters mark a copy). The decision
is audited (``classification_changed``, with ``wording`` in the details) and holds for the file
reviewed: a document whose file changed gets no variants until it is reviewed again.

Leak tracing asks ``wording_originals`` for the approved documents a suspect text may come from,
with the downloads of each as the candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.confidentiality.downloads import read_stored, watermark_kind, wording_for
from kpo.confidentiality.models import Download, WordingReview, WordingStatus
from kpo.confidentiality.selectors import admin_client_ids
from kpo.core.errors import DomainError
from kpo.engine.watermark import Kind, Original
from kpo.engine.watermark import wording as wordmark
from kpo.engine.watermark.docx import DocxWatermarkError
from kpo.engine.watermark.pdf import PdfWatermarkError
from kpo.engine.watermark.trace import decode_bytes_as_text, wording_reference
from kpo.orgs.models import Organisation
from kpo.redaction.services import redact_for_expert
from kpo.work.models import TaskDocument

MAX_SHOWN = 300
"""Choice points listed on the page (a longer document is summarised)."""
MAX_TRACED_DOCUMENTS = 40
"""Approved documents a suspect text is compared with, the most recently downloaded first."""
MIN_OVERLAP = 0.5
"""Share of a suspect's words that must occur in a document before its wording is read."""
_WORD = re.compile(r"\w+")


def source_of(document: TaskDocument) -> tuple[bytes, Kind] | None:
    """The bytes the watermark varies (text is redacted for the provider side first) and their kind;
    None for formats that carry no text."""
    kind = watermark_kind(document)
    if kind is None:
        return None
    data = read_stored(document)
    if kind in {Kind.TEXT, Kind.MARKDOWN}:
        data = redact_for_expert(document.task, decode_bytes_as_text(data)).encode("utf-8")
    return data, kind


@dataclass(frozen=True)
class PointRow:
    number: int
    before: str
    written: str
    after: str
    others: list[str]
    """The equivalent wordings a copy may use instead."""


@dataclass(frozen=True)
class VariantSet:
    language: str
    source: str
    points: list[wordmark.ChoicePoint]
    words: int
    words_to_name: int | None
    """About how many retyped words name a downloader (None: no choice points)."""

    @property
    def rows(self) -> list[PointRow]:
        """The first `MAX_SHOWN` points, each in a few words of its context."""
        rows = []
        for number, point in enumerate(self.points[:MAX_SHOWN], start=1):
            before = " ".join(self.source[max(0, point.start - 40) : point.start].split()[-5:])
            after = " ".join(self.source[point.end : point.end + 40].split()[:5])
            written = self.source[point.start : point.end].strip()
            others = [a.strip() for i, a in enumerate(point.alternatives) if i != point.original]
            rows.append(PointRow(number, before, written or "-", after, others))
        return rows

    @property
    def hidden(self) -> int:
        return max(0, len(self.points) - MAX_SHOWN)


def variant_set(document: TaskDocument) -> VariantSet | None:
    """The document's choice points (None when its format carries no text or cannot be read)."""
    found = source_of(document)
    if found is None:
        return None
    data, kind = found
    try:
        text = _text_of(data, kind)
        language = wordmark.detect_language(text).value
        source, points = wording_reference(Original(data, kind, (), language))
    except (PdfWatermarkError, DocxWatermarkError, UnicodeError, ValueError):
        return None
    words = len(_WORD.findall(source))
    return VariantSet(language, source, points, words, wordmark.words_to_name(points, words))


def _text_of(data: bytes, kind: Kind) -> str:
    from kpo.engine.watermark.docx import read_docx
    from kpo.engine.watermark.pdf import read_pdf

    if kind is Kind.PDF:
        return "\n".join(read_pdf(data).pages)
    if kind is Kind.DOCX:
        return read_docx(data).body
    return decode_bytes_as_text(data)


def review_of(document: TaskDocument) -> WordingReview | None:
    return WordingReview.objects.filter(document=document).first()


__all__ = [
    "PointRow",
    "VariantSet",
    "review_of",
    "variant_set",
    "wording_decide",
    "wording_for",
    "wording_originals",
]


def wording_decide(*, user: User, document: TaskDocument, status: str) -> WordingReview:
    """Approve the document's variant set, or lock it as legal text; the client's admins only; audited.

    Raises DomainError naming the field when the decision is not one of the two, the user may not
    decide, or the document carries no text to vary."""
    client = document.task.engagement.client
    if client.pk not in admin_client_ids(user):
        raise DomainError(_("Only the client's admins approve the wording of its documents."))
    if status not in {WordingStatus.APPROVED, WordingStatus.LOCKED}:
        raise DomainError(_("Choose to approve the variants or to lock the document."), field="decision")
    variants = variant_set(document)
    if variants is None:
        raise DomainError(_("This file carries no text whose wording can vary."), field="decision")
    if status == WordingStatus.APPROVED and not variants.points:
        raise DomainError(_("This document has no choice points to approve."), field="decision")
    now = timezone.now()
    with transaction.atomic():
        review, _created = WordingReview.objects.update_or_create(
            document=document,
            defaults={
                "status": status,
                "language": variants.language,
                "points": len(variants.points),
                "sha256": document.sha256,
                "decided_by": user,
                "decided_at": now,
            },
        )
        details = {
            "task": document.task_id,
            "wording": status,
            "language": variants.language,
            "points": len(variants.points),
            "sha256": document.sha256,
        }
        audit(user, AuditEvent.CLASSIFICATION_CHANGED, ("task_document", int(document.pk)), client, details)
    return review


def wording_originals(organisation: Organisation, suspect: str) -> list[Original]:
    """The client's approved documents `suspect` may come from (enough of its words occur in them),
    each with its watermarked downloads as the candidates."""
    suspect_words = {w.lower() for w in _WORD.findall(suspect)}
    if len(suspect_words) < 5:
        return []
    reviews = (
        WordingReview.objects.filter(
            document__task__engagement__client=organisation, status=WordingStatus.APPROVED
        )
        .select_related("document__task__engagement")
        .order_by("-decided_at")[:MAX_TRACED_DOCUMENTS]
    )
    originals: list[Original] = []
    for review in reviews:
        document = review.document
        if review.sha256 != document.sha256:
            continue
        candidates = tuple(
            Download.objects.filter(document=document, watermarked=True).values_list("pk", flat=True)
        )
        if not candidates:
            continue
        try:
            found = source_of(document)
        except DomainError:
            continue
        if found is None:
            continue
        data, kind = found
        try:
            words = {w.lower() for w in _WORD.findall(_text_of(data, kind))}
        except (PdfWatermarkError, DocxWatermarkError, UnicodeError, ValueError):
            continue
        if len(suspect_words & words) < MIN_OVERLAP * len(suspect_words):
            continue
        originals.append(Original(data, kind, candidates, review.language))
    return originals
