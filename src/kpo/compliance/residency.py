"""Where an engagement's personal data may go: the EU/EEA, the EU adequacy list, the client's additions.

The adequacy list ships as `kpo/data/eu_adequacy.csv` (see kpo/data/SOURCES.md for its date and source).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext, gettext_noop

ADEQUACY_CSV = Path(__file__).resolve().parent.parent / "data" / "eu_adequacy.csv"
ADEQUACY_LIST_AS_OF = "2025-06-30"
ADEQUACY_SOURCE_URL = (
    "https://commission.europa.eu/law/law-topic/data-protection/international-dimension-data-protection/"
    "adequacy-decisions_en"
)

EU = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
        "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip
EEA = EU | {"IS", "LI", "NO"}

# What each partial decision covers, as the CSV words it: marked here so the reader's language has it.
COVERS = (
    gettext_noop("commercial organisations subject to PIPEDA"),
    gettext_noop(
        "all processing except transfers for UK immigration control; the decision has a sunset clause "
        "(first to 2025-06-27, extended to 2025-12-27, renewal proposed by the Commission in 2025): "
        "check that it is still in force"
    ),
    gettext_noop(
        "private-sector organisations subject to the Act on the Protection of Personal Information (APPI)"
    ),
    gettext_noop(
        "organisations subject to the Personal Information Protection Act (PIPA), except credit "
        "information processed by entities supervised by the Financial Services Commission"
    ),
    gettext_noop("only organisations certified under the EU-U.S. Data Privacy Framework"),
)


@dataclass(frozen=True)
class Adequacy:
    country: str
    name: str
    partial: bool
    covers: str
    decision: str
    adopted: str

    def covers_text(self) -> str:
        """What a partial decision covers, in the active language."""
        return gettext(self.covers) if self.covers else ""


@cache
def adequacy_decisions() -> dict[str, Adequacy]:
    """The countries with an EU adequacy decision, by ISO 3166 code."""
    with ADEQUACY_CSV.open(encoding="utf-8", newline="") as handle:
        return {
            row["country"]: Adequacy(
                country=row["country"],
                name=row["name"],
                partial=row["scope"] == "partial",
                covers=row["covers"],
                decision=row["decision"],
                adopted=row["adopted"],
            )
            for row in csv.DictReader(handle)
        }


def is_eea(country: str) -> bool:
    return country in EEA


def default_countries(client_country: str) -> frozenset[str]:
    """Allowed without any recorded transfer mechanism: for an EU/EEA client the EEA plus the adequacy
    list; for any other client nothing (its own list decides)."""
    if not is_eea(client_country):
        return frozenset()
    return EEA | frozenset(adequacy_decisions())


def allowed_countries(client_country: str, added: frozenset[str] | set[str]) -> frozenset[str]:
    return default_countries(client_country) | frozenset(added)
