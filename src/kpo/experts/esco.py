"""Loading the ESCO skills and occupations shipped in kpo/data (see kpo/data/SOURCES.md)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SKILLS_CSV = DATA_DIR / "esco_skills.csv"
OCCUPATIONS_CSV = DATA_DIR / "esco_occupations.csv"


def read_concepts(path: Path) -> Iterator[tuple[str, str, str]]:
    """Yield (uri, preferred label, full text: label, alternative labels and definition)."""
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            label = row["preferred_label"].strip()
            parts = [label, row["alt_labels"].replace("|", " "), row["definition"]]
            yield row["id"].strip(), label[:255], " ".join(part.strip() for part in parts if part.strip())
