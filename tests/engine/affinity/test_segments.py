"""Vectorised aggregation over many experts equals the per-expert aggregators."""

from __future__ import annotations

import numpy as np
import pytest

from kpo.engine.affinity import get_aggregator
from kpo.engine.affinity.segments import PADDED_ROWS, aggregate_segments

SPECS = ["mean", "max", "top1", "top2", "top3", "softmax", "softmax:0.02"]


@pytest.mark.parametrize("spec", SPECS)
def test_segments_score_as_each_expert_alone(spec: str) -> None:
    generator = np.random.default_rng(7)
    counts = np.array([1, 2, 3, 5, 1, PADDED_ROWS + 4, 2], dtype=np.intp)
    values = generator.uniform(-1, 1, int(counts.sum()))
    values[1:3] = 0.5  # a tie inside a segment
    expected, start = [], 0
    for count in counts.tolist():
        expected.append(get_aggregator(spec)(values[start : start + count, None])[0])
        start += count
    assert aggregate_segments(values, counts, spec) == pytest.approx(expected)


def test_bad_input_is_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="add up"):
        aggregate_segments(np.zeros(3), np.array([1, 1]), "top2")
    with pytest.raises(ValueError, match="at least one row"):
        aggregate_segments(np.zeros(1), np.array([1, 0]), "top2")
    with pytest.raises(ValueError, match="unknown aggregate"):
        aggregate_segments(np.zeros(1), np.array([1]), "median")
