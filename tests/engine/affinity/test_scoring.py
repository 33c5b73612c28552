from __future__ import annotations

import numpy as np

from kpo.engine.affinity import (
    LexicalEmbedder,
    Note,
    compute_affinities,
    default_aggregate,
    make_embedder,
    score_vectors,
)

ARCHIVES = {
    "tax": [
        Note("t1", "Transfer pricing of intercompany services", "Arm's length documentation."),
        Note("t2", "Koncernintern prisfastsættelse", "Dokumentation af armslængdepriser."),
    ],
    "wind": [
        Note("w1", "Leading edge erosion of wind turbine blades", "Rain erosion testing."),
        Note("w2", "Erosion af vindmøllevinger", "Beskyttelsesbånd til forkanten."),
    ],
}
SUBMISSIONS = {
    "S1": Note(
        "S1", "Transfer pricing documentation", "Our intercompany services need arm's length support."
    ),
    "S2": Note("S2", "Blade erosion", "Our turbine blades show leading edge erosion."),
}


def corpus():
    return [n.text for notes in ARCHIVES.values() for n in notes] + [n.text for n in SUBMISSIONS.values()]


def test_the_matching_expert_scores_highest():
    embedder = LexicalEmbedder.fit(corpus())
    scores = compute_affinities(embedder, ARCHIVES, SUBMISSIONS)
    assert set(scores) == {"tax", "wind"}
    assert scores["tax"]["S1"] > scores["wind"]["S1"]
    assert scores["wind"]["S2"] > scores["tax"]["S2"]


def test_chunking_does_not_change_scores():
    embedder = LexicalEmbedder.fit(corpus())
    whole = compute_affinities(embedder, ARCHIVES, SUBMISSIONS, "mean")
    chunked = compute_affinities(embedder, ARCHIVES, SUBMISSIONS, "mean", chunk_texts=1)
    assert whole == chunked


def test_score_vectors_with_an_expert_without_samples():
    queries = np.eye(2, dtype=np.float32)
    scores = score_vectors({"a": np.eye(2, dtype=np.float32)[:1], "b": np.zeros((0, 2), np.float32)}, queries)
    assert scores["a"].tolist() == [1.0, 0.0]
    assert scores["b"].tolist() == [0.0, 0.0]


def test_centroid_mix_weighs_the_whole_profile():
    queries = np.array([[1.0, 0.0]], dtype=np.float32)
    samples = {"e": np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)}
    top1 = score_vectors(samples, queries, "top1")["e"][0]
    centroid_only = score_vectors(samples, queries, "top1+centroid:1")["e"][0]
    half = score_vectors(samples, queries, "top1+centroid")["e"][0]
    assert top1 == 1.0
    np.testing.assert_allclose(centroid_only, 1 / np.sqrt(2), rtol=1e-6)
    np.testing.assert_allclose(half, (1 + 1 / np.sqrt(2)) / 2, rtol=1e-6)


def test_words_backend_ranks_the_matching_expert_first_with_its_default_aggregate():
    embedder = make_embedder("words", corpus())
    assert embedder.name == "words" and embedder.version.startswith("words-stem-")
    scores = compute_affinities(embedder, ARCHIVES, SUBMISSIONS, default_aggregate("words"))
    assert scores["tax"]["S1"] > scores["wind"]["S1"]
    assert scores["wind"]["S2"] > scores["tax"]["S2"]
