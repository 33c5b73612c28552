"""The trace result as one sentence: who, on which day (in the reader's zone and language), how sure."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone, translation

from kpo.confidentiality.models import Download
from kpo.confidentiality.trace_words import trace_finding

AT = dt.datetime(2026, 12, 7, 3, 8, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("confidence", "sentence"),
    [
        (1 - 1e-12, "This copy was downloaded by Carol D'Souza on 7 Dec 2026 — certain."),
        (0.995, "This copy was downloaded by Carol D'Souza on 7 Dec 2026 — likely."),
        (0.5, "This copy was downloaded by Carol D'Souza on 7 Dec 2026 — uncertain."),
    ],
)
def test_the_sentence_says_how_sure(confidence: float, sentence: str) -> None:
    download = Download(recipient="Carol D'Souza", at=AT)
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("Europe/Copenhagen")):
        finding = trace_finding(download, confidence)
    assert finding.sentence == sentence
    assert finding.meaning


def test_the_day_is_the_readers_and_the_words_danish() -> None:
    download = Download(recipient="Carol D'Souza", at=AT)  # 3:08 UTC: still 6 Dec in New York
    with translation.override("da"), timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        finding = trace_finding(download, 1.0)
    assert finding.sentence == "Denne kopi blev downloadet af Carol D'Souza den 6. dec. 2026 — sikkert."
