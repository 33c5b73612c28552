from __future__ import annotations

import numpy as np

from kpo.engine.affinity import LexicalEmbedder, cache_key, content_hash, embed_cached


def test_content_hash_is_sha256_of_normalised_text():
    assert len(content_hash("x")) == 64
    assert content_hash("Økonomi  og\nstrategi ") == content_hash("Økonomi og strategi")
    assert content_hash("o\u0308") == content_hash("\u00f6")  # NFC
    assert content_hash("a") != content_hash("b")


class CountingEmbedder:
    name = "counting"
    dim = 2
    version = "v1"

    def __init__(self):
        self.seen: list[str] = []

    def embed(self, texts, *, role="passage"):
        self.seen.extend(texts)
        return np.array([[1.0, 0.0] if "a" in t else [0.0, 1.0] for t in texts], dtype=np.float32).reshape(
            len(texts), 2
        )


def test_embed_cached_only_embeds_what_changed():
    embedder = CountingEmbedder()
    store: dict[str, np.ndarray] = {}
    first = embed_cached(embedder, ["a", "b", "a"], store)
    assert embedder.seen == ["a", "b"]
    assert first.tolist() == [[1, 0], [0, 1], [1, 0]]
    embed_cached(embedder, ["a", "b", "cab"], store)
    assert embedder.seen == ["a", "b", "cab"]
    embed_cached(embedder, ["a"], store, role="query")
    assert embedder.seen[-1] == "a"
    assert cache_key(embedder, "a").startswith("v1:passage:")


def test_cache_key_changes_with_the_fitted_vocabulary():
    one = LexicalEmbedder.fit(["alpha beta", "gamma"])
    two = LexicalEmbedder.fit(["alpha beta", "delta"])
    assert cache_key(one, "alpha") != cache_key(two, "alpha")
