"""The authorisation matrix's entries for redaction (see tests/matrix/__init__.py)."""

from __future__ import annotations

from typing import Any

from kpo.redaction.models import SensitiveTerm
from tests.authz import OBJECT, Rule
from tests.cast import SECRET_A, Cast
from tests.matrix import MatrixPart

# A's admins, requesters and auditors read its terms (only admins change them); everyone else gets 404.
TERM_OUTSIDERS = ("dave", "quinn", "pete", "carol", "rex", "erin", "ivan")


def _objects(cast: Cast) -> dict[str, Any]:
    term = SensitiveTerm.objects.create(client=cast.org_a, term=SECRET_A, category="product", note=SECRET_A)
    return {"sensitive_term_id": term.pk}


PART = MatrixPart(
    web={
        "sensitive_terms": Rule(OBJECT),
        "sensitive_term_edit": Rule(OBJECT),
        "sensitive_term_delete": Rule(OBJECT),
    },
    api={
        "list_sensitive_terms": Rule(OBJECT),
        "create_sensitive_term": Rule(OBJECT, body={"term": "Leak", "category": "product"}),
        "get_sensitive_term": Rule(OBJECT),
        "update_sensitive_term": Rule(OBJECT, body={"term": "Leak"}),
        "delete_sensitive_term": Rule(OBJECT),
        "get_task_redaction_preview": Rule(OBJECT),
    },
    outsiders_by_id={"sensitive_term_id": TERM_OUTSIDERS},
    objects=_objects,
    scoped_models=[(SensitiveTerm, "client")],
)
