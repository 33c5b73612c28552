"""Redaction: a client's sensitive terms, and the preview of what a task's experts will read."""

import datetime as dt
from typing import Annotated, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from kpo.api.routing import ApiRouter
from kpo.api.schemas import OMITTED, Id, no_nul, user_of
from kpo.core.access import require
from kpo.redaction.access import access_sensitive_term, access_term_client, viewer_sees_original
from kpo.redaction.models import TERM_MAX_LENGTH, SensitiveTerm
from kpo.redaction.selectors import terms_of
from kpo.redaction.services import (
    redaction_of,
    sensitive_term_create,
    sensitive_term_delete,
    sensitive_term_update,
)
from kpo.work.access import access_task

router = ApiRouter(tags=["redaction"])

TermCategory = Literal["product", "customer", "person", "other"]
TermText = Annotated[str, StringConstraints(min_length=1, max_length=TERM_MAX_LENGTH), AfterValidator(no_nul)]
Note = Annotated[str, StringConstraints(max_length=200), AfterValidator(no_nul)]
ReplacedCategory = Literal[
    "email", "phone", "iban", "cpr", "credit_card", "product", "customer", "person", "other"
]


class SensitiveTermOut(Schema):
    id: int
    client_id: int
    term: str
    category: TermCategory
    note: str
    created_at: dt.datetime
    updated_at: dt.datetime


class SensitiveTermIn(Schema):
    term: TermText = Field(description="Matched as whole words, without regard to case.")
    category: TermCategory = "other"
    note: Note = ""


class SensitiveTermPatch(Schema):
    """Send only what changes."""

    term: TermText = OMITTED
    category: TermCategory = OMITTED
    note: Note = OMITTED


class ReplacedOut(Schema):
    category: ReplacedCategory
    occurrences: int
    distinct: int


class RedactionPreviewOut(Schema):
    text: str = Field(description="The description as the provider side reads it.")
    replaced: int = Field(description="How many passages were replaced with placeholders.")
    categories: list[ReplacedOut]


@router.lists("/organisations/{organisation_id}/sensitive-terms", SensitiveTermOut, 404, 422)
def list_sensitive_terms(request: HttpRequest, organisation_id: Id) -> QuerySet[SensitiveTerm]:
    """A client's declared terms (its admins, requesters and auditors)."""
    client = access_term_client(user_of(request), organisation_id)
    return terms_of(client.pk)


@router.creates("/organisations/{organisation_id}/sensitive-terms", SensitiveTermOut, 400, 403, 404, 422)
def create_sensitive_term(
    request: HttpRequest, organisation_id: Id, payload: SensitiveTermIn
) -> SensitiveTerm:
    """Declare a term (client admins); audited as `redaction_changed`."""
    user = user_of(request)
    client = access_term_client(user, organisation_id, write=True)
    return sensitive_term_create(user=user, client=client, **payload.model_dump())


@router.reads("/sensitive-terms/{sensitive_term_id}", SensitiveTermOut, 404, 422)
def get_sensitive_term(request: HttpRequest, sensitive_term_id: Id) -> SensitiveTerm:
    return access_sensitive_term(user_of(request), sensitive_term_id)


@router.writes("PATCH", "/sensitive-terms/{sensitive_term_id}", SensitiveTermOut, 400, 403, 404, 422)
def update_sensitive_term(
    request: HttpRequest, sensitive_term_id: Id, payload: SensitiveTermPatch
) -> SensitiveTerm:
    """Change a term (client admins); audited."""
    user = user_of(request)
    term = access_sensitive_term(user, sensitive_term_id, write=True)
    return sensitive_term_update(user=user, sensitive_term=term, **payload.model_dump(exclude_unset=True))


@router.deletes("/sensitive-terms/{sensitive_term_id}", 403, 404, 422)
def delete_sensitive_term(request: HttpRequest, sensitive_term_id: Id) -> None:
    """Stop redacting a term (client admins); audited."""
    user = user_of(request)
    sensitive_term_delete(
        user=user, sensitive_term=access_sensitive_term(user, sensitive_term_id, write=True)
    )


@router.reads("/tasks/{task_id}/redaction-preview", RedactionPreviewOut, 403, 404, 422)
def get_task_redaction_preview(request: HttpRequest, task_id: Id) -> RedactionPreviewOut:
    """The task description as its experts will read it, and what was replaced (the client side only)."""
    user = user_of(request)
    task = access_task(user, task_id)
    require(viewer_sees_original(user, task), _("Only the client sees what is redacted."))
    redaction = redaction_of(task)
    return RedactionPreviewOut(
        text=redaction.text,
        replaced=redaction.replaced,
        categories=[
            ReplacedOut(category=category.value, occurrences=occurrences, distinct=distinct)
            for category, occurrences, distinct in redaction.counts()
        ],
    )
