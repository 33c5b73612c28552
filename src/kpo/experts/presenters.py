"""The directory's rows as plain text, built in Python: a page of 25 experts read through template
loops and filters cost more than everything else on the page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from kpo.core import formatting
from kpo.experts.models import CEFR_CHOICES, DomainChoice, ExpertProfile

# Django's get_FOO_display() rebuilds a dict of the field's choices on every call.
DOMAIN_LABELS = dict(DomainChoice.choices)
LEVEL_LABELS = dict(CEFR_CHOICES)


@dataclass(frozen=True)
class DirectoryRow:
    url: str
    name: str
    headline: str
    organisation: str
    internal: bool
    domains: str
    country: str
    languages: str


def directory_rows(experts: Iterable[ExpertProfile]) -> list[DirectoryRow]:
    """One row per expert of a directory page (its domains, languages and organisation prefetched)."""
    return [
        DirectoryRow(
            url=reverse("expert_detail", kwargs={"expert_id": expert.pk}),
            name=expert.display_name,
            headline=expert.headline,
            organisation=expert.organisation.name,
            internal=expert.internal,
            domains="; ".join(str(DOMAIN_LABELS.get(row.domain, row.domain)) for row in expert.domains.all()),
            country=formatting.country(expert.country),
            languages=", ".join(
                f"{formatting.language(row.language)} ({LEVEL_LABELS.get(row.level, row.level)})"
                for row in expert.languages.all()
            ),
        )
        for expert in experts
    ]
