"""Loading the ESCO skills and occupations shipped in kpo/data (see kpo/data/SOURCES.md)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from kpo.engine.esco import preferred_label

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SKILLS_CSV = DATA_DIR / "esco_skills.csv"
OCCUPATIONS_CSV = DATA_DIR / "esco_occupations.csv"


def read_concepts(path: Path) -> Iterator[tuple[str, str, str]]:
    """Yield (uri, preferred label, full text) for each row of an ESCO CSV."""
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            text = row["description"].strip()
            yield row["id"].strip(), preferred_label(text)[:255], text
