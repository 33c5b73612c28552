"""Choice points any prose holds (formats, optional commas and words) and the typo-tolerant reader."""

from __future__ import annotations

import random

import pytest

from kpo.engine.watermark import wording as W
from kpo.engine.watermark.text import normalise
from tests.engine.watermark.test_wording import CANDIDATES, LONG_DA, LONG_EN, TRUE_ID, retype


def alternatives(text: str, language: str, rule: str) -> list[tuple[str, ...]]:
    return [p.alternatives for p in W.choice_points(text, language) if p.rule == rule]


def test_amounts_in_millions_and_more_than_a_figure() -> None:
    text = "Sales were EUR 412 million, and more than 5 % of USD 2 billion went to more than half."
    assert alternatives(text, "en", "amount") == [
        ("EUR 412 million", "EUR 412m", "EUR 412 mn"),
        ("USD 2 billion", "USD 2bn", "USD 2 bn"),
    ]
    assert alternatives(text, "en", "more-than") == [("more than", "over")]  # not before "half"
    da = "Det koster 40 mio. kr. og mere end 6 millioner kroner med mere end 3 %."
    assert alternatives(da, "da", "amount") == [
        ("40 mio. kr.", "40 millioner kr.", "40 mio. kroner"),
        ("6 millioner kroner", "6 mio. kr.", "6 millioner kr."),
    ]
    assert alternatives(da, "da", "more-than") == [("mere end", "over")] * 2
    assert "m.m. end" not in " ".join(W.vary(da, c, "da") for c in CANDIDATES[:40])


def test_a_percentage_is_read_however_it_was_written() -> None:
    text = "Up 5 %, 6%, 7\u00a0%, 8 per cent and 9 percent."
    assert [p.original for p in W.choice_points(text, "en") if p.rule == "percent"] == [0, 1, 0, 2, 3]
    da = "Op 5 %, 6%, 7\u00a0%, 8 procent og 9 pct. i alt."
    assert [p.original for p in W.choice_points(da, "da") if p.rule == "percent"] == [0, 3, 0, 1, 2]


def test_optional_that_only_where_a_clause_follows() -> None:
    text = "The survey shows that the market grew. The chart shows that figure in full."
    assert alternatives(text, "en", "that") == [("shows that", "shows")]


def test_english_optional_commas() -> None:
    text = (
        "In the first half of 2025, sales rose, although costs rose too. "
        "Without that change the savings fall."
    )
    found = alternatives(text, "en", "comma")
    assert ("In the first half of 2025,", "In the first half of 2025") in found
    assert (", although", " although") in found
    assert not any("Without" in a[0] for a in found)  # an opening phrase without a comma stays


def test_danish_start_commas_taken_away_and_added_before_a_subject() -> None:
    text = (
        "Vi mener, at prisen stiger. Vi forventer at den falder. "
        "Det er for at de kan se, og vi håber at kunne."
    )
    found = alternatives(text, "da", "comma")
    assert (", at", " at") in found
    assert (" at", ", at") in found  # "forventer at den": a clause, the comma may be added
    assert len([a for a in found if a == (" at", ", at")]) == 1  # not after "for", not before a verb


def test_ise_and_ize_spelling() -> None:
    found = alternatives("We organised the prioritisation; the Organisation realizes it.", "en", "spelling")
    assert ("organised", "organized") in found
    assert ("prioritisation", "prioritization") in found
    assert ("realizes", "realises") in found
    assert alternatives("Surprise: the premise and the exercise.", "en", "spelling") == []


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("regions", "region", True),
        ("region", "regoin", True),
        ("margin", "margen", True),
        ("analysis", "analysiss", True),
        ("cost", "cots", True),
        ("same", "same", False),
        ("and", "an", False),  # short words are never guessed
        ("margin", "marine", False),
        ("report", "export", False),
    ],
)
def test_one_typo_apart(a: str, b: str, near: bool) -> None:
    assert W.one_typo_apart(a, b) is near
    assert W.one_typo_apart(b, a) is near


def test_a_typo_inside_a_wording_still_reads_the_wording() -> None:
    original = (
        "Client satisfaction scores improved in every region except Benelux, where two projects slipped."
    )
    points = W.choice_points(original, "en")
    region = next(k for k, p in enumerate(points) if p.alternatives[0] == "in every region")
    suspect = original.replace("in every region", "in all regoins")
    read = {o.point: o.alternative for o in W.read(original, points, suspect)}
    assert read[region] == 1


def test_erased_points_are_left_out_not_counted_against() -> None:
    copy = W.vary(LONG_EN, TRUE_ID, "en")
    sentences = copy.split(". ")
    shortened = ". ".join(s for i, s in enumerate(sentences) if i % 4 != 1)  # a quarter of it gone
    found = W.trace_wording(LONG_EN, retype(shortened, 3), CANDIDATES, "en")
    assert found.download_id == TRUE_ID
    assert found.read < len(W.choice_points(LONG_EN, "en"))  # the lost points were not read
    assert found.matches == found.read  # and none was misread


@pytest.mark.parametrize(("text", "language"), [(LONG_EN, "en"), (LONG_DA, "da")])
def test_copies_for_people_who_are_not_candidates_never_name_a_candidate(text: str, language: str) -> None:
    rng = random.Random(11)
    inside = set(CANDIDATES)
    for _ in range(25):
        outsider = rng.randrange(1, 2**32)
        if outsider in inside:
            continue
        copy = retype(W.vary(text, outsider, language), rng.randrange(1000))
        found = W.trace_wording(text, copy, CANDIDATES, language)
        assert found.download_id is None
        assert found.confidence < W.WORDING_THRESHOLD


@pytest.mark.parametrize(("text", "language"), [(LONG_EN, "en"), (LONG_DA, "da")])
def test_an_unmarked_text_retyped_many_times_names_nobody(text: str, language: str) -> None:
    for seed in range(10):
        found = W.trace_wording(text, retype(normalise(text), seed, per_chars=30), CANDIDATES, language)
        assert found.download_id is None and found.confidence == 0.0
