"""Redaction: the client's sensitive terms (writes) and redacting task texts before an expert sees them.

`redact_for_expert(task, text)` is the one call other features use (the task page, the API, the document
vault for TXT/Markdown downloads): it replaces the client's declared terms and detected personal data
(e-mail addresses, phone numbers, IBANs, credit card numbers, Danish CPR numbers) with placeholders.
Placeholders are consistent across a task: the task's description is redacted first with the same
placeholder book, so `[CUSTOMER-1]` in a document is the `[CUSTOMER-1]` of the description.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.engine.redaction import Category, Finding, PlaceholderBook, Redaction, redact
from kpo.orgs.models import Organisation
from kpo.redaction.access import viewer_sees_original
from kpo.redaction.detect import find_all
from kpo.redaction.models import (
    MAX_TERMS_PER_CLIENT,
    TERM_MAX_LENGTH,
    TERM_MIN_LENGTH,
    SensitiveTerm,
    TermCategory,
)
from kpo.redaction.selectors import term_list_for_detection
from kpo.work.models import Task

# --- redacting ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=128)
def _redact_cached(
    text: str, context: str, terms: tuple[tuple[str, Category], ...]
) -> tuple[Redaction, PlaceholderBook]:
    """Redact `context` (the task description) first to fill the book, then `text` with that book."""
    book = PlaceholderBook()
    if context and context != text:
        redact(context, find_all(context, terms), book)
    result = redact(text, find_all(text, terms), book)
    return result, book.copy()


def redaction_of(task: Task, text: str | None = None) -> Redaction:
    """The redaction of `text` (default: the task's description) as the task's experts see it.

    One query (the client's terms); the detection itself is cached per (text, description, terms).
    """
    description = task.description or ""
    body = description if text is None else text
    terms = term_list_for_detection(task.engagement.client_id)
    result, _book = _redact_cached(body, description, terms)
    return result


@functools.lru_cache(maxsize=1024)
def _found_cached(text: str, terms: tuple[tuple[str, Category], ...]) -> tuple[Finding, ...]:
    return tuple(find_all(text, terms))


def redacted_texts(client_id: int, texts: Sequence[str], *, context: str = "") -> list[str]:
    """Several short texts of one client (a glossary's terms and definitions) as the provider side reads
    them, with one placeholder book for all of them, filled first from `context` (a task's description),
    so `[PRODUCT-1]` is the same term everywhere on a page. One query (the client's terms)."""
    return _redacted_with(term_list_for_detection(client_id), texts, context)


def _redacted_with(terms: tuple[tuple[str, Category], ...], texts: Sequence[str], context: str) -> list[str]:
    book = PlaceholderBook()
    if context:
        redact(context, list(_found_cached(context, terms)), book)
    return [redact(text, list(_found_cached(text, terms)), book).text if text else text for text in texts]


def redact_for_expert(task: Task, text: str) -> str:
    """`text` (a description, a TXT/Markdown document of `task`) as the provider side may read it."""
    if not text:
        return text
    return redaction_of(task, text).text


# --- sensitive terms -------------------------------------------------------------------------------


def _clean_term(raw: object) -> str:
    term = " ".join(str(raw or "").split())
    if not term:
        raise ValidationError({"term": [_("Enter a term.")]})
    if len(term) < TERM_MIN_LENGTH:
        raise ValidationError(
            {"term": [_("A term needs at least %(n)d characters.") % {"n": TERM_MIN_LENGTH}]}
        )
    if len(term) > TERM_MAX_LENGTH:
        raise ValidationError(
            {"term": [_("A term may have at most %(n)d characters.") % {"n": TERM_MAX_LENGTH}]}
        )
    if not any(ch.isalnum() for ch in term):
        raise ValidationError({"term": [_("A term needs at least one letter or digit.")]})
    return term


def _clean_category(raw: object) -> str:
    if raw not in TermCategory.values:
        raise ValidationError(
            {"category": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(TermCategory.values)}]}
        )
    return str(raw)


def _check_unique(client: Organisation, term: str, *, exclude_id: int | None = None) -> None:
    clash = SensitiveTerm.objects.filter(client=client, term__iexact=term)
    if exclude_id is not None:
        clash = clash.exclude(pk=exclude_id)
    if clash.exists():
        raise ValidationError({"term": [_("“%(term)s” is already declared.") % {"term": term}]})


@transaction.atomic
def sensitive_term_create(
    *, user: User, client: Organisation, term: str, category: str, note: str = ""
) -> SensitiveTerm:
    if not client.is_client:
        raise ValidationError({"client": [_("Only clients declare sensitive terms.")]})
    cleaned = _clean_term(term)
    cleaned_category = _clean_category(category)
    _check_unique(client, cleaned)
    if SensitiveTerm.objects.filter(client=client).count() >= MAX_TERMS_PER_CLIENT:
        raise ValidationError(
            {"term": [_("A client may declare at most %(n)d terms.") % {"n": MAX_TERMS_PER_CLIENT}]}
        )
    obj = SensitiveTerm(
        client=client, term=cleaned, category=cleaned_category, note=(note or "").strip(), created_by=user
    )
    obj.full_clean()
    obj.save()
    details = {"action": "created", "category": obj.category}
    audit(user, AuditEvent.REDACTION_CHANGED, ("sensitive_term", obj.pk), client, details)
    return obj


@transaction.atomic
def sensitive_term_update(
    *,
    user: User,
    sensitive_term: SensitiveTerm,
    term: str | None = None,
    category: str | None = None,
    note: str | None = None,
) -> SensitiveTerm:
    before = {"category": sensitive_term.category}
    if term is not None:
        cleaned = _clean_term(term)
        _check_unique(sensitive_term.client, cleaned, exclude_id=sensitive_term.pk)
        sensitive_term.term = cleaned
    if category is not None:
        sensitive_term.category = _clean_category(category)
    if note is not None:
        sensitive_term.note = note.strip()
    sensitive_term.full_clean()
    sensitive_term.save()
    # The audit trail records that a term changed, not the term itself: the log is read by auditors
    # who need not learn the client's code names.
    details = {"action": "updated", "category_before": before["category"], **_after(sensitive_term)}
    target = ("sensitive_term", sensitive_term.pk)
    audit(user, AuditEvent.REDACTION_CHANGED, target, sensitive_term.client, details)
    return sensitive_term


def _after(term: SensitiveTerm) -> dict[str, str]:
    return {"category": term.category}


@transaction.atomic
def sensitive_term_delete(*, user: User, sensitive_term: SensitiveTerm) -> None:
    pk = sensitive_term.pk
    details = {"action": "deleted", "category": sensitive_term.category}
    audit(user, AuditEvent.REDACTION_CHANGED, ("sensitive_term", pk), sensitive_term.client, details)
    SensitiveTerm.objects.filter(pk=pk).delete()


def redacted_description(user: Any, task: Task, text: str) -> str | None:
    """The description filter registered with kpo.work.extensions: the provider side reads `text`
    redacted; the client side reads it as it is (None)."""
    if viewer_sees_original(user, task):
        return None
    return redact_for_expert(task, text)


def redacted_task_texts(user: Any, task: Task, texts: list[str]) -> list[str] | None:
    """The texts filter registered with kpo.work.extensions: the provider side reads a task's messages
    redacted, with the description's placeholders (`[PRODUCT-1]` is the same term in both); the client
    side reads them as they are (None)."""
    if viewer_sees_original(user, task) or not any(texts):
        return None
    held: dict[int, tuple[tuple[str, Category], ...]] = user.__dict__.setdefault("_kpo_sensitive_terms", {})
    client_id = task.engagement.client_id
    if client_id not in held:  # one query per client and reader, however many tasks a page shows
        held[client_id] = term_list_for_detection(client_id)
    return _redacted_with(held[client_id], texts, task.description or "")
