"""Glossaries: an engagement's terms in English and Danish (read redacted by the provider side)."""

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from kpo.api.routing import ApiRouter
from kpo.api.schemas import Id, no_nul, user_of
from kpo.glossary.access import access_glossary, access_glossary_term
from kpo.glossary.models import DEFINITION_MAX_LENGTH, FORM_MAX_LENGTH
from kpo.glossary.selectors import Entry, entries_for
from kpo.glossary.services import glossary_term_create, glossary_term_delete

router = ApiRouter(tags=["glossary"])

Form = Annotated[str, StringConstraints(min_length=1, max_length=FORM_MAX_LENGTH), AfterValidator(no_nul)]
Definition = Annotated[
    str, StringConstraints(min_length=1, max_length=DEFINITION_MAX_LENGTH), AfterValidator(no_nul)
]


class GlossaryTermOut(Schema):
    id: int
    engagement_id: int
    english: str = Field(description="Redacted for the provider side, as task descriptions are.")
    danish: str
    definition: str
    created_at: dt.datetime
    updated_at: dt.datetime


class GlossaryTermIn(Schema):
    english: Form
    danish: Form
    definition: Definition = Field(description="What the term means in this engagement.")


def _out(entry: Entry) -> GlossaryTermOut:
    term = entry.term
    return GlossaryTermOut(
        id=term.pk,
        engagement_id=term.engagement_id,
        english=entry.english,
        danish=entry.danish,
        definition=entry.definition,
        created_at=term.created_at,
        updated_at=term.updated_at,
    )


@router.lists("/engagements/{engagement_id}/glossary", GlossaryTermOut, 404, 422)
def list_glossary_terms(request: HttpRequest, engagement_id: Id) -> list[GlossaryTermOut]:
    """The engagement's terms, by English form (everyone who sees the engagement; the provider side
    reads declared sensitive terms and personal data as placeholders)."""
    user = user_of(request)
    engagement = access_glossary(user, engagement_id)
    return [_out(entry) for entry in entries_for(user, engagement)]


@router.creates("/engagements/{engagement_id}/glossary", GlossaryTermOut, 400, 403, 404, 422)
def create_glossary_term(request: HttpRequest, engagement_id: Id, payload: GlossaryTermIn) -> GlossaryTermOut:
    """Add a term (the client's admins and requesters); audited as `glossary_changed`."""
    user = user_of(request)
    engagement = access_glossary(user, engagement_id, write=True)
    term = glossary_term_create(user=user, engagement=engagement, **payload.model_dump())
    return _out(Entry(term=term, english=term.english, danish=term.danish, definition=term.definition))


@router.deletes("/glossary-terms/{glossary_term_id}", 403, 404, 422)
def delete_glossary_term(request: HttpRequest, glossary_term_id: Id) -> None:
    """Remove a term (the client's admins and requesters); audited."""
    user = user_of(request)
    glossary_term_delete(user=user, term=access_glossary_term(user, glossary_term_id, write=True))
