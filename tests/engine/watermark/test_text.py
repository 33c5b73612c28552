from __future__ import annotations

import re
import unicodedata
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from kpo.engine.watermark import text as wm
from kpo.engine.watermark.code import MAX_ID, Channel

from .corpus import DA, EN, MARKDOWN

_VOCABULARY = (
    "the revenue grew strongly across every client segment while operating costs stayed flat "
    "analysts expect demand for advisory services to remain high through the next quarter "
    "virksomheden forventer at omsætningen stiger og at projekterne leveres til tiden "
    "company's pipeline well-known Nordic review capacity offshore senior experts"
)
WORDS = tuple(_VOCABULARY.split())

prose = st.lists(st.sampled_from(WORDS), min_size=60, max_size=120).map(
    lambda words: " ".join(words).capitalize() + "."
)
ids = st.integers(0, MAX_ID)


def zw_strip(text: str) -> str:
    return re.sub("[\u200b\u200c\u200d\u2060]", "", text)


def editor(text: str) -> str:
    """A plain-text editor: NFKC, no-break spaces and smart quotes to ASCII, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).replace("\u00a0", " ")
    text = text.translate(str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}))
    return re.sub(r"[ \t]+", " ", text)


@settings(max_examples=25, deadline=None)
@given(prose, ids)
def test_round_trip_for_random_ids_and_texts(text: str, download_id: int) -> None:
    marked = wm.embed(text, download_id)
    assert wm.normalise(marked) == wm.normalise(text)
    result = wm.decode(marked).result
    assert result is not None and result.download_id == download_id and result.confidence > 0.99


@settings(max_examples=15, deadline=None)
@given(prose, ids)
def test_round_trip_with_only_homoglyphs_left(text: str, download_id: int) -> None:
    damaged = zw_strip(editor(wm.embed(text, download_id)))
    decoded = wm.decode(damaged)
    assert decoded.channels == (Channel.HOMOGLYPH,)
    assert decoded.result is not None and decoded.result.download_id == download_id


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300), ids)
def test_any_text_is_visibly_unchanged(text: str, download_id: int) -> None:
    assert wm.normalise(wm.embed(text, download_id)) == wm.normalise(wm.strip_clusters(text))


@settings(max_examples=40, deadline=None)
@given(prose)
def test_unmarked_text_has_no_fingerprint(text: str) -> None:
    decoded = wm.decode(text)
    assert decoded.result is None and decoded.channels == ()


def test_fingerprint_characters_are_the_only_change() -> None:
    marked = wm.embed(EN, 42)
    assert marked != EN
    extra = set(marked) - set(EN)
    assert extra <= set(wm.ZW_DIGITS) | {wm.NBSP} | set(wm.HOMOGLYPHS.values())


def test_every_channel_is_used_and_decodes_alone() -> None:
    marked = wm.embed(EN, 7)
    reading = wm.read(marked)
    assert reading.channels == (Channel.ZERO_WIDTH, Channel.NO_BREAK_SPACE, Channel.HOMOGLYPH)
    for channels in ({Channel.ZERO_WIDTH}, {Channel.HOMOGLYPH}):
        only = wm.embed(EN, 7, channels=channels)
        result = wm.decode(only).result
        assert result is not None and result.download_id == 7
    spaces_only = wm.read(wm.embed(EN, 7, channels={Channel.NO_BREAK_SPACE}))
    assert spaces_only.channels == (Channel.NO_BREAK_SPACE,)


def test_markdown_structure_is_preserved() -> None:
    marked = wm.embed(MARKDOWN, 99)
    assert wm.normalise(marked) == MARKDOWN
    for untouched in (
        "```python\ndef growth(previous: float, current: float) -> float:\n"
        "    return (current - previous) / previous\n```",
        "`report_q3.xlsx`",
        "(https://example.com/pricing?id=7&x=y)",
        "finance@example.com",
        "| Segment | Growth |\n|---------|--------|\n| Advisory | 12 % |",
        "    indented code stays as it is",
        "# ",
        "## ",
        "\n- ",
        "\n1. ",
        "\n> ",
    ):
        assert untouched in marked, untouched
    # no zero-width character or no-break space right after a block marker
    assert not re.search(r"^(#+|[-*>]|\d+\.)[\u00a0\u200b\u200c\u200d\u2060]", marked, re.MULTILINE)


def test_one_paragraph_decodes_in_both_languages() -> None:
    marked = wm.embed(EN + "\n\n" + DA, 123_456_789)
    for paragraph in marked.split("\n\n"):
        for attacked in (paragraph, editor(paragraph), zw_strip(paragraph), zw_strip(editor(paragraph))):
            result = wm.decode(attacked).result
            assert result is not None and result.download_id == 123_456_789


def test_fragment_cut_mid_word_still_decodes() -> None:
    marked = wm.embed((EN + " ") * 3, 5_000_000)
    visible = wm.normalise(marked)
    start = visible.index("demand") + 2
    # cut roughly 320 visible characters out of the marked text, starting mid-word
    position = _marked_position(marked, start)
    end = _marked_position(marked, start + 320)
    result = wm.decode(zw_strip(marked[position:end])).result
    assert result is not None and result.download_id == 5_000_000


def _marked_position(marked: str, visible_index: int) -> int:
    seen = 0
    for position, char in enumerate(marked):
        if char in wm.ZW_DIGITS:
            continue
        if seen == visible_index:
            return position
        seen += 1
    return len(marked)


def test_a_short_sentence_is_not_misattributed() -> None:
    marked = wm.embed(EN, 77)
    sentence = zw_strip(editor(marked)).split(". ")[1]
    decoded = wm.decode(sentence)
    assert decoded.result is None or decoded.result.download_id == 77 or decoded.result.confidence < 0.99


def test_cyrillic_and_odd_spaces_in_unmarked_text_are_not_a_fingerprint() -> None:
    russian = "Выручка компании выросла на 12 % в третьем квартале, спрос на консультации высок. " * 4
    assert wm.decode(russian).channels == ()
    danish = DA.replace("12 %", "12\u00a0%")
    decoded = wm.decode(danish)
    assert decoded.result is None or decoded.result.confidence < 0.99


def test_re_marking_replaces_the_old_fingerprint() -> None:
    twice = wm.embed(wm.embed(EN, 1), 2)
    result = wm.decode(twice).result
    assert result is not None and result.download_id == 2


def test_watermark_text_adds_a_visible_footer() -> None:
    marked = wm.watermark_text(MARKDOWN, 11, "Carol  Jensen", date(2025, 3, 14))
    visible = wm.normalise(marked)
    assert visible.endswith("\n\n---\n\nConfidential \u2014 prepared for Carol Jensen \u2014 2025-03-14\n")
    assert visible.startswith(MARKDOWN.rstrip("\n"))
