"""The wording channel: meaning-preserving choices per recipient that survive retyping and OCR."""

from __future__ import annotations

import random
from datetime import date

import pytest

from kpo.engine.watermark import Kind, Original, trace, watermark
from kpo.engine.watermark import wording as W
from kpo.engine.watermark.pdf import pdf_wording, render_pdf, watermark_pdf
from kpo.engine.watermark.text import normalise
from tests.engine.watermark.corpus import DA, EN, MARKDOWN

LONG_EN = " ".join(
    [
        EN,
        "Competitor pricing in the UK has fallen, and we expect pressure on margins next year.",
        "The data room contains the signed agreements, the model and the management presentation.",
        "The findings are preliminary and must not be shared outside the project group.",
        "Three of the five workstreams are on schedule, and the remaining two have recovery plans.",
        "A detailed breakdown by client and by expert is attached as an appendix to this memo.",
        "The main risk is churn among senior analysts, which we mitigate with retention bonuses.",
    ]
)
LONG_DA = " ".join(
    [
        DA,
        "Konkurrenternes priser i Benelux er faldet, og vi forventer pres på marginerne næste år.",
        "Datarummet indeholder de underskrevne aftaler, modellen og ledelsespræsentationen.",
        "Resultaterne er foreløbige og må ikke deles uden for projektgruppen.",
        "Tre af de fem arbejdsspor følger planen, og de to sidste har genopretningsplaner.",
        "Den største risiko er udskiftning blandt erfarne analytikere, som vi imødegår med bonusser.",
    ]
)
CANDIDATES = tuple(random.Random(5).sample(range(1, 2**32), 4096))
TRUE_ID = CANDIDATES[1234]


