"""Demo occupations: skills ranked from ESCO's relations or from text, deterministic; tasks ask for core
skills of the occupation named for them unless too few could do it; experts hold their occupation's core
and a headline that names it."""

from __future__ import annotations

import random
from datetime import date

from kpo.demo.experts import HEADLINE_MAX, _headline, generate_experts
from kpo.demo.occupations import CORE, DATA_ANALYST, LEGAL_CONSULTANT, build_occupations, ict_relations
from kpo.demo.task_skills import ENOUGH, Choice, asked_skills, choose, in_preference
from kpo.engine.taxonomy import Domain

LAW = LEGAL_CONSULTANT
DATA = DATA_ANALYST  # ESCO relates skills to it
LABELS = [
    "contract law",
    "EU law",
    "winery production process",
    "advise on legal decisions",
    "comply with legal regulations",
    "legal case management",
    "family law",
    "perform legal research",
    "draft legal documents",
    "present legal arguments",
    "tax legislation",
    "bake bread",
]


def _world() -> tuple[dict[str, tuple[int, str, str]], dict[str, tuple[int, str, str]]]:
    occupations = {
        LAW: (1, "legal consultant", "Legal consultants advise on legal decisions, law and regulations."),
        DATA: (2, "data analyst", "Data analysts import, inspect, clean and model data."),
    }
    skills = {f"skill/{pk}": (pk, label, "") for pk, label in enumerate(LABELS, start=10)}
    related = ict_relations()[DATA]
    skills |= {uri: (100 + n, f"data skill {n}", "") for n, uri in enumerate(related)}
    return occupations, skills


def test_occupation_skills_come_from_esco_relations_or_from_text_and_are_deterministic() -> None:
    occupations, skills = _world()
    pools = {Domain.LEGAL_SERVICES: [10 + n for n in range(len(LABELS))]}
    built = build_occupations(occupations, skills, pools)
    assert built == build_occupations(occupations, skills, pools)
    (legal,) = built[Domain.LEGAL_SERVICES]
    assert legal.label == "legal consultant" and len(legal.core) == CORE
    core = {LABELS[pk - 10] for pk in legal.core}
    assert "advise on legal decisions" in core and "comply with legal regulations" in core
    assert "bake bread" not in core and "winery production process" not in core
    (analyst,) = built[Domain.DATA_ANALYSIS]
    assert set(analyst.skills) <= {pk for pk, _, _ in skills.values() if pk >= 100}  # ESCO's own relations


def test_a_task_takes_the_named_occupation_unless_too_few_could_do_it() -> None:
    occupations, skills = _world()
    built = build_occupations(occupations, skills, {Domain.LEGAL_SERVICES: list(range(10, 22))})
    (legal,) = built[Domain.LEGAL_SERVICES]
    (analyst,) = built[Domain.DATA_ANALYSIS]
    assert in_preference(DATA, [legal, analyst]) == [analyst, legal]
    asked = asked_skills(legal, [3, 4], random.Random(1))
    assert set(asked) <= set(legal.core) and sorted(asked.values()) == [3, 4]
    assert [legal.core.index(skill) for skill in asked] == sorted(legal.core.index(s) for s in asked)
    few, enough, most = (
        Choice(legal, asked, ENOUGH - 1, 9),
        Choice(analyst, {}, ENOUGH, 9),
        Choice(legal, {}, 40, 40),
    )
    assert choose([few, enough, most]) is enough  # the first with enough, not the most
    assert choose([few, Choice(analyst, {}, 2, 9)]) is few  # none has enough: the most
    nobody = Choice(legal, asked, 0, 0)
    assert choose([nobody, Choice(analyst, {}, 0, 3)]).holders == 3  # nobody today: skills someone holds


def test_generated_experts_hold_their_occupations_core_and_name_it() -> None:
    occupations, skills = _world()
    built = build_occupations(occupations, skills, {Domain.LEGAL_SERVICES: list(range(10, 22))})
    pools = {domain: list(range(10, 22)) for domain in Domain}
    by_id = {o.id: o for listed in built.values() for o in listed}
    for spec in generate_experts(60, 3, pools, built, today=date(2026, 11, 23)):
        if spec.occupation_id is None:
            continue
        occupation = by_id[spec.occupation_id]
        assert occupation.label in spec.headline.lower()
        assert set(occupation.core) <= {skill for skill, _ in spec.skills}
        assert 2 <= len(spec.samples) <= 3
        assert len(spec.headline) <= HEADLINE_MAX


def test_a_headline_fits_its_field() -> None:
    assert _headline("Data analyst", ["x" * 150, "y" * 150]) == "Data analyst — " + "x" * 150
    assert len(_headline("word " * 60, ["a"])) <= HEADLINE_MAX
