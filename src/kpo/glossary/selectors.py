"""Reads on glossaries: an engagement's terms, and the terms as one reader may see them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Lower

from kpo.core.types import AnyUser
from kpo.engine.glossary import used_first
from kpo.glossary.models import GlossaryTerm
from kpo.redaction.access import sees_originals_of
from kpo.redaction.services import redacted_texts
from kpo.work.models import Engagement, Task


def terms_of(engagement: Engagement) -> QuerySet[GlossaryTerm]:
    return GlossaryTerm.objects.filter(engagement=engagement).order_by(Lower("english"), "id")


@dataclass(frozen=True)
class Entry:
    """A term as one reader sees it: redacted for the provider side; `used` when the task's description
    (as that reader reads it) uses its English or Danish form."""

    term: GlossaryTerm
    english: str
    danish: str
    definition: str
    used: bool = False

    @property
    def pk(self) -> int:
        return self.term.pk


def entries_for(user: AnyUser, engagement: Engagement, task: Task | None = None) -> list[Entry]:
    """The engagement's glossary as `user` reads it, the terms the task's description uses first.

    One query for the terms and, for the provider side, one for the client's sensitive terms: a term or
    definition that holds one is shown with the same placeholder as the description."""
    terms = list(terms_of(engagement))
    if not terms:
        return []
    description = (task.description or "") if task is not None else ""
    texts = [text for term in terms for text in (term.english, term.danish, term.definition)]
    if not sees_originals_of(user, engagement.client_id):
        description, *texts = redacted_texts(engagement.client_id, [description, *texts], context=description)
    entries = [
        Entry(term=term, english=texts[3 * i], danish=texts[3 * i + 1], definition=texts[3 * i + 2])
        for i, term in enumerate(terms)
    ]
    if task is None:
        return entries
    ordered = used_first(description, entries, lambda entry: (entry.english, entry.danish))
    return [
        Entry(term=e.term, english=e.english, danish=e.danish, definition=e.definition, used=used)
        for e, used in ordered
    ]


def entries_on_page(request: Any, engagement: Engagement, task: Task | None = None) -> list[Entry]:
    """`entries_for` once per request and task: the task page's two glossary panels share it."""
    cache: dict[tuple[int, int], list[Entry]] = request.__dict__.setdefault("_kpo_glossary", {})
    key = (engagement.pk, task.pk if task is not None else 0)
    if key not in cache:
        cache[key] = entries_for(request.user, engagement, task)
    return cache[key]