def retype(text: str, seed: int, per_chars: int = 50) -> str:
    """Typed again: invisible marks gone, spaces collapsed, one wrong letter per `per_chars` characters."""
    chars = list(" ".join(normalise(text).split()))
    rng = random.Random(seed)
    letters = [i for i, c in enumerate(chars) if c.isalpha()]
    for i in rng.sample(letters, len(chars) // per_chars):
        chars[i] = "q" if chars[i] != "q" else "z"
    return "".join(chars)


@pytest.mark.parametrize(("text", "language"), [(LONG_EN, "en"), (LONG_DA, "da")])
def test_a_copy_differs_in_words_and_round_trips(text: str, language: str) -> None:
    copy = W.vary(text, TRUE_ID, language)
    assert copy != text
    assert len(W.choice_points(text, language)) >= 25
    found = W.trace_wording(text, copy, CANDIDATES, language)
    assert found.download_id == TRUE_ID and found.confidence >= W.WORDING_THRESHOLD
    assert found.matches == found.read  # nothing misread in an exact copy


@pytest.mark.parametrize(("text", "language"), [(LONG_EN, "en"), (LONG_DA, "da")])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_retyped_copy_with_typos_still_names_its_recipient(text: str, language: str, seed: int) -> None:
    found = W.trace_wording(text, retype(W.vary(text, TRUE_ID, language), seed), CANDIDATES, language)
    assert found.download_id == TRUE_ID


def test_k_edited_words_cost_only_the_points_they_touch() -> None:
    copy = W.vary(LONG_EN, TRUE_ID, "en").split(" ")
    rng = random.Random(9)
    for index in rng.sample(range(len(copy)), 8):  # eight words replaced by nonsense
        copy[index] = "blah"
    found = W.trace_wording(LONG_EN, " ".join(copy), CANDIDATES, "en")
    assert found.download_id == TRUE_ID
    misread_or_lost = len(W.choice_points(LONG_EN, "en")) - found.matches
    assert misread_or_lost <= 8  # at most one point per edited word


@pytest.mark.parametrize(("text", "language"), [(LONG_EN, "en"), (LONG_DA, "da")])
def test_an_unmarked_or_retyped_original_names_nobody(text: str, language: str) -> None:
    for suspect in (text, retype(text, 4)):
        found = W.trace_wording(text, suspect, CANDIDATES, language)
        assert found.download_id is None and found.confidence == 0.0
        assert found.as_original >= found.matches


def test_someone_elses_copy_names_nobody_among_the_candidates() -> None:
    outsider = 7  # not a candidate
    assert outsider not in CANDIDATES
    found = W.trace_wording(LONG_EN, retype(W.vary(LONG_EN, outsider, "en"), 5), CANDIDATES, "en")
    assert found.download_id is None


def test_another_document_names_nobody() -> None:
    found = W.trace_wording(LONG_EN, W.vary(LONG_DA, TRUE_ID, "da"), CANDIDATES, "en")
    assert found.download_id is None and found.read == 0


def test_different_recipients_get_different_copies_and_each_is_named() -> None:
    first, second = CANDIDATES[10], CANDIDATES[20]
    one, two = W.vary(LONG_EN, first, "en"), W.vary(LONG_EN, second, "en")
    assert one != two
    assert W.trace_wording(LONG_EN, one, CANDIDATES, "en").download_id == first
    assert W.trace_wording(LONG_EN, two, CANDIDATES, "en").download_id == second


def test_the_vectorised_choices_equal_the_scalar_ones() -> None:
    points = W.choice_points(LONG_EN, "en")
    table = W.choices_for(CANDIDATES[:50], points)
    assert all(
        table[i][j] == W.choice(c, p) for i, c in enumerate(CANDIDATES[:50]) for j, p in enumerate(points)
    )


def test_markdown_syntax_code_and_links_keep_every_character() -> None:
    copy = W.vary(MARKDOWN, TRUE_ID, "en")
    for protected in (
        "`report_q3.xlsx`",
        "(https://example.com/pricing?id=7&x=y)",
        "finance@example.com",
        "| 12 % |",
    ):
        assert protected in copy
    assert copy.startswith("# Quarterly review")


def test_capitals_are_kept_and_no_sentence_starts_with_a_figure() -> None:
    for download_id in CANDIDATES[:30]:
        copy = W.vary("Three analysts left. However, two joined in order to help.", download_id, "en")
        assert copy.startswith("Three analysts left.")
        assert copy.split(". ")[1][0].isupper()


def test_every_listed_group_has_distinct_alternatives_in_both_languages() -> None:
    for language in W.Language:
        groups = W.groups_for(language)
        assert len(groups) > 100
        for group in groups:
            assert len({a.lower() for a in group.alternatives}) == len(group.alternatives), group


def test_number_date_and_comma_rules() -> None:
    points = W.choice_points(
        "On 3 March 2026 we paid 1,250 staff 12 % more, and costs, fees and rent rose.", "en"
    )
    kinds = [p.rule for p in points]
    assert {"date", "thousands", "percent", "comma"} <= set(kinds)
    date_point = next(p for p in points if p.rule == "date")
    assert date_point.alternatives == ("3 March 2026", "March 3, 2026")
    da = W.choice_points(
        "Den 3. marts 2026 steg prisen med 1.250 kr. og 12 %. Den stiger, fordi vi vil.", "da"
    )
    assert {"date", "thousands", "percent", "comma"} <= {p.rule for p in da}


def test_the_whole_file_and_the_trace_api_with_the_original() -> None:
    data = watermark(
        LONG_EN.encode(),
        "markdown",
        download_id=TRUE_ID,
        recipient="Carol",
        issued_on=date(2026, 1, 5),
        wording="en",
    )
    original = Original(LONG_EN.encode(), Kind.MARKDOWN, CANDIDATES, "en")
    retyped = retype(data.decode().split("\n\n---")[0], 8)
    assert trace(retyped).code is None  # the invisible channels are gone
    result = trace(retyped, original=original)
    assert result.code == TRUE_ID and "wording" in result.channels_found
    assert trace(retype(LONG_EN, 8), original=original).code is None


def test_an_existing_pdf_carries_the_wording_in_its_text_layer() -> None:
    source = render_pdf(LONG_EN + "\n\n" + LONG_EN.replace("Nordic", "Baltic"))
    marked = watermark_pdf(source, TRUE_ID, "Carol", date(2026, 1, 5), wording="en")
    _text, points = pdf_wording(source, "en")
    assert len(points) >= 20
    original = Original(source, Kind.PDF, CANDIDATES, "en")
    assert trace(marked, original=original).code == TRUE_ID
    from kpo.engine.watermark.pdf import read_pdf

    body = "\n".join(read_pdf(marked).pages)
    assert trace(retype(body.split("Confidential")[0], 2), original=original).code == TRUE_ID
    assert trace(retype("\n".join(read_pdf(source).pages), 2), original=original).code is None


def test_words_to_name_is_a_plain_estimate() -> None:
    points = W.choice_points(LONG_EN, "en")
    words = len(LONG_EN.split())
    estimate = W.words_to_name(points, words)
    assert estimate is not None and 20 < estimate < words
    assert W.words_to_name([], words) is None
