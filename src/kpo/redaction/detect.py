"""Detection with Presidio's pattern and deny-list recognisers, offline and without a spaCy model.

Presidio's `AnalyzerEngine` would build a spaCy NLP engine and load (or try to download) a language
model. The recognisers used here need none: they are regular expressions with validators (e-mail,
IBAN, credit card, our CPR recogniser), python-phonenumbers (phone numbers), and deny lists (the
client's sensitive terms). So they are called directly with `nlp_artifacts=None`; context words,
which need the NLP artifacts, are not used.

`presidio_analyzer` imports spaCy (about two seconds), so it is imported lazily on the first
detection, never at Django start-up.

The e-mail recogniser validates the domain with tldextract, whose default extractor fetches the
public-suffix list over HTTP on first use. Ours uses tldextract's bundled snapshot only (no URLs, no
cache directory), so nothing is fetched at run time.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kpo.engine.redaction import CPR_PATTERN, Category, Finding, is_valid_cpr
from kpo.engine.redaction_patterns import (
    drop_nested,
    find_phones,
    find_spelled_emails,
    find_term_variants,
    plausible_phone,
)

if TYPE_CHECKING:
    from presidio_analyzer import EntityRecognizer

# Presidio entity names for our categories.
ENTITY_CATEGORIES: dict[str, Category] = {
    "EMAIL_ADDRESS": Category.EMAIL,
    "PHONE_NUMBER": Category.PHONE,
    "IBAN_CODE": Category.IBAN,
    "DK_CPR": Category.CPR,
    "CREDIT_CARD": Category.CREDIT_CARD,
    "KPO_PRODUCT": Category.PRODUCT,
    "KPO_CUSTOMER": Category.CUSTOMER,
    "KPO_PERSON": Category.PERSON,
    "KPO_OTHER": Category.OTHER,
}
TERM_ENTITIES: dict[Category, str] = {
    Category.PRODUCT: "KPO_PRODUCT",
    Category.CUSTOMER: "KPO_CUSTOMER",
    Category.PERSON: "KPO_PERSON",
    Category.OTHER: "KPO_OTHER",
}

# Regions whose national phone formats are recognised without a +country prefix (numbers written
# with +CC are recognised whatever the region). Each region is one pass of python-phonenumbers over
# the text, the slowest part of detection (about 0.15 s per region for 20,000 characters), so the
# list is kept to the clients' and the larger providers' countries.
PHONE_REGIONS = ("DK", "GB", "US", "DE", "IN")

TERM_SCORE = 1.0
MIN_SCORE = 0.3

_lock = threading.Lock()


@functools.cache
def offline_tld_extractor() -> Any:
    """tldextract with its bundled public-suffix snapshot: no HTTP, no cache directory."""
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


@functools.cache
def pii_recognisers() -> tuple[EntityRecognizer, ...]:
    """The PII recognisers, built once per process (the first call imports presidio_analyzer)."""
    with _lock:
        from presidio_analyzer import Pattern, PatternRecognizer
        from presidio_analyzer.predefined_recognizers import (
            CreditCardRecognizer,
            EmailRecognizer,
            IbanRecognizer,
            PhoneRecognizer,
        )

        class OfflineEmailRecognizer(EmailRecognizer):
            def validate_result(self, pattern_text: str) -> bool | None:
                # A known public suffix raises the score to 1.0; an unknown one (.local, .corp,
                # .example: internal addresses are what client texts hold) keeps the pattern's 0.5,
                # which is still redacted: for redaction a missed address costs more than a spare one.
                return True if offline_tld_extractor()(pattern_text).fqdn else None

        class CprRecognizer(PatternRecognizer):
            """Danish CPR numbers with a real birth date (see kpo.engine.redaction)."""

            def validate_result(self, pattern_text: str) -> bool:
                return is_valid_cpr(pattern_text)

        cpr = CprRecognizer(
            supported_entity="DK_CPR",
            name="CprRecognizer",
            patterns=[Pattern("CPR (DDMMYY-SSSS)", CPR_PATTERN, 0.5)],
            context=["cpr", "cpr-nr", "personnummer"],
        )
        return (
            OfflineEmailRecognizer(),
            PhoneRecognizer(supported_regions=PHONE_REGIONS),
            IbanRecognizer(),
            CreditCardRecognizer(),
            cpr,
        )


def _findings(recogniser: EntityRecognizer, text: str) -> list[Finding]:
    out = []
    for result in recogniser.analyze(text, recogniser.supported_entities, None):  # type: ignore[arg-type]
        category = ENTITY_CATEGORIES.get(result.entity_type)
        if category is None or result.score < MIN_SCORE or result.end <= result.start:
            continue
        out.append(Finding(result.start, result.end, category, float(result.score)))
    return out


def find_pii(text: str) -> list[Finding]:
    """E-mail addresses, phone numbers, IBANs, credit card numbers and Danish CPR numbers in `text`."""
    if not text.strip():
        return []
    findings: list[Finding] = []
    for recogniser in pii_recognisers():
        # A CPR number may also parse as a phone number: the validated CPR (score 1.0) outranks the
        # phone match (0.4) when the overlaps are resolved.
        findings.extend(_findings(recogniser, text))
    # python-phonenumbers reads dates and invoice numbers as phones and refuses numbers that are not
    # allocated (yet written in texts): kpo.engine.redaction_patterns judges the one and adds the other
    findings = [
        f for f in findings if f.category is not Category.PHONE or plausible_phone(text, f.start, f.end)
    ]
    return drop_nested(findings + find_phones(text) + find_spelled_emails(text))


@functools.lru_cache(maxsize=64)
def _term_recogniser(category: Category, terms: tuple[str, ...]) -> EntityRecognizer:
    from presidio_analyzer import PatternRecognizer

    # Longest first, so "Project Falcon" is matched whole rather than as "Falcon".
    ordered = sorted(terms, key=lambda t: (-len(t), t))
    # Presidio's deny list is case-insensitive and whole-word: (?:^|(?<=\W))(term|...)(?:(?=\W)|$)
    return PatternRecognizer(
        supported_entity=TERM_ENTITIES[category],
        name=f"SensitiveTerms-{category.value}",
        deny_list=ordered,
        deny_list_score=TERM_SCORE,
    )


def find_terms(text: str, terms: Sequence[tuple[str, Category]]) -> list[Finding]:
    """Whole-word, case-insensitive occurrences of the declared terms and of their variants (spelling
    without diacritics, hyphens, initials, a distinctive first word: kpo.engine.redaction_patterns)."""
    if not text.strip() or not terms:
        return []
    by_category: dict[Category, set[str]] = {}
    for term, category in terms:
        if term.strip():
            by_category.setdefault(category, set()).add(term.strip())
    findings: list[Finding] = []
    for category, words in sorted(by_category.items()):
        findings.extend(_findings(_term_recogniser(category, tuple(sorted(words))), text))
    variants = find_term_variants(text, [(w, c) for c, ws in sorted(by_category.items()) for w in sorted(ws)])
    return drop_nested(findings + variants)


def find_all(text: str, terms: Sequence[tuple[str, Category]]) -> list[Finding]:
    """Personal data and declared terms; nothing inside an e-mail address is reported on its own."""
    return drop_nested(find_pii(text) + find_terms(text, terms))
