"""Where an engagement's personal data may go: the EU/EEA, the EU adequacy list, the client's additions.

The adequacy list ships as `kpo/data/eu_adequacy.csv` (see kpo/data/SOURCES.md for its date and source).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

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


@dataclass(frozen=True)
class Adequacy:
    country: str
    name: str
    partial: bool
    covers: str
    decision: str
    adopted: str


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
