from __future__ import annotations

import pytest

from kpo.engine.chart_labels import wrap_label


def test_a_short_label_stays_on_one_line() -> None:
    assert wrap_label("Finance", 26) == ("Finance",)
    assert wrap_label("", 26) == ()


def test_a_long_label_wraps_between_words() -> None:
    assert wrap_label("Data analysis and interpretation", 26) == ("Data analysis and", "interpretation")
    assert wrap_label("Data analysis and interpretation", 40) == ("Data analysis and interpretation",)


def test_what_does_not_fit_in_two_lines_ends_in_an_ellipsis() -> None:
    lines = wrap_label("Regulatory compliance and reporting for financial services firms", 20)
    assert len(lines) == 2 and all(len(line) <= 20 for line in lines)
    assert lines[0] == "Regulatory" or lines[0].startswith("Regulatory")
    assert lines[-1].endswith("…")


def test_a_word_longer_than_a_line_is_cut() -> None:
    assert wrap_label("Supercalifragilisticexpialidocious", 10) == ("Supercali…",)
    lines = wrap_label("A Supercalifragilisticexpialidocious word", 10)
    assert lines == ("A", "Supercali…")
    assert all(len(line) <= 10 for line in wrap_label("x" * 50 + " y", 10, lines=3))


@pytest.mark.parametrize("width", [2, 5, 13, 26, 44])
def test_no_line_is_wider_than_asked(width: int) -> None:
    text = "Realised savings on the hydraulic press line maintenance engagement, phase two"
    lines = wrap_label(text, width)
    assert 1 <= len(lines) <= 2 and all(len(line) <= width for line in lines)


def test_bad_sizes_are_refused() -> None:
    with pytest.raises(ValueError):
        wrap_label("x", 1)
