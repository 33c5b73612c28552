from __future__ import annotations

import numpy as np

from kpo.engine.affinity import LexicalEmbedder, Note, compute_affinities, score_vectors

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
