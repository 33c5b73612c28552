from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kpo.engine.affinity.aggregate import CentroidMix, get_aggregator, maximum, mean, softmax, top_k

SIMS = np.array([[0.9, 0.1], [0.2, 0.2], [0.1, 0.3]])

matrices = arrays(
    np.float64,
    st.tuples(st.integers(1, 6), st.integers(1, 4)),
    elements=st.floats(-1, 1, allow_nan=False, width=32),
)


def test_simple_aggregates():
    np.testing.assert_allclose(mean(SIMS), [0.4, 0.2])
    np.testing.assert_allclose(maximum(SIMS), [0.9, 0.3])
    np.testing.assert_allclose(top_k(SIMS, 2), [0.55, 0.25])
    np.testing.assert_allclose(top_k(SIMS, 5), mean(SIMS))


@given(matrices)
def test_every_aggregate_lies_between_min_and_max(sims):
    for spec in ("mean", "max", "top1", "top2", "top3", "softmax", "softmax:0.01", "softmax:2"):
        scores = get_aggregator(spec)(sims)
        assert scores.shape == (sims.shape[1],)
        assert (scores >= sims.min(axis=0) - 1e-9).all()
        assert (scores <= sims.max(axis=0) + 1e-9).all()


@given(matrices)
def test_order_of_samples_does_not_matter(sims):
    flipped = sims[::-1]
    for spec in ("mean", "max", "top2", "softmax"):
        aggregator = get_aggregator(spec)
        np.testing.assert_allclose(aggregator(sims), aggregator(flipped), atol=1e-12)


def test_softmax_moves_from_max_to_mean_with_temperature():
    np.testing.assert_allclose(softmax(SIMS, tau=1e-4), maximum(SIMS), atol=1e-6)
    np.testing.assert_allclose(softmax(SIMS, tau=1e4), mean(SIMS), atol=1e-4)
    assert mean(SIMS)[0] < softmax(SIMS, tau=0.05)[0] < maximum(SIMS)[0]


def test_one_strong_sample_beats_uniformly_mediocre_ones_except_under_the_mean():
    specialist_in_passing = np.array([[0.9], [0.1], [0.1], [0.1]])
    mediocre = np.array([[0.35], [0.35], [0.35], [0.35]])
    for spec in ("max", "top2", "softmax"):
        aggregator = get_aggregator(spec)
        assert aggregator(specialist_in_passing)[0] > aggregator(mediocre)[0], spec
    assert mean(specialist_in_passing)[0] < mean(mediocre)[0]


def test_more_matching_samples_raise_the_score():
    one = np.array([[0.8], [0.2], [0.2]])
    two = np.array([[0.8], [0.8], [0.2]])
    for spec in ("mean", "top2", "softmax"):
        aggregator = get_aggregator(spec)
        assert aggregator(two)[0] > aggregator(one)[0], spec


@pytest.mark.parametrize("spec", ["median", "top0", "softmax:0", "softmax:-1", "top", ""])
def test_bad_specs_are_rejected(spec):
    with pytest.raises(ValueError, match=r"aggregate|K|TAU"):
        get_aggregator(spec)


def test_empty_expert_is_rejected():
    with pytest.raises(ValueError):
        mean(np.zeros((0, 3)))


@pytest.mark.parametrize("spec", ["top2+centroid:1.5", "top2+centroid:", "centroid", "top2+centroids"])
def test_bad_centroid_specs_are_refused(spec):
    with pytest.raises(ValueError):
        get_aggregator(spec)


def test_centroid_spec_parses_its_weight():
    mix = get_aggregator("softmax:0.1+centroid:0.25")
    assert isinstance(mix, CentroidMix) and mix.weight == 0.25
    assert get_aggregator("top2+centroid").weight == 0.5
