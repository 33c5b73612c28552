"""Writes on glossaries: add, change and remove a term, each checked, in one transaction, audited."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.glossary.models import (
    DEFINITION_MAX_LENGTH,
    FORM_MAX_LENGTH,
    MAX_TERMS_PER_ENGAGEMENT,
    GlossaryTerm,
)
from kpo.work.models import Engagement


def _has_control_characters(text: str) -> bool:
    return any(ord(ch) < 32 and ch not in "\n\r\t" for ch in text)


def _clean_form(field: str, raw: object) -> str:
    form = " ".join(str(raw or "").split())
    if not form:
        raise ValidationError({field: [_("Enter the term.")]})
    if len(form) > FORM_MAX_LENGTH:
        raise ValidationError(
            {field: [_("A term may have at most %(n)d characters.") % {"n": FORM_MAX_LENGTH}]}
        )
    if _has_control_characters(form) or not any(ch.isalnum() for ch in form):
        raise ValidationError({field: [_("A term needs at least one letter or digit.")]})
    return form


def _clean_definition(raw: object) -> str:
    definition = str(raw or "").strip()
    if not definition:
        raise ValidationError({"definition": [_("Say what the term means.")]})
    if len(definition) > DEFINITION_MAX_LENGTH:
        raise ValidationError(
            {
                "definition": [
                    _("A definition may have at most %(n)d characters.") % {"n": DEFINITION_MAX_LENGTH}
                ]
            }
        )
    if _has_control_characters(definition):
        raise ValidationError({"definition": [_("Remove the control characters from the definition.")]})
    return definition


def _check_unique(
    engagement: Engagement, english: str, danish: str, *, exclude_id: int | None = None
) -> None:
    others = GlossaryTerm.objects.filter(engagement=engagement)
    if exclude_id is not None:
        others = others.exclude(pk=exclude_id)
    errors: dict[str, list[str]] = {}
    if others.filter(english__iexact=english).exists():
        errors["english"] = [_("“%(term)s” is already in this glossary.") % {"term": english}]
    if others.filter(danish__iexact=danish).exists():
        errors["danish"] = [_("“%(term)s” is already in this glossary.") % {"term": danish}]
    if errors:
        raise ValidationError(errors)


def _label(term: GlossaryTerm) -> str:
    return f"{term.english} / {term.danish}"


@transaction.atomic
def glossary_term_create(
    *, user: User, engagement: Engagement, english: str, danish: str, definition: str
) -> GlossaryTerm:
    """Add a term to the engagement's glossary (the caller checked that `user` keeps it)."""
    english, danish = _clean_form("english", english), _clean_form("danish", danish)
    cleaned = _clean_definition(definition)
    Engagement.objects.select_for_update().filter(pk=engagement.pk).first()  # one writer at a time
    _check_unique(engagement, english, danish)
    if GlossaryTerm.objects.filter(engagement=engagement).count() >= MAX_TERMS_PER_ENGAGEMENT:
        raise ValidationError(
            {"english": [_("A glossary holds at most %(n)d terms.") % {"n": MAX_TERMS_PER_ENGAGEMENT}]}
        )
    term = GlossaryTerm(
        engagement=engagement, english=english, danish=danish, definition=cleaned, created_by=user
    )
    term.full_clean()
    term.save()
    details = {"action": "add", "title": _label(term), "engagement_id": engagement.pk}
    audit(user, AuditEvent.GLOSSARY_CHANGED, ("engagement", engagement.pk), engagement.client, details)
    return term


@transaction.atomic
def glossary_term_update(
    *,
    user: User,
    term: GlossaryTerm,
    english: str | None = None,
    danish: str | None = None,
    definition: str | None = None,
) -> GlossaryTerm:
    """Change a term; what is not given stays as it is."""
    before = _label(term)
    if english is not None:
        term.english = _clean_form("english", english)
    if danish is not None:
        term.danish = _clean_form("danish", danish)
    if definition is not None:
        term.definition = _clean_definition(definition)
    _check_unique(term.engagement, term.english, term.danish, exclude_id=term.pk)
    term.full_clean()
    term.save()
    details = {
        "action": "change",
        "before": before,
        "after": _label(term),
        "engagement_id": term.engagement_id,
    }
    audit(
        user, AuditEvent.GLOSSARY_CHANGED, ("engagement", term.engagement_id), term.engagement.client, details
    )
    return term


@transaction.atomic
def glossary_term_delete(*, user: User, term: GlossaryTerm) -> None:
    details = {"action": "delete", "title": _label(term), "engagement_id": term.engagement_id}
    audit(
        user, AuditEvent.GLOSSARY_CHANGED, ("engagement", term.engagement_id), term.engagement.client, details
    )
    GlossaryTerm.objects.filter(pk=term.pk).delete()
