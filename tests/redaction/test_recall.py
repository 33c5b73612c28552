"""The formats issue 14 found missed: phone spellings, variants of declared terms, spelled-out addresses;
and what must stay unredacted beside them (dates, CVR and invoice numbers, plural words)."""

from __future__ import annotations

import pytest

from kpo.engine.redaction import Category, redact
from kpo.redaction.detect import find_all

TERMS = [
    ("Tailwind", Category.PRODUCT),
    ("Havbris Energi", Category.CUSTOMER),
    ("Mette Kjær", Category.PERSON),
]


def redacted(text: str) -> str:
    return redact(text, find_all(text, TERMS)).text


@pytest.mark.parametrize(
    "phone",
    ["+45 12345678", "+4512345678", "12 34 56 78", "(555) 123-4567", "0045 1234 5678", "+44 20 2465 9647"],
)
def test_phone_spellings_are_caught(phone: str) -> None:
    assert redacted(f"Ring {phone} i morgen.") == "Ring [PHONE-1] i morgen."


def test_eight_digits_after_a_phone_word_are_a_phone() -> None:
    assert (
        redacted("Kontakt: tel. 12 34 56 78 eller tlf. 23456789.")
        == "Kontakt: tel. [PHONE-1] eller tlf. [PHONE-2]."
    )


@pytest.mark.parametrize(
    "text",
    [
        "CVR-nr. 12345678 og faktura 87654321 blev betalt 2026-04-14.",
        "Invoice INV-20263241 was paid on 05-11-2026.",
        "Release 2.4.1 reached 4000 users, 12,5 % more.",
    ],
)
def test_dates_and_business_numbers_are_not_phones(text: str) -> None:
    assert redacted(text) == text


@pytest.mark.parametrize(
    ("variant", "placeholder"),
    [
        ("Tail-wind", "[PRODUCT-1]"),
        ("TAILWIND", "[PRODUCT-1]"),
        ("Havbris", "[CUSTOMER-1]"),
        ("Havbris-Energi", "[CUSTOMER-1]"),
        ("Mette Kjaer", "[PERSON-1]"),
        ("Mette Kjar", "[PERSON-1]"),
        ("M. Kjær", "[PERSON-1]"),
        ("M. Kjaer", "[PERSON-1]"),
    ],
)
def test_variants_of_declared_terms_are_caught(variant: str, placeholder: str) -> None:
    assert redacted(f"Notes: {variant} agreed.") == f"Notes: {placeholder} agreed."


def test_a_first_word_in_lower_case_or_a_plural_is_left_alone() -> None:
    text = "The havbris (sea breeze) and the Tailwinds were fine."
    assert redacted(text) == text


@pytest.mark.parametrize(
    "address",
    [
        "mette dot kjaer at nordvind dot example",
        "mette (at) nordvind (dot) dk",
        "mette[at]nordvind[dot]dk",
        "mette.kjaer snabel-a nordvind punktum dk",
    ],
)
def test_spelled_out_addresses_are_caught_whole(address: str) -> None:
    assert redacted(f"Skriv til {address} i dag.") == "Skriv til [EMAIL-1] i dag."


def test_prose_with_at_is_not_an_address() -> None:
    text = "We met at the office at 10:30 and looked at the data."
    assert redacted(text) == text


def test_a_declared_name_inside_an_address_does_not_split_it() -> None:
    text = "Mail mette.kjaer@havbris.example now."
    assert redacted(text) == "Mail [EMAIL-1] now."
