"""The authorisation matrix's entries for glossaries (see tests/matrix/__init__.py)."""

from __future__ import annotations

from typing import Any

from kpo.glossary.models import GlossaryTerm
from kpo.redaction.models import SensitiveTerm
from tests.authz import OBJECT, Rule
from tests.cast import SECRET_A, Cast
from tests.matrix import MatrixPart, Withheld

# Everyone who sees engagement A reads its glossary (the provider side redacted); nobody else.
TERM_OUTSIDERS = ("dave", "quinn", "erin", "ivan")


def _objects(cast: Cast) -> dict[str, Any]:
    # the term is also a declared sensitive term of client A: the provider side reads a placeholder
    SensitiveTerm.objects.get_or_create(client=cast.org_a, term=SECRET_A, defaults={"category": "product"})
    term = GlossaryTerm.objects.create(
        engagement=cast.engagement_a,
        english=SECRET_A,
        danish="Zephyr-gearkassens virkningsgrad",
        definition=f"How well the {SECRET_A} programme turns power into output.",
        created_by=cast.alice,
    )
    return {"glossary_term_id": term.pk}


PART = MatrixPart(
    web={
        "glossary": Rule(OBJECT),
        "glossary_term_edit": Rule(OBJECT),
        "glossary_term_delete": Rule(OBJECT),
    },
    api={
        "list_glossary_terms": Rule(OBJECT),
        "create_glossary_term": Rule(
            OBJECT, body={"english": "Leak", "danish": "Læk", "definition": "Something that leaks."}
        ),
        "delete_glossary_term": Rule(OBJECT),
    },
    outsiders_by_id={"glossary_term_id": TERM_OUTSIDERS},
    objects=_objects,
    scoped_models=[(GlossaryTerm, "engagement__client")],
    withheld={
        # the provider's manager, the maker and the reviewer read the sensitive term as a placeholder
        "list_glossary_terms": Withheld(
            readers=("pete", "carol", "rex"), values=(SECRET_A,), shown_to="alice"
        ),
    },
)
