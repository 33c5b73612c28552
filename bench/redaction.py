"""Redaction recall and precision per entity type on labelled Danish and English snippets, as JSON.

The snippets (bench/redaction_data.py) carry their client's declared terms and gold spans. Each is run
through the detectors the platform uses (`kpo.redaction.detect.find_all`: Presidio's recognisers, the
declared terms and their variants), overlaps resolved as `redact` does. A gold span counts as caught
when findings of its type cover every character of it that is not a space; a finding counts as right
when it overlaps a gold span of its type. Reported for the tuning part, the held-out part and both.

    .venv/bin/python bench/redaction.py [--part tuning|held_out|all] [--misses N]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kpo.engine.redaction import Category, Finding, resolve_overlaps
from kpo.redaction import detect
from redaction_data import Snippet, Span, held_out_set, tuning_set

KIND_OF = {
    Category.EMAIL: "email",
    Category.PHONE: "phone",
    Category.CPR: "cpr",
    Category.IBAN: "iban",
    Category.CREDIT_CARD: "credit_card",
    Category.PERSON: "person",
    Category.CUSTOMER: "customer",
    Category.PRODUCT: "product",
    Category.OTHER: "other",
}


def _findings(snippet: Snippet) -> list[Finding]:
    terms = [(term, Category(category)) for term, category in snippet.terms]
    if hasattr(detect, "find_all"):
        found = detect.find_all(snippet.text, terms)
    else:
        found = detect.find_pii(snippet.text) + detect.find_terms(snippet.text, terms)
    return resolve_overlaps(found)


def _covered(gold: Span, text: str, findings: Sequence[Finding]) -> bool:
    kind_spans = [f for f in findings if KIND_OF[f.category] == gold.kind]
    for index in range(gold.start, gold.end):
        if text[index].isspace():
            continue
        if not any(f.start <= index < f.end for f in kind_spans):
            return False
    return True


def score(snippets: Sequence[Snippet], misses: int = 0) -> dict[str, object]:
    gold_total: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    found_total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    shown: list[dict[str, object]] = []
    for snippet in snippets:
        findings = _findings(snippet)
        for gold in snippet.gold:
            gold_total[gold.kind] += 1
            if _covered(gold, snippet.text, findings):
                caught[gold.kind] += 1
            elif len(shown) < misses:
                shown.append(
                    {"missed": snippet.text[gold.start : gold.end], "kind": gold.kind, "text": snippet.text}
                )
        for finding in findings:
            kind = KIND_OF[finding.category]
            found_total[kind] += 1
            if any(g.kind == kind and g.start < finding.end and finding.start < g.end for g in snippet.gold):
                right[kind] += 1
            elif len(shown) < misses:
                shown.append(
                    {
                        "spurious": snippet.text[finding.start : finding.end],
                        "kind": kind,
                        "text": snippet.text,
                    }
                )
    kinds = sorted(set(gold_total) | set(found_total))
    per_kind = {
        kind: {
            "gold": gold_total[kind],
            "recall": _ratio(caught[kind], gold_total[kind]),
            "found": found_total[kind],
            "precision": _ratio(right[kind], found_total[kind]),
        }
        for kind in kinds
    }
    result: dict[str, object] = {
        "snippets": len(snippets),
        "languages": dict(Counter(s.language for s in snippets)),
        "overall": {
            "gold": sum(gold_total.values()),
            "recall": _ratio(sum(caught.values()), sum(gold_total.values())),
            "precision": _ratio(sum(right.values()), sum(found_total.values())),
        },
        "per_type": per_kind,
    }
    if misses:
        result["misses"] = shown
    return result


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("tuning", "held_out", "all"), default="all")
    parser.add_argument("--misses", type=int, default=0, help="list up to N misses and spurious findings")
    args = parser.parse_args(argv)
    tuning, held_out = tuning_set(), held_out_set()
    parts = {"tuning": tuning, "held_out": held_out, "all": tuning + held_out}
    chosen = ("tuning", "held_out", "all") if args.part == "all" else (args.part,)
    print(
        json.dumps({part: score(parts[part], args.misses) for part in chosen}, indent=2, ensure_ascii=False)
    )


if __name__ == "__main__":
    main()
