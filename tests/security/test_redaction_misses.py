"""The attack: the redaction the provider side reads let through phone spellings, variants of the
client's declared terms and spelled-out e-mail addresses. Each format the issue named is now replaced
in the task description the maker reads (page and API)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kpo.redaction.services import sensitive_term_create
from tests.cast import Cast

pytestmark = pytest.mark.django_db

MISSES = (
    "+45 12345678",
    "+4512345678",
    "12 34 56 78",
    "(555) 123-4567",
    "Tail-wind",
    "Havbris",
    "Mette Kjaer",
    "M. Kjær",
    "mette dot kjaer at nordvind dot example",
)
DESCRIPTION = (
    "Call Mette Kjaer on +45 12345678 or +4512345678 (tel. 12 34 56 78); the US desk is (555) 123-4567. "
    "M. Kjær owns the Tail-wind roll-out for Havbris; write to mette dot kjaer at nordvind dot example."
)


def test_the_maker_reads_none_of_the_formats_the_issue_found(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    for term, category in (("Tailwind", "product"), ("Havbris Energi", "customer"), ("Mette Kjær", "person")):
        sensitive_term_create(user=cast.alice, client=cast.org_a, term=term, category=category)
    cast.task_a.description = DESCRIPTION
    cast.task_a.save()
    carol = client_for("carol")
    api = carol.get(f"/api/tasks/{cast.task_a.pk}").json()
    page = carol.get(reverse("task_detail", kwargs={"task_id": cast.task_a.pk})).content.decode()
    assert api["description_redacted"] is True
    for secret in MISSES:
        assert secret not in api["description"], secret
        assert secret not in page, secret
    assert client_for("bob").get(f"/api/tasks/{cast.task_a.pk}").json()["description"] == DESCRIPTION
