"""The engagements and tasks of the demo world, as data.

Each task names the lifecycle path it has taken (the states after `draft`), so the seed can replay it
through the engine's state machine and record one TaskTransition per step.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpo.demo.occupations import (
    BUSINESS_ANALYST,
    BUSINESS_CONSULTANT,
    CORPORATE_LAWYER,
    CREDIT_ANALYST,
    DATA_ANALYST,
    DATA_QUALITY_SPECIALIST,
    DATA_SCIENTIST,
    ECONOMIST,
    EPIDEMIOLOGIST,
    ERGONOMIST,
    FINANCIAL_ANALYST,
    INVESTMENT_ANALYST,
    LEAN_MANAGER,
    LEGAL_CONSULTANT,
    MATERIALS_ENGINEER,
    MECHANICAL_ENGINEER,
    METALLURGIST,
    PRODUCTION_ENGINEER,
    STATISTICIAN,
)
from kpo.demo.organisations import BANK, CAPTIVE, FREELANCE, INDIA, MANUFACTURER, POLAND
from kpo.engine.lifecycle import TaskState
from kpo.engine.taxonomy import Domain

S = TaskState
SUBMITTED = (S.SUBMITTED,)
STAFFING = (*SUBMITTED, S.STAFFING)
IN_PROGRESS = (*STAFFING, S.IN_PROGRESS)
IN_REVIEW = (*IN_PROGRESS, S.IN_REVIEW)
DELIVERED = (*IN_REVIEW, S.DELIVERED)
CHANGES_REQUESTED = (*DELIVERED, S.CHANGES_REQUESTED)
ACCEPTED = (*DELIVERED, S.ACCEPTED)
ACCEPTED_AFTER_RETURN = (*IN_REVIEW, S.IN_PROGRESS, S.IN_REVIEW, S.DELIVERED, S.ACCEPTED)
ACCEPTED_AFTER_CHANGES = (*CHANGES_REQUESTED, S.IN_PROGRESS, S.IN_REVIEW, S.DELIVERED, S.ACCEPTED)
ON_HOLD = (*IN_PROGRESS, S.ON_HOLD)
RESUMED = (*IN_PROGRESS, S.ON_HOLD, S.IN_PROGRESS)
CANCELLED = (*STAFFING, S.CANCELLED)
DRAFT: tuple[TaskState, ...] = ()


@dataclass(frozen=True)
class TaskSpec:
    title: str
    description: str
    path: tuple[TaskState, ...]
    effort_hours: int
    occupation: str  # ESCO URI of the occupation whose work it is (kpo.demo.task_skills)
    skills: int = 2  # how many of that occupation's core skills it asks for
    priority: str = "normal"
    min_degree: str = "master"
    danish: bool = False  # the task also needs Danish
    comment: str = ""  # why: for a hold, a cancellation, a return or a change request
    sla: str = ""  # "at_risk" or "breached": the delivery clock kpo.demo.sla sets so


@dataclass(frozen=True)
class EngagementSpec:
    client: str
    provider: str
    domain: Domain
    title: str
    objective: str
    budget: int
    started_days_ago: int
    tasks: tuple[TaskSpec, ...]
    kind: str = "one_off"
    pricing_model: str = "time_and_materials"
    confidentiality: str = "confidential"
    # named accounts who work on it; others are picked from the provider's experts
    maker: str = ""
    reviewer: str = ""


ENGAGEMENTS: tuple[EngagementSpec, ...] = (
    EngagementSpec(
        MANUFACTURER,
        INDIA,
        Domain.MANAGEMENT_CONSULTING,
        "Production efficiency programme — Aalborg gearbox plant",
        "Raise overall equipment effectiveness (OEE) on the Aalborg gear-cutting and "
        "assembly lines from 61% to "
        "75% within twelve months, by finding where time and material are lost and "
        "proposing changes the plant "
        "can make itself.",
        1_200_000,
        120,
        (
            TaskSpec(
                "OEE baseline for gear-cutting line 2",
                "Compute availability, performance and quality for line 2 from the MES export "
                "(January to June), "
                "split by machine and shift, and explain the three largest losses.",
                ACCEPTED_AFTER_RETURN,
                40,
                LEAN_MANAGER,
                skills=3,
                priority="high",
                comment="Please separate planned stops from breakdowns before the availability figure.",
            ),
            TaskSpec(
                "Value-stream map of the planetary-gearbox assembly",
                "Map the current state from goods receipt of ring gears to shipping, with cycle times, "
                "inventories and waiting times, and propose a future-state map.",
                DELIVERED,
                32,
                BUSINESS_ANALYST,
                skills=3,
            ),
            TaskSpec(
                "Changeover time study on hobbing machines (SMED)",
                "Analyse twelve filmed changeovers on the Gleason hobbing machines and separate "
                "internal from "
                "external work; estimate the achievable changeover time.",
                IN_REVIEW,
                24,
                LEAN_MANAGER,
                skills=3,
            ),
            TaskSpec(
                "Root causes of scrap in heat-treated ring gears",
                "Scrap after heat treatment doubled in Q2. Find the likely causes from furnace logs, "
                "metallurgy reports and measurement data, ranked by evidence.",
                IN_PROGRESS,
                36,
                LEAN_MANAGER,
                skills=3,
                priority="urgent",
            ),
            TaskSpec(
                "Shift-pattern and staffing analysis for the night shift",
                "Compare output per hour on the night shift with day shifts and model two alternative "
                "shift patterns, with the effect on overtime cost.",
                CHANGES_REQUESTED,
                20,
                BUSINESS_ANALYST,
                skills=3,
                danish=True,
                comment=(
                    "The model should use the collective agreement's night-shift supplement, not a flat rate."
                ),
            ),
            TaskSpec(
                "Spare-parts inventory and maintenance backlog review",
                "Classify 3,400 spare parts by criticality and usage and size the maintenance backlog.",
                ON_HOLD,
                28,
                LEAN_MANAGER,
                comment=(
                    "Waiting for the export from the maintenance system; IT expects it after the upgrade."
                ),
            ),
            TaskSpec(
                "Benchmark OEE against published wind-industry peers",
                "Collect published OEE and productivity figures of drivetrain makers for comparison.",
                CANCELLED,
                12,
                BUSINESS_CONSULTANT,
                priority="low",
                comment="Covered by the supplier-landscape engagement instead.",
            ),
            TaskSpec(
                "Kaizen workshop pack for line supervisors",
                "Prepare a two-day kaizen workshop: agenda, exercises on the line's own data, and a "
                "follow-up template.",
                STAFFING,
                16,
                LEAN_MANAGER,
            ),
            TaskSpec(
                "Energy use per gearbox: baseline and savings options",
                "Estimate kWh per gearbox by process step from meter data and list savings options with "
                "payback times.",
                SUBMITTED,
                24,
                LEAN_MANAGER,
            ),
            TaskSpec(
                "Improvement roadmap and business case for the board",
                "Combine the findings into a twelve-month roadmap with costs, savings and risks for the "
                "board meeting in March.",
                DRAFT,
                30,
                BUSINESS_CONSULTANT,
                skills=3,
                priority="high",
            ),
        ),
        kind="recurring",
        maker="carol",
        reviewer="rita",
    ),
    EngagementSpec(
        MANUFACTURER,
        POLAND,
        Domain.DATA_ANALYSIS,
        "Machine-sensor analytics for unplanned downtime",
        "Use 18 months of vibration, temperature and spindle-load data from the gear-cutting machines to "
        "predict unplanned stops early enough to plan maintenance.",
        650_000,
        90,
        (
            TaskSpec(
                "Clean and align 18 months of spindle vibration data",
                "Merge the historian exports for 14 machines, fix clock drift and gaps, and "
                "document the data set.",
                ACCEPTED,
                40,
                DATA_QUALITY_SPECIALIST,
            ),
            TaskSpec(
                "Forecast of bearing failures, line 1",
                "Fit and compare survival models for spindle bearings and report expected "
                "failures per quarter.",
                IN_REVIEW,
                32,
                STATISTICIAN,
                min_degree="phd",
            ),
            TaskSpec(
                "Downtime anomaly model for hobbing machines",
                "Build an anomaly detector on the cleaned data and estimate how many stops it would have "
                "flagged at least 24 hours ahead.",
                RESUMED,
                60,
                DATA_SCIENTIST,
                skills=3,
                priority="high",
                comment="Paused while the plant replaced two sensors; the new data is now in.",
            ),
            TaskSpec(
                "Downtime dashboard for plant management",
                "Design a one-page dashboard of downtime by cause, machine and shift for the "
                "morning meeting.",
                SUBMITTED,
                20,
                DATA_ANALYST,
                danish=True,
            ),
        ),
    ),
    EngagementSpec(
        MANUFACTURER,
        CAPTIVE,
        Domain.TECHNICAL_ANALYSIS,
        "Hydraulic press line: FMEA and changeover engineering",
        "Reduce breakdowns and changeover time on press line P3 through a process FMEA and engineering "
        "changes to tooling and hydraulics.",
        480_000,
        150,
        (
            TaskSpec(
                "Process FMEA for press line P3",
                "Run a process FMEA with the plant's maintenance lead and rank failure modes by "
                "risk priority.",
                DELIVERED,
                36,
                PRODUCTION_ENGINEER,
                skills=3,
            ),
            TaskSpec(
                "Tooling changeover drawings review",
                "Review the drawings for quick-change die clamps and list what must change for a ten-minute "
                "changeover.",
                ACCEPTED,
                24,
                MECHANICAL_ENGINEER,
            ),
            TaskSpec(
                "Hydraulic leak root-cause analysis",
                "Analyse 40 leak incidents from the maintenance log and the pressure records.",
                IN_PROGRESS,
                28,
                MECHANICAL_ENGINEER,
                skills=3,
            ),
            TaskSpec(
                "Finite-element check of the new die clamp",
                "Check stresses and deflection of the proposed die clamp under the maximum press force.",
                STAFFING,
                20,
                MECHANICAL_ENGINEER,
                min_degree="master",
            ),
        ),
        kind="recurring",
    ),
    EngagementSpec(
        MANUFACTURER,
        INDIA,
        Domain.FINANCIAL_CONSULTING,
        "Make-or-buy and landed-cost model for cast housings",
        "Decide whether to keep casting gearbox housings in-house or buy them, on total "
        "landed cost and risk.",
        350_000,
        75,
        (
            TaskSpec(
                "Landed-cost model: in-house foundry vs. three suppliers",
                "Build a landed-cost model with freight, duties, inventory carrying cost and quality cost.",
                ACCEPTED_AFTER_CHANGES,
                40,
                FINANCIAL_ANALYST,
                skills=3,
                comment="Add the carrying cost of the safety stock the suppliers would require.",
            ),
            TaskSpec(
                "Sensitivity analysis on steel and energy prices",
                "Show how the make-or-buy answer changes with scrap-steel and electricity prices.",
                DELIVERED,
                16,
                FINANCIAL_ANALYST,
            ),
            TaskSpec(
                "Capex and payback for a second heat-treatment furnace",
                "Estimate investment, running costs and payback of a second furnace against outsourcing.",
                IN_PROGRESS,
                24,
                FINANCIAL_ANALYST,
            ),
        ),
        reviewer="rita",
    ),
    EngagementSpec(
        MANUFACTURER,
        FREELANCE,
        Domain.INVESTMENT_RESEARCH,
        "Supplier landscape: European castings and forgings makers",
        "Find alternative suppliers of castings and forgings and judge their financial health before any "
        "tender.",
        220_000,
        60,
        (
            TaskSpec(
                "Long list of 40 castings suppliers with financial health scores",
                "From annual reports and registries, score 40 suppliers on liquidity, leverage and capacity.",
                ACCEPTED,
                32,
                INVESTMENT_ANALYST,
                skills=3,
            ),
            TaskSpec(
                "Deep dives on five shortlisted suppliers",
                "Two-page profiles with ownership, financials, customers and risks for the shortlist.",
                IN_REVIEW,
                30,
                INVESTMENT_ANALYST,
            ),
            TaskSpec(
                "Price-index outlook for ductile iron castings",
                "Summarise price drivers and published forecasts for the next eight quarters.",
                SUBMITTED,
                12,
                ECONOMIST,
                priority="low",
            ),
        ),
        pricing_model="fixed_fee",
    ),
    EngagementSpec(
        MANUFACTURER,
        FREELANCE,
        Domain.LEGAL_SERVICES,
        "EU Machinery Regulation (EU) 2023/1230 readiness review",
        "Check that Nordvind's technical files, declarations and supplier contracts are ready for the new "
        "Machinery Regulation, applicable from January 2027.",
        180_000,
        45,
        (
            TaskSpec(
                "Gap analysis of technical files against the new Regulation",
                "Compare three representative technical files with the Regulation's requirements.",
                DELIVERED,
                30,
                LEGAL_CONSULTANT,
                skills=3,
                min_degree="professional",
            ),
            TaskSpec(
                "Supplier contract clauses for safety components",
                "Draft model clauses on conformity, documentation and liability for "
                "safety-component suppliers.",
                CHANGES_REQUESTED,
                18,
                CORPORATE_LAWYER,
                danish=True,
                comment="Please align the liability cap with our standard purchasing terms (NL 17).",
            ),
            TaskSpec(
                "Training note for design engineers",
                "A four-page note for engineers on what changes in their daily work.",
                DRAFT,
                8,
                LEGAL_CONSULTANT,
                priority="low",
            ),
        ),
        pricing_model="fixed_fee",
        confidentiality="internal",
    ),
    EngagementSpec(
        MANUFACTURER,
        POLAND,
        Domain.RESEARCH_DEVELOPMENT,
        "Literature and patent review: low-distortion heat treatment of gear steel",
        "Find proven ways to reduce distortion in case-hardened ring gears, to cut grinding time and scrap.",
        300_000,
        100,
        (
            TaskSpec(
                "Patent landscape 2015-2026 for low-pressure carburising",
                "Search and cluster patents on low-pressure carburising and gas quenching of gears.",
                ACCEPTED,
                36,
                MATERIALS_ENGINEER,
                min_degree="phd",
            ),
            TaskSpec(
                "Review of published distortion studies",
                "Summarise experimental studies on distortion of case-hardened gears and their conditions.",
                IN_PROGRESS,
                40,
                METALLURGIST,
                min_degree="phd",
            ),
            TaskSpec(
                "Design of experiments for furnace trials",
                "Propose a fractional-factorial trial plan for the plant's furnace with expected "
                "effect sizes.",
                ON_HOLD,
                20,
                MATERIALS_ENGINEER,
                comment="On hold until the furnace maintenance window is confirmed.",
            ),
        ),
        confidentiality="restricted",
    ),
    EngagementSpec(
        MANUFACTURER,
        FREELANCE,
        Domain.MEDICINE_HEALTHCARE,
        "Occupational-health review of manual assembly stations",
        "Reduce musculoskeletal strain and sick leave at the manual assembly stations.",
        150_000,
        40,
        (
            TaskSpec(
                "Literature review: musculoskeletal strain and rotating shifts",
                "Summarise the evidence on job rotation and strain in repetitive assembly work.",
                ACCEPTED,
                20,
                EPIDEMIOLOGIST,
            ),
            TaskSpec(
                "Ergonomic risk assessment of ten assembly stations",
                "Assess ten stations from video and measurements with a recognised method.",
                IN_REVIEW,
                28,
                ERGONOMIST,
                min_degree="professional",
            ),
            TaskSpec(
                "Recommendations for job rotation",
                "Turn the findings into a rotation scheme the supervisors can run.",
                STAFFING,
                12,
                ERGONOMIST,
            ),
        ),
    ),
    # The bank's data residency keeps every expert of the Indian provider out, on purpose. Its running
    # tasks are the late ones too: a due date that leaves no time lets nobody pass matching's capacity rule.
    EngagementSpec(
        BANK,
        INDIA,
        Domain.FINANCIAL_CONSULTING,
        "Kystbanken: IFRS 9 expected-credit-loss model validation",
        "Independent validation of Kystbanken's IFRS 9 expected-credit-loss models for "
        "SME and mortgage loans.",
        900_000,
        80,
        (
            TaskSpec(
                "Stage 2 transfer criteria benchmark",
                "Compare Kystbanken's significant-increase-in-credit-risk criteria with published practice.",
                ACCEPTED,
                24,
                CREDIT_ANALYST,
            ),
            TaskSpec(
                "Back-test of PD models for SME loans",
                "Back-test probability-of-default models on five years of SME defaults.",
                IN_PROGRESS,
                48,
                CREDIT_ANALYST,
                skills=3,
                min_degree="phd",
                sla="breached",
            ),
            TaskSpec(
                "Validation report for the Finanstilsynet review",
                "Write the validation report in the supervisor's expected structure.",
                IN_PROGRESS,
                30,
                CREDIT_ANALYST,
                danish=True,
                sla="at_risk",
            ),
        ),
        confidentiality="restricted",
    ),
    EngagementSpec(
        BANK,
        POLAND,
        Domain.DATA_ANALYSIS,
        "Kystbanken: AML transaction-monitoring alert tuning",
        "Cut false-positive anti-money-laundering alerts without missing true cases.",
        750_000,
        70,
        (
            TaskSpec(
                "False-positive analysis of Kystbanken's 2025 AML alerts",
                "Analyse 2025's closed alerts by scenario and find those that never led to a report.",
                DELIVERED,
                36,
                DATA_ANALYST,
            ),
            TaskSpec(
                "Threshold simulation for cash-deposit scenarios",
                "Simulate alert volumes and detection at alternative thresholds.",
                IN_PROGRESS,
                32,
                STATISTICIAN,
            ),
            TaskSpec(
                "Data-quality review of the customer risk feed",
                "Check completeness and consistency of the customer risk-rating feed.",
                DRAFT,
                16,
                DATA_QUALITY_SPECIALIST,
            ),
        ),
        confidentiality="restricted",
    ),
)

MESSAGES: tuple[tuple[str, str], ...] = (
    (
        "client",
        "Welcome aboard. The brief and the data are attached to the task; ask here if anything is unclear.",
    ),
    ("maker", "Thanks. Which period should the analysis cover, and are there known gaps in the data?"),
    ("client", "The full period in the brief. Known gaps are listed on the second sheet."),
    ("maker", "First results are in; a draft goes to internal review this week."),
    ("client", "Good. Please keep amounts in DKK and use our own names for sites and systems."),
)
TIME_ENTRY_NOTES: tuple[str, ...] = (
    "Reading the brief and the data",
    "Data extraction and cleaning",
    "Analysis",
    "Call with the client's team",
    "Drafting the report",
    "Revisions after review",
)
