"""The adequacy list's scope notes are in the catalogue, so a Danish reader reads them in Danish."""

from __future__ import annotations

from django.utils import translation

from kpo.compliance.residency import COVERS, adequacy_decisions


def test_every_partial_decision_has_its_scope_note_marked_and_translated() -> None:
    partial = [a for a in adequacy_decisions().values() if a.partial]
    assert partial
    for decision in partial:
        assert decision.covers in COVERS, decision.country
        with translation.override("da"):
            assert decision.covers_text() != decision.covers, decision.country
