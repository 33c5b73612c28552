"""The pure half of redaction: CPR dates and centuries, overlaps, consistent placeholders."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpo.engine.redaction import (
    Category,
    Finding,
    PlaceholderBook,
    cpr_birth_date,
    is_valid_cpr,
    normalise_term,
    redact,
    resolve_overlaps,
)


@pytest.mark.parametrize(
    ("cpr", "born"),
    [
        ("010190-1234", date(1990, 1, 1)),  # seventh digit 1: 1900s
        ("0101901234", date(1990, 1, 1)),  # without the hyphen
        ("311299-3999", date(1999, 12, 31)),
        ("150510-4123", date(2010, 5, 15)),  # 4 and yy <= 36: 2000s
        ("150540-4123", date(1940, 5, 15)),  # 4 and yy > 36: 1900s
        ("010105-5000", date(2005, 1, 1)),  # 5-8 and yy <= 57: 2000s
        ("010160-8000", date(1860, 1, 1)),  # 5-8 and yy > 57: 1800s
        ("010120-9000", date(2020, 1, 1)),  # 9 and yy <= 36: 2000s
        ("010150-9000", date(1950, 1, 1)),  # 9 and yy > 36: 1900s
        ("290200-4000", date(2000, 2, 29)),  # 2000 is a leap year
        ("290200-6000", date(2000, 2, 29)),  # seventh digit 6 and yy 00: 2000 too
        ("290296-1234", date(1996, 2, 29)),
        ("010190-1235", date(1990, 1, 1)),  # fails modulus 11; valid since 2007 all the same
    ],
)
def test_valid_cpr_numbers_give_their_birth_date(cpr: str, born: date) -> None:
    assert cpr_birth_date(cpr) == born
    assert is_valid_cpr(cpr)


@pytest.mark.parametrize(
    "cpr",
    [
        "320190-1234",  # day 32
        "000190-1234",  # day 0
        "011390-1234",  # month 13
        "010090-1234",  # month 0
        "310490-1234",  # 31 April
        "290297-1234",  # 1997 is no leap year
        "290200-2000",  # seventh digit 2: 1900, which is no leap year
        "0101901-234",  # hyphen in the wrong place
        "010190 1234",  # a space is not a CPR separator
        "01019012345",  # eleven digits
        "010190-123",  # too short
        "abcdef-ghij",
        "",
    ],
)
def test_invalid_cpr_numbers_are_refused(cpr: str) -> None:
    assert cpr_birth_date(cpr) is None
    assert not is_valid_cpr(cpr)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)), st.integers(0, 3999))
def test_every_twentieth_century_date_round_trips(born: date, serial: int) -> None:
    cpr = f"{born:%d%m%y}-{serial:04d}"
    assert cpr_birth_date(cpr) == born


def test_overlaps_keep_the_highest_score_then_the_longest() -> None:
    phone = Finding(10, 21, Category.PHONE, 0.4)
    cpr = Finding(10, 21, Category.CPR, 1.0)
    email = Finding(0, 30, Category.EMAIL, 1.0)
    person = Finding(0, 4, Category.PERSON, 1.0)
    assert resolve_overlaps([phone, cpr]) == [cpr]
    assert resolve_overlaps([person, email]) == [email]
    apart = Finding(40, 45, Category.PRODUCT, 1.0)
    assert resolve_overlaps([apart, phone, cpr]) == [cpr, apart]


def test_findings_need_a_span() -> None:
    with pytest.raises(ValueError):
        Finding(5, 5, Category.EMAIL)
    with pytest.raises(ValueError):
        Finding(-1, 3, Category.EMAIL)


def test_same_term_gets_the_same_placeholder_and_numbering_follows_first_appearance() -> None:
    text = "Falcon for Ann; ann@x.dk; FALCON again; Bo; Ann."
    findings = [
        Finding(0, 6, Category.PRODUCT),
        Finding(11, 14, Category.PERSON),
        Finding(16, 24, Category.EMAIL),
        Finding(26, 32, Category.PRODUCT),
        Finding(40, 42, Category.PERSON),
        Finding(44, 47, Category.PERSON),
    ]
    result = redact(text, findings)
    assert result.text == "[PRODUCT-1] for [PERSON-1]; [EMAIL-1]; [PRODUCT-1] again; [PERSON-2]; [PERSON-1]."
    assert result.replaced == 6
    assert result.counts() == [
        (Category.EMAIL, 1, 1),
        (Category.PRODUCT, 2, 1),
        (Category.PERSON, 3, 2),
    ]
    highlighted = [s.text for s in result.segments if s.category is not None]
    assert highlighted == [
        "[PRODUCT-1]",
        "[PERSON-1]",
        "[EMAIL-1]",
        "[PRODUCT-1]",
        "[PERSON-2]",
        "[PERSON-1]",
    ]


def test_numbers_written_differently_share_a_placeholder() -> None:
    assert normalise_term(Category.PHONE, "+45 20 12 34 56") == normalise_term(Category.PHONE, "+4520123456")
    assert normalise_term(Category.PERSON, "Ann  Lee") == normalise_term(Category.PERSON, "ann lee")
    book = PlaceholderBook()
    assert book.placeholder_for(Category.PHONE, "+45 20 12 34 56") == "[PHONE-1]"
    assert book.placeholder_for(Category.PHONE, "+4520123456") == "[PHONE-1]"
    assert book.placeholder_for(Category.PHONE, "+45 99 99 99 99") == "[PHONE-2]"
    assert book.placeholder_for(Category.OTHER, "x") == "[TERM-1]"


def test_a_shared_book_keeps_placeholders_across_texts() -> None:
    book = PlaceholderBook()
    redact("Ann", [Finding(0, 3, Category.PERSON)], book)
    second = redact("Bo and Ann", [Finding(0, 2, Category.PERSON), Finding(7, 10, Category.PERSON)], book)
    assert second.text == "[PERSON-2] and [PERSON-1]"


def test_nothing_found_leaves_the_text_alone() -> None:
    assert redact("plain text", []).text == "plain text"
    assert redact("", []).text == ""
    assert redact("abc", [Finding(1, 9, Category.EMAIL)]).text == "abc"  # a span past the end is ignored
