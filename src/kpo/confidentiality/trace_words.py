"""A leak trace's finding as one plain sentence: who downloaded the copy, on which day, how sure."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from kpo.confidentiality.models import Download
from kpo.core.clock import user_date
from kpo.core.formatting import day
from kpo.engine.watermark.certainty import Certainty, certainty


@dataclass(frozen=True)
class TraceFinding:
    certainty: Certainty
    sentence: str
    meaning: str
    """What the certainty word means, for a reader who has to act on it."""


def trace_finding(download: Download, confidence: float) -> TraceFinding:
    level = certainty(confidence)
    values = {"name": download.recipient, "date": day(user_date(download.at))}
    if level is Certainty.CERTAIN:
        sentence = _("This copy was downloaded by %(name)s on %(date)s — certain.") % values
        meaning = _("The chance that the marks in the copy arose by accident is below one in a million.")
    elif level is Certainty.LIKELY:
        sentence = _("This copy was downloaded by %(name)s on %(date)s — likely.") % values
        meaning = _(
            "The chance that the marks arose by accident is below one in a hundred, but the copy was "
            "damaged: check the other facts before acting."
        )
    else:
        sentence = _("This copy was downloaded by %(name)s on %(date)s — uncertain.") % values
        meaning = _(
            "Only a damaged fingerprint names this download: treat it as a lead to check, not as proof."
        )
    return TraceFinding(certainty=level, sentence=sentence, meaning=meaning)
