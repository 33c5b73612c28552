"""The demo world's redaction: every kind of placeholder shows in the preview of Carol's task."""

from __future__ import annotations

from kpo.demo.organisations import MANUFACTURER
from kpo.demo.redaction import EXTRA, TERMS
from kpo.engine.redaction import Category, redact
from kpo.redaction.detect import find_pii, find_terms


def test_the_demo_task_text_shows_every_kind_of_placeholder() -> None:
    terms = [(term, Category(category)) for term, category, _note in TERMS[MANUFACTURER]]
    result = redact(EXTRA, find_pii(EXTRA) + find_terms(EXTRA, terms))
    kinds = {category for category, _occurrences, _distinct in result.counts()}
    assert kinds == {
        Category.EMAIL,
        Category.PHONE,
        Category.IBAN,
        Category.CPR,
        Category.PRODUCT,
        Category.CUSTOMER,
        Category.PERSON,
    }
    for term, _category, _note in TERMS[MANUFACTURER]:
        assert term not in result.text
    assert "[PRODUCT-1] ([PRODUCT-2])" in result.text
