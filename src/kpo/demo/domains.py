"""Keyword rules that sort ESCO skills into the eight KPO domains.

A skill belongs to a domain when its derived label matches one of the domain's patterns and none of
its exclusions. Patterns are regular expressions matched at a word start, case-insensitively. A skill
may fall into several domains. Pools are ordered by skill id, so the same data gives the same pools.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kpo.engine.taxonomy import Domain


@dataclass(frozen=True)
class DomainRule:
    include: tuple[str, ...]
    exclude: tuple[str, ...] = ()

    def compile(self) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
        include = re.compile(r"\b(?:" + "|".join(self.include) + ")", re.IGNORECASE)
        exclude = re.compile(r"\b(?:" + "|".join(self.exclude) + ")", re.IGNORECASE) if self.exclude else None
        return include, exclude


DOMAIN_RULES: dict[Domain, DomainRule] = {
    Domain.FINANCIAL_CONSULTING: DomainRule(
        include=("financ", "accounting", "tax", "audit", "budget", "bookkeep", "fiscal", "credit", "cost"),
        exclude=("costume", "taxiderm", "taxi"),
    ),
    Domain.LEGAL_SERVICES: DomainRule(
        include=("legal", "law", "contract", "compliance", "regulat", "legislat", "litigat", "patent"),
        exclude=("contractor",),
    ),
    Domain.MEDICINE_HEALTHCARE: DomainRule(
        include=("medical", "medicine", "clinical", "patient", "health", "pharma", "epidemiolog", "diagnos"),
        exclude=("veterinar", "animal", "aquaculture"),
    ),
    Domain.DATA_ANALYSIS: DomainRule(
        include=("data", "statistic", "machine learning", "database", "analytics", "predictive", "big data"),
        exclude=(),
    ),
    Domain.INVESTMENT_RESEARCH: DomainRule(
        include=(
            "investment",
            "investor",
            "portfolio",
            "securities",
            "stock market",
            "stock exchange",
            "equity",
            "valuation",
            "capital market",
            "asset management",
            "market research",
        ),
        exclude=(),
    ),
    Domain.RESEARCH_DEVELOPMENT: DomainRule(
        include=("research", "scientific", "laboratory", "experiment", "prototype", "innovat", "patent"),
        exclude=("criminolog",),
    ),
    Domain.TECHNICAL_ANALYSIS: DomainRule(
        include=(
            "engineering",
            "technical",
            "simulation",
            "mechanical",
            "quality control",
            "failure analysis",
            "reliability",
            "production process",
        ),
        exclude=("social engineering",),
    ),
    Domain.MANAGEMENT_CONSULTING: DomainRule(
        include=(
            "business process",
            "management",
            "strateg",
            "lean",
            "operations",
            "efficiency",
            "six sigma",
            "change management",
            "supply chain",
            "business plan",
        ),
        exclude=("waste management", "pest", "aquaculture", "fishery", "wildlife"),
    ),
}


def domains_of(
    label: str, compiled: dict[Domain, tuple[re.Pattern[str], re.Pattern[str] | None]]
) -> list[Domain]:
    found: list[Domain] = []
    for domain, (include, exclude) in compiled.items():
        if include.search(label) and not (exclude and exclude.search(label)):
            found.append(domain)
    return found


def skill_pools(skills: Iterable[tuple[int, str]]) -> dict[Domain, list[int]]:
    """Map each domain to the ids of the skills whose label matches its rule, in id order."""
    compiled = {domain: rule.compile() for domain, rule in DOMAIN_RULES.items()}
    pools: dict[Domain, list[int]] = {domain: [] for domain in Domain}
    for skill_id, label in sorted(skills):
        for domain in domains_of(label, compiled):
            pools[domain].append(skill_id)
    return pools
