"""Lexical embedder: TF-IDF (or BM25 weights) over words or character n-grams; numpy only, no model.

Fitted on the corpus passed in (document frequencies, vocabulary), then deterministic: the same corpus
and settings give the same vocabulary order, the same vectors and the same `version`.

Text normalisation, for English and Danish: NFKC, case folding, accents stripped (é -> e) while the
Danish letters æ, ø and å are kept as letters of their own; tokens are runs of letters and digits;
a small English + Danish stop-word list is dropped.

Analysers:
- `word`: word unigrams and bigrams (of consecutive kept tokens).
- `char`: character 3- to 5-grams inside each kept word, padded with a space at both ends
  (robust to Danish compounds and inflection, and to cognates across the two languages).
- `stem`: word unigrams cut to their first `STEM_LENGTH` (6) letters, a crude stemmer for both
  languages ("migration", "migrate" and "migrating" meet as "migrat"). With `tfidf` this is the `words`
  backend, the default: on the real-text set (bench/affinity_eval_real) it had the lowest loss on the
  dev fold of every word and character variant tried (prefixes 4 to 7, bigrams, title weighting, BM25).

`bench/affinity.py` measures the combinations on the synthetic set. The `lexical` backend, `char` +
`tfidf` (sublinear tf, smooth idf), was best there: nDCG@10 0.506 against 0.414 for `word` + `tfidf`
and 0.489 / 0.409 with BM25 weights (top2 aggregation); word analysis loses most on Danish (0.54
against 0.73).
The vectors are dense rows of length `dim` (the vocabulary size, capped by `max_features`, the most
frequent terms kept), so score large sets in chunks (`affinity.score` does).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Literal

import numpy as np
import numpy.typing as npt

from kpo.engine.affinity.embedder import FloatMatrix, Role, l2_normalise, normalise_text

FloatVector = npt.NDArray[np.float32]
Analyser = Literal["word", "char", "stem"]
STEM_LENGTH = 6
Weighting = Literal["tfidf", "bm25"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS_EN = _words(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers him his how i if in into is it its itself just me more most my
    no nor not now of off on once only or other our ours out over own same she should so some such
    than that the their theirs them then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours us may
    might must shall per via within without
    """
)
STOP_WORDS_DA = _words(
    """
    ad af al alle alt anden andet andre at bare begge blev blive bliver da de dem den denne dens der
    deres det dette dig din dine disse dit dog du efter eller en end er et for fordi fra før ham han
    hans har havde have hende hendes her hos hun hvad hvem hver hvilke hvilken hvis hvor hvordan
    hvorfor i ikke ind ingen intet jeg jer jeres kan kom kommer kun kunne lidt man mange med meget
    men mig min mine mit mod må ned noget nogle nu når og også om op os over på sig sin sine sit
    skal skulle som så sådan thi til ud under var vi vil ville vor vores være været blandt samt uden
    inden
    """
)
STOP_WORDS = STOP_WORDS_EN | STOP_WORDS_DA

_TOKEN = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """Case-folded, accent-stripped text that keeps æ, ø and å (å survives decomposition)."""
    decomposed = unicodedata.normalize("NFKD", normalise_text(text).casefold())
    decomposed = decomposed.replace("a\u030a", "å")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """Kept tokens: letters/digits runs of the normalised text, without stop words and 1-letter words."""
    return [tok for tok in _TOKEN.findall(normalise(text)) if len(tok) > 1 and tok not in STOP_WORDS]


def analyse(text: str, analyser: Analyser, ngram_range: tuple[int, int] = (3, 5)) -> list[str]:
    """The terms a text contributes, with repetitions."""
    kept = tokens(text)
    if analyser == "stem":
        return [tok[:STEM_LENGTH] for tok in kept]
    if analyser == "word":
        return kept + [f"{a} {b}" for a, b in pairwise(kept)]
    low, high = ngram_range
    terms: list[str] = []
    for tok in kept:
        padded = f" {tok} "
        for n in range(low, high + 1):
            terms.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return terms


class LexicalEmbedder:
    """TF-IDF / BM25 vectors over a vocabulary fitted on a corpus. Build with `LexicalEmbedder.fit`."""

    def __init__(
        self,
        vocabulary: dict[str, int],
        idf: npt.NDArray[np.floating],
        *,
        analyser: Analyser,
        weighting: Weighting,
        average_length: float,
        k1: float = 1.2,
        b: float = 0.75,
        name: str = "lexical",
    ) -> None:
        self.name = name
        self._vocabulary = vocabulary
        self._idf = idf.astype(np.float32)
        self.analyser: Analyser = analyser
        self.weighting: Weighting = weighting
        self._average_length = average_length
        self._k1 = k1
        self._b = b
        digest = hashlib.sha256()
        digest.update(f"{analyser}|{weighting}|{k1}|{b}|{average_length:.6f}".encode())
        for term in vocabulary:
            digest.update(term.encode("utf-8") + b"\0")
        digest.update(self._idf.tobytes())
        self._version = f"{name}-{analyser}-{weighting}-{digest.hexdigest()[:16]}"

    @classmethod
    def fit(
        cls,
        corpus: Iterable[str],
        *,
        analyser: Analyser = "char",
        weighting: Weighting = "tfidf",
        max_features: int = 1 << 16,
        min_df: int = 1,
        name: str = "lexical",
    ) -> LexicalEmbedder:
        """Learn the vocabulary and document frequencies from `corpus` (deterministic)."""
        df: Counter[str] = Counter()
        lengths: list[int] = []
        for text in corpus:
            terms = analyse(text, analyser)
            lengths.append(len(terms))
            df.update(set(terms))
        n_docs = len(lengths)
        kept = [(term, count) for term, count in df.items() if count >= min_df]
        if len(kept) > max_features:
            kept.sort(key=lambda item: (-item[1], item[0]))
            kept = kept[:max_features]
        kept.sort()
        vocabulary = {term: index for index, (term, _) in enumerate(kept)}
        counts = np.array([count for _, count in kept], dtype=np.float64)
        if weighting == "tfidf":
            idf = np.log((1.0 + n_docs) / (1.0 + counts)) + 1.0
        else:
            idf = np.log(1.0 + (n_docs - counts + 0.5) / (counts + 0.5))
        average_length = float(np.mean(lengths)) if lengths else 0.0
        return cls(
            vocabulary, idf, analyser=analyser, weighting=weighting, average_length=average_length, name=name
        )

    @property
    def dim(self) -> int:
        return len(self._vocabulary)

    @property
    def version(self) -> str:
        return self._version

    def embed(self, texts: Sequence[str], *, role: Role = "passage") -> FloatMatrix:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            terms = analyse(text, self.analyser)
            counts = Counter(term for term in terms if term in self._vocabulary)
            if not counts:
                continue
            index = np.fromiter((self._vocabulary[t] for t in counts), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
            out[row, index] = self._weights(tf, index, len(terms), role)
        return l2_normalise(out)

    def _weights(self, tf: FloatVector, index: npt.NDArray[np.int64], length: int, role: Role) -> FloatVector:
        if self.weighting == "tfidf":
            weights = (1.0 + np.log(tf)) * self._idf[index]
        elif role == "query":
            weights = np.ones_like(tf)
        else:
            norm = self._k1 * (1.0 - self._b + self._b * length / max(self._average_length, 1.0))
            weights = tf * (self._k1 + 1.0) / (tf + norm) * self._idf[index]
        return np.asarray(weights, dtype=np.float32)
