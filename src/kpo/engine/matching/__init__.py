"""Matching experts to tasks: eligibility rules, scoring, the shortlist (pure Python + numpy).

index = ExpertIndex.build(records)            # once, from ExpertRecords
result = shortlist(index, task, weights, affinities, n=10)
result.entries                                  # ranked, with components and explanations
result.pool_report.message()                    # how the rules narrowed (or emptied) the pool
why_not(index, task, expert_id)                 # the rules one expert fails
"""

from kpo.engine.matching.index import ExpertIndex
from kpo.engine.matching.requirements import (
    ExpertRecord,
    TaskRequirements,
    cefr_index,
    degree_rank,
    window_weeks,
    working_window_utc,
)
from kpo.engine.matching.rules import (
    DEFAULT_RULES,
    ActiveRule,
    CapacityRule,
    DegreeRule,
    DomainRule,
    EligibilityRule,
    ExpertSetRule,
    InternalStaffRule,
    LanguagesRule,
    OrganisationRule,
    PoolReport,
    RuleCount,
    RuleFailure,
    SkillsRule,
    eligibility,
)
from kpo.engine.matching.scoring import (
    COMPONENTS,
    Explanation,
    ExplanationLine,
    ScoreWeights,
    score_record,
)
from kpo.engine.matching.shortlist import (
    Assessment,
    Ranking,
    Shortlist,
    ShortlistEntry,
    affinities_from,
    assess,
    ranking,
    reference_shortlist,
    shortlist,
    why_not,
)

__all__ = [
    "COMPONENTS",
    "DEFAULT_RULES",
    "ActiveRule",
    "Assessment",
    "CapacityRule",
    "DegreeRule",
    "DomainRule",
    "EligibilityRule",
    "ExpertIndex",
    "ExpertRecord",
    "ExpertSetRule",
    "Explanation",
    "ExplanationLine",
    "InternalStaffRule",
    "LanguagesRule",
    "OrganisationRule",
    "PoolReport",
    "Ranking",
    "RuleCount",
    "RuleFailure",
    "ScoreWeights",
    "Shortlist",
    "ShortlistEntry",
    "SkillsRule",
    "TaskRequirements",
    "affinities_from",
    "assess",
    "cefr_index",
    "degree_rank",
    "eligibility",
    "ranking",
    "reference_shortlist",
    "score_record",
    "shortlist",
    "why_not",
    "window_weeks",
    "working_window_utc",
]
