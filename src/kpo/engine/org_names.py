"""Normalised organisation names, so "Rival Bank A/S", "rival bank" and "RIVAL-BANK Ltd." compare equal."""

from __future__ import annotations

import re
import unicodedata

# Legal forms and filler words left out when names are compared (lower case, punctuation removed).
LEGAL_FORMS = frozenset(
    {
        "a s",
        "as",
        "aps",
        "a m b a",
        "amba",
        "i s",
        "ag",
        "gmbh",
        "kg",
        "se",
        "sa",
        "sas",
        "sarl",
        "spa",
        "srl",
        "bv",
        "nv",
        "ab",
        "asa",
        "oy",
        "oyj",
        "plc",
        "ltd",
        "limited",
        "llc",
        "llp",
        "lp",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "pvt",
        "private",
        "sp z o o",
        "spzoo",
        "sa de cv",
        "pty",
        "kk",
        "the",
    }
)
_MULTIWORD = sorted((form for form in LEGAL_FORMS if " " in form), key=len, reverse=True)
_SINGLE = frozenset(form for form in LEGAL_FORMS if " " not in form)


def _fold(text: str) -> str:
    """Lower case, accents removed, "&" as "and", every other non-alphanumeric character a space."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("ø", "o").replace("æ", "ae"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("&", " and ")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def normalise_name(name: str) -> str:
    """The comparison key of an organisation's name: folded, legal forms and "the" removed.

    >>> normalise_name("Rival Bank A/S")
    'rival bank'
    >>> normalise_name("The Rival-Bank, Ltd.")
    'rival bank'
    """
    folded = f" {_fold(name)} "
    for form in _MULTIWORD:
        folded = folded.replace(f" {form} ", " ")
    words = [word for word in folded.split() if word not in _SINGLE]
    return " ".join(words) or _fold(name)
