from __future__ import annotations

import numpy as np
import pytest

from kpo.engine.affinity import Embedder, LexicalEmbedder
from kpo.engine.affinity.lexical import analyse, normalise, tokens

CORPUS = [
    "Transfer pricing documentation for intercompany services",
    "Armslængdeprincippet i koncerninterne serviceaftaler og skat",
    "Capacity fade in nickel-rich lithium-ion battery cathodes",
    "Erosion af forkanten på vindmøllevinger til havs",
    "Randomised experiments for price changes in a web shop",
    "Behandling af type 2-diabetes med GLP-1 hos ældre",
]


@pytest.mark.parametrize("analyser", ["char", "word", "stem"])
@pytest.mark.parametrize("weighting", ["tfidf", "bm25"])
def test_each_text_is_most_similar_to_itself(analyser, weighting):
    embedder = LexicalEmbedder.fit(CORPUS, analyser=analyser, weighting=weighting)
    vectors = embedder.embed(CORPUS)
    assert vectors.dtype == np.float32
    assert vectors.shape == (len(CORPUS), embedder.dim)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    sims = vectors @ vectors.T
    assert (sims.argmax(axis=1) == np.arange(len(CORPUS))).all()


def test_is_an_embedder():
    assert isinstance(LexicalEmbedder.fit(CORPUS), Embedder)


def test_deterministic_vocabulary_vectors_and_version():
    first = LexicalEmbedder.fit(CORPUS)
    second = LexicalEmbedder.fit(list(CORPUS))
    assert first.version == second.version
    assert np.array_equal(first.embed(CORPUS), second.embed(CORPUS))
    assert first.version != LexicalEmbedder.fit(CORPUS[:-1]).version
    assert first.version != LexicalEmbedder.fit(CORPUS, analyser="word").version


def test_danish_letters_are_letters_and_accents_fold():
    assert normalise("Søren ÆRØ Åbenrå café") == "søren ærø åbenrå cafe"
    assert tokens("Økonomi på Ærø, og så videre") == ["økonomi", "ærø", "videre"]
    assert " år" in analyse("Århus", "char")


def test_danish_letters_distinguish_words():
    embedder = LexicalEmbedder.fit(["år", "ar", "sø", "so"], analyser="word")
    vectors = embedder.embed(["år", "ar", "sø", "so"])
    assert float(vectors[0] @ vectors[1]) == 0.0
    assert float(vectors[2] @ vectors[3]) == 0.0


def test_inflected_danish_matches_with_char_ngrams():
    embedder = LexicalEmbedder.fit(CORPUS)
    query, near, far = embedder.embed(
        ["vindmøllevingerne eroderer", "Erosion af forkanten på vindmøllevinger", "diabetes"], role="query"
    )
    assert query @ near > query @ far


def test_empty_or_stopword_text_gives_a_zero_row():
    embedder = LexicalEmbedder.fit(CORPUS)
    vectors = embedder.embed(["", "the and og", "zzzzqqq"])
    assert not vectors.any()


def test_max_features_caps_dim_deterministically():
    embedder = LexicalEmbedder.fit(CORPUS, max_features=50)
    assert embedder.dim == 50
    assert embedder.version == LexicalEmbedder.fit(CORPUS, max_features=50).version


def test_stem_analyser_joins_inflections_by_their_prefix():
    assert analyse("Migrating data: the migration", "stem") == ["migrat", "data", "migrat"]
    samples = ["migration of databases", "welding of pipes"]
    embedder = LexicalEmbedder.fit(samples, analyser="stem")
    query, migration, welding = embedder.embed(["migrate the database", *samples])
    assert query @ migration > 0.5
    assert query @ welding == 0.0
