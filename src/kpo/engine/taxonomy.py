"""The fixed vocabularies of kpo: KPO domains, degree levels, CEFR levels, roles."""

from __future__ import annotations

from enum import StrEnum

from kpo.engine.labelled import LabelledEnum, labels_of


class Domain(LabelledEnum):
    FINANCIAL_CONSULTING = "financial_consulting", "Financial consulting"
    RESEARCH_DEVELOPMENT = "research_development", "Research and development"
    MANAGEMENT_CONSULTING = "management_consulting", "Business operations / management consulting"
    TECHNICAL_ANALYSIS = "technical_analysis", "Technical analysis"
    INVESTMENT_RESEARCH = "investment_research", "Investment research"
    LEGAL_SERVICES = "legal_services", "Legal services"
    MEDICINE_HEALTHCARE = "medicine_healthcare", "Medicine and healthcare"
    DATA_ANALYSIS = "data_analysis", "Data analysis and interpretation"


DOMAIN_LABELS: dict[Domain, str] = labels_of(Domain)


class DegreeLevel(StrEnum):
    BACHELOR = "bachelor"
    MASTER = "master"
    PHD = "phd"
    PROFESSIONAL = "professional"


DEGREE_RANK: dict[DegreeLevel, int] = {
    DegreeLevel.BACHELOR: 1,
    DegreeLevel.MASTER: 2,
    DegreeLevel.PHD: 3,
    DegreeLevel.PROFESSIONAL: 3,
}


def degree_meets(held: DegreeLevel | str, required: DegreeLevel | str | None) -> bool:
    """A PhD and a professional doctorate/licence both count as the highest level."""
    if not required:
        return True
    return DEGREE_RANK[DegreeLevel(held)] >= DEGREE_RANK[DegreeLevel(required)]


CEFR_LEVELS: tuple[str, ...] = ("A1", "A2", "B1", "B2", "C1", "C2", "native")


def cefr_meets(held: str, required: str | None) -> bool:
    if not required:
        return True
    return CEFR_LEVELS.index(held) >= CEFR_LEVELS.index(required)


class Role(StrEnum):
    CLIENT_ADMIN = "client_admin"
    REQUESTER = "requester"
    PROVIDER_MANAGER = "provider_manager"
    EXPERT = "expert"
    REVIEWER = "reviewer"
    AUDITOR = "auditor"


CLIENT_ROLES = frozenset({Role.CLIENT_ADMIN, Role.REQUESTER, Role.AUDITOR})
PROVIDER_ROLES = frozenset({Role.PROVIDER_MANAGER, Role.EXPERT, Role.REVIEWER, Role.AUDITOR})


class ConfidentialityLevel(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"
    RESTRICTED = "restricted"


PROFICIENCY_MIN = 1
PROFICIENCY_MAX = 5
