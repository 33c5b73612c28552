"""How sure a trace is, in three words a person can act on; the thresholds live here and nowhere else.

A trace's confidence is 1 minus an upper bound on the chance that noise produced the marks
(``code.confidence``). "certain": that chance is below one in a million (a clean paragraph or an
intact metadata tag gives about one in a trillion). "likely": below one in a hundred, the decoder's
own threshold for naming anyone. "uncertain": anything weaker that still names a download (a
damaged metadata tag): a lead to check, not proof.
"""

from __future__ import annotations

from enum import StrEnum

from kpo.engine.watermark.code import DEFAULT_THRESHOLD

CERTAIN_FROM = 1 - 1e-6
LIKELY_FROM = DEFAULT_THRESHOLD


class Certainty(StrEnum):
    CERTAIN = "certain"
    LIKELY = "likely"
    UNCERTAIN = "uncertain"


def certainty(confidence: float) -> Certainty:
    if confidence >= CERTAIN_FROM:
        return Certainty.CERTAIN
    if confidence >= LIKELY_FROM:
        return Certainty.LIKELY
    return Certainty.UNCERTAIN
