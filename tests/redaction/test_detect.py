"""Each detector on its own, offline and without a spaCy model."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kpo.engine.redaction import Category, redact
from kpo.redaction.detect import find_pii, find_terms, offline_tld_extractor


def found(text: str, category: Category) -> list[str]:
    return [text[f.start : f.end] for f in find_pii(text) if f.category == category]


def test_emails_are_found_and_bare_words_are_not() -> None:
    text = "Write to jens.hansen@acme-example.dk, cc ANN@Sub.Example.CO.UK; not me@localhost or a@b."
    assert found(text, Category.EMAIL) == ["jens.hansen@acme-example.dk", "ANN@Sub.Example.CO.UK"]


def test_emails_at_internal_domains_are_found_with_a_lower_score() -> None:
    text = "ping x@y.corp and ann@nordvind.example"
    assert found(text, Category.EMAIL) == ["x@y.corp", "ann@nordvind.example"]
    assert {f.score for f in find_pii(text)} == {0.5}
    assert {f.score for f in find_pii("x@y.com")} == {1.0}  # a known public suffix


@pytest.mark.parametrize(
    "phone",
    [
        "+45 20 12 34 56",
        "+4520123456",
        "20 12 34 56",
        "+44 20 7946 0958",
        "+1 (212) 555-0188",
        "+91 98765 43210",
    ],
)
def test_phone_numbers_are_found(phone: str) -> None:
    assert found(f"Call {phone} today.", Category.PHONE) == [phone]


def test_short_numbers_and_amounts_are_not_phone_numbers() -> None:
    assert found("We need 1234 hours at 250 DKK, ticket 42.", Category.PHONE) == []


def test_ibans_with_a_valid_checksum_are_found() -> None:
    text = "Pay DK5000400440116243 or GB82 WEST 1234 5698 7654 32, not DK5000400440116244."
    assert found(text, Category.IBAN) == ["DK5000400440116243", "GB82 WEST 1234 5698 7654 32"]


def test_credit_card_numbers_need_a_valid_luhn_digit() -> None:
    assert found("card 4111 1111 1111 1111", Category.CREDIT_CARD) == ["4111 1111 1111 1111"]
    assert found("card 4111 1111 1111 1112", Category.CREDIT_CARD) == []


def test_cpr_numbers_with_a_real_date_are_found() -> None:
    text = "CPR 010190-1234, also 2902961234 and 150510-4123."
    assert found(text, Category.CPR) == ["010190-1234", "2902961234", "150510-4123"]


@pytest.mark.parametrize("bad", ["320190-1234", "011390-1234", "290297-1234", "310490-1234"])
def test_cpr_numbers_with_an_impossible_date_are_not_cpr(bad: str) -> None:
    assert found(f"CPR {bad}", Category.CPR) == []


def test_cpr_inside_longer_numbers_is_not_cpr() -> None:
    assert found("order 12010190-1234 and 010190-12345 and 010190-1234-7", Category.CPR) == []


def test_a_cpr_number_that_also_parses_as_a_phone_number_is_redacted_as_cpr() -> None:
    text = "CPR 0101901234"
    assert redact(text, find_pii(text)).text == "CPR [CPR-1]"


TERMS = [("Falcon", Category.PRODUCT), ("Nordic Freight", Category.CUSTOMER), ("Ann Lee", Category.PERSON)]


def declared(text: str) -> list[tuple[str, Category]]:
    return [
        (text[f.start : f.end], f.category) for f in sorted(find_terms(text, TERMS), key=lambda f: f.start)
    ]


def test_declared_terms_match_without_regard_to_case() -> None:
    assert declared("FALCON, falcon and Falcon for NORDIC freight") == [
        ("FALCON", Category.PRODUCT),
        ("falcon", Category.PRODUCT),
        ("Falcon", Category.PRODUCT),
        ("NORDIC freight", Category.CUSTOMER),
    ]


def test_declared_terms_match_whole_words_only() -> None:
    assert declared("Falconry, Falcons and SuperFalcon are other words; Ann Leeway too.") == []
    assert declared("(Falcon) Falcon-2 'Falcon'. Ann Lee.") == [
        ("Falcon", Category.PRODUCT),
        ("Falcon", Category.PRODUCT),
        ("Falcon", Category.PRODUCT),
        ("Ann Lee", Category.PERSON),
    ]


def test_declared_terms_with_regex_characters_are_literal() -> None:
    terms = [("C++ Core", Category.PRODUCT), ("A.B", Category.OTHER)]
    text = "Use C++ Core, not CxxCore; A.B but not AxB."
    hits = [text[f.start : f.end] for f in find_terms(text, terms)]
    assert sorted(hits) == ["A.B", "C++ Core"]


def test_empty_text_and_no_terms_find_nothing() -> None:
    assert find_pii("") == []
    assert find_pii("   ") == []
    assert find_terms("Falcon", []) == []


def test_the_email_validator_uses_the_bundled_suffix_list_only() -> None:
    extractor = offline_tld_extractor()
    assert tuple(extractor.suffix_list_urls) == ()
    assert extractor.fallback_to_snapshot
    assert extractor("x@mail.example.co.uk").fqdn == "mail.example.co.uk"


OFFLINE_PROBE = textwrap.dedent(
    """
    import socket, sys

    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args[:1])
        raise OSError("network use in an offline test")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse

    import spacy.util
    assert not spacy.util.get_installed_models(), spacy.util.get_installed_models()

    from kpo.engine.redaction import redact
    from kpo.redaction.detect import find_pii

    text = "Mail ann@acme-example.dk, call +45 20 12 34 56, IBAN DK5000400440116243, CPR 010190-1234."
    print(redact(text, find_pii(text)).text)
    if "--stock-email" in sys.argv:  # the check has teeth: Presidio's own e-mail recogniser goes online
        from presidio_analyzer.predefined_recognizers import EmailRecognizer

        EmailRecognizer().analyze("a@example.co.uk", ["EMAIL_ADDRESS"])
    print("network attempts:", len(attempts))
    """
)


def test_detection_works_with_no_network_and_no_spacy_model(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "TLDEXTRACT_CACHE": str(tmp_path / "tld"),
    }
    done = subprocess.run(
        [sys.executable, "-c", OFFLINE_PROBE], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Mail [EMAIL-1], call [PHONE-1], IBAN [IBAN-1], CPR [CPR-1].",
        "network attempts: 0",
    ]
    assert not (tmp_path / "tld").exists()  # tldextract wrote no cache
    assert not (tmp_path / "cache" / "python-tldextract").exists()

    stock = subprocess.run(
        [sys.executable, "-c", OFFLINE_PROBE, "--stock-email"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert stock.returncode == 0, stock.stderr
    assert stock.stdout.splitlines()[-1] != "network attempts: 0"
