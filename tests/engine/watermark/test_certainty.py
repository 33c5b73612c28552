"""The three words a trace's confidence is told in, and their thresholds."""

from __future__ import annotations

import pytest

from kpo.engine.watermark.certainty import CERTAIN_FROM, LIKELY_FROM, Certainty, certainty
from kpo.engine.watermark.code import CODE_BITS, DEFAULT_THRESHOLD, confidence


@pytest.mark.parametrize(
    ("value", "word"),
    [
        (1.0, Certainty.CERTAIN),
        (CERTAIN_FROM, Certainty.CERTAIN),
        (0.9999, Certainty.LIKELY),
        (DEFAULT_THRESHOLD, Certainty.LIKELY),
        (0.98, Certainty.UNCERTAIN),
        (0.0, Certainty.UNCERTAIN),
    ],
)
def test_thresholds(value: float, word: Certainty) -> None:
    assert certainty(value) is word


def test_likely_starts_where_the_decoder_starts_naming_anyone() -> None:
    assert LIKELY_FROM == DEFAULT_THRESHOLD < CERTAIN_FROM < 1


def test_the_fewer_bits_decided_the_weaker_the_word() -> None:
    assert certainty(confidence(CODE_BITS, 0)) is Certainty.CERTAIN  # a clean paragraph or tag
    assert certainty(confidence(CODE_BITS - 8 * 3, 0)) is Certainty.CERTAIN  # 1 - 6e-8
    assert certainty(confidence(CODE_BITS - 8 * 5, 0)) is Certainty.LIKELY  # 1 - 2**-8
    assert certainty(confidence(CODE_BITS - 8 * 6, 0)) is Certainty.UNCERTAIN
