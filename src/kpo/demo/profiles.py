"""Per-domain vocabulary for generated expert profiles: job titles (of earlier jobs, and of experts
without an ESCO occupation), specialities, degree fields; the occupations are in kpo.demo.occupations."""

from __future__ import annotations

from dataclasses import dataclass

from kpo.engine.taxonomy import Domain


@dataclass(frozen=True)
class DomainProfile:
    titles: tuple[str, ...]
    specialities: tuple[str, ...]
    bachelor_fields: tuple[str, ...]
    master_fields: tuple[str, ...]
    phd_fields: tuple[str, ...]
    professional_field: str = ""  # a professional doctorate or licence typical of the domain
    professional_share: float = 0.0
    phd_share: float = 0.15


DOMAIN_PROFILES: dict[Domain, DomainProfile] = {
    Domain.FINANCIAL_CONSULTING: DomainProfile(
        titles=(
            "financial analyst",
            "management accountant",
            "tax consultant",
            "FP&A analyst",
            "audit associate",
        ),
        specialities=(
            "IFRS reporting",
            "cost modelling",
            "budgeting and forecasting",
            "transfer pricing",
            "working capital",
            "make-or-buy analysis",
            "credit analysis",
            "internal audit",
        ),
        bachelor_fields=("Commerce", "Accounting", "Economics", "Finance"),
        master_fields=("Finance", "Accounting and Auditing", "Business Administration (MBA)", "Economics"),
        phd_fields=("Finance", "Economics"),
    ),
    Domain.RESEARCH_DEVELOPMENT: DomainProfile(
        titles=("research scientist", "R&D engineer", "materials scientist", "postdoctoral researcher"),
        specialities=(
            "literature and patent reviews",
            "design of experiments",
            "materials testing",
            "tribology",
            "heat treatment of steels",
            "composite materials",
            "technology scouting",
        ),
        bachelor_fields=("Chemistry", "Physics", "Materials Engineering", "Mechanical Engineering"),
        master_fields=("Materials Science", "Chemical Engineering", "Applied Physics", "Biotechnology"),
        phd_fields=("Materials Science", "Metallurgy", "Applied Physics", "Chemistry"),
        phd_share=0.45,
    ),
    Domain.MANAGEMENT_CONSULTING: DomainProfile(
        titles=("management consultant", "operations analyst", "lean specialist", "business analyst"),
        specialities=(
            "lean manufacturing",
            "OEE improvement",
            "value-stream mapping",
            "Six Sigma",
            "S&OP",
            "supply-chain design",
            "process mining",
            "change management",
        ),
        bachelor_fields=(
            "Industrial Engineering",
            "Business Administration",
            "Economics",
            "Mechanical Engineering",
        ),
        master_fields=("Business Administration (MBA)", "Operations Management", "Supply Chain Management"),
        phd_fields=("Operations Research", "Management Science"),
        phd_share=0.08,
    ),
    Domain.TECHNICAL_ANALYSIS: DomainProfile(
        titles=("process engineer", "reliability engineer", "mechanical engineer", "quality engineer"),
        specialities=(
            "FMEA",
            "root-cause analysis",
            "finite-element analysis",
            "statistical process control",
            "changeover reduction (SMED)",
            "predictive maintenance",
            "gear and bearing design",
        ),
        bachelor_fields=("Mechanical Engineering", "Production Engineering", "Electrical Engineering"),
        master_fields=(
            "Mechanical Engineering",
            "Industrial Engineering",
            "Mechatronics",
            "Reliability Engineering",
        ),
        phd_fields=("Mechanical Engineering", "Tribology"),
    ),
    Domain.INVESTMENT_RESEARCH: DomainProfile(
        titles=(
            "equity research analyst",
            "investment analyst",
            "credit research analyst",
            "research associate",
        ),
        specialities=(
            "industrials",
            "renewable energy",
            "company valuation",
            "supplier financial health",
            "ESG research",
            "market sizing",
        ),
        bachelor_fields=("Economics", "Finance", "Commerce", "Mathematics"),
        master_fields=("Finance", "Financial Engineering", "Business Administration (MBA)"),
        phd_fields=("Finance", "Economics"),
        phd_share=0.1,
    ),
    Domain.LEGAL_SERVICES: DomainProfile(
        titles=("legal counsel", "contract manager", "compliance analyst", "associate lawyer", "paralegal"),
        specialities=(
            "EU product regulation",
            "commercial contracts",
            "data protection (GDPR)",
            "export control",
            "anti-money laundering",
            "employment law",
        ),
        bachelor_fields=("Law (LLB)", "Political Science"),
        master_fields=("Law (LLM)", "European Law", "International Business Law"),
        phd_fields=("Law",),
        professional_field="Law (admitted to the bar)",
        professional_share=0.45,
        phd_share=0.05,
    ),
    Domain.MEDICINE_HEALTHCARE: DomainProfile(
        titles=(
            "medical writer",
            "clinical research associate",
            "occupational health physician",
            "epidemiologist",
        ),
        specialities=(
            "occupational health",
            "ergonomics",
            "pharmacovigilance",
            "systematic reviews",
            "health economics",
            "clinical trial reporting",
        ),
        bachelor_fields=("Pharmacy", "Biomedical Science", "Nursing", "Physiotherapy"),
        master_fields=("Public Health (MPH)", "Clinical Research", "Pharmacology", "Ergonomics"),
        phd_fields=("Epidemiology", "Pharmacology", "Occupational Medicine"),
        professional_field="Medicine (MD)",
        professional_share=0.4,
        phd_share=0.2,
    ),
    Domain.DATA_ANALYSIS: DomainProfile(
        titles=("data analyst", "data scientist", "statistician", "analytics engineer", "BI developer"),
        specialities=(
            "time-series forecasting",
            "anomaly detection",
            "sensor data",
            "dashboards",
            "causal inference",
            "SQL and data modelling",
            "machine learning",
        ),
        bachelor_fields=("Statistics", "Computer Science", "Mathematics", "Electronics Engineering"),
        master_fields=("Data Science", "Statistics", "Computer Science", "Applied Mathematics"),
        phd_fields=("Statistics", "Computer Science"),
        phd_share=0.18,
    ),
}
