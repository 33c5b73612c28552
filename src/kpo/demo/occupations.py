"""The ESCO occupations demo experts are built from, and each occupation's skills.

Each domain names a few ESCO occupations by URI. An occupation's skills, most typical first:
- for the ICT occupations ESCO relates to skills (data scientist, data analyst, data quality
  specialist; `esco_ict_occupation_skills.csv`), ESCO's own related skills;
- for the others, ESCO ships no relation here, so they are derived from text: the skills of the
  domain's pool (kpo.demo.domains) whose text is most similar to the occupation's text (word TF-IDF
  cosine). Both lists are then ranked by that similarity, so the first `CORE` skills are the ones an
  expert of the occupation always holds and a task asking for the occupation's work requires.
Deterministic: ties break on skill id.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from kpo.engine.taxonomy import Domain

OCCUPATION = "http://data.europa.eu/esco/occupation/"
FINANCIAL_ANALYST = OCCUPATION + "8d586ee9-0ab1-4155-a3b0-2ca786c8e48c"
ACCOUNTANT = OCCUPATION + "eda0d957-3c3c-4139-b89a-a18bc9e18897"
CREDIT_ANALYST = OCCUPATION + "075e4d25-74b3-46fb-9b6e-6b53cdb196e7"
INVESTMENT_ANALYST = OCCUPATION + "b7f47c25-bdf3-42fa-a68e-ad32754b2dba"
MARKET_RESEARCH_ANALYST = OCCUPATION + "66fb9704-0d56-4673-8e69-7823816b73e1"
ECONOMIST = OCCUPATION + "99492920-e5a5-4dba-9e5a-93193147198c"
BUSINESS_ANALYST = OCCUPATION + "60082a99-d8ef-4e84-9290-78902681b6ed"
LEAN_MANAGER = OCCUPATION + "c9862fdd-53b7-4da9-b742-4302d704836c"
BUSINESS_CONSULTANT = OCCUPATION + "6a29d804-f775-446c-bec7-35fc4e28ac97"
PRODUCTION_ENGINEER = OCCUPATION + "d7380260-1386-4e36-98b5-8115ca4a3536"
MECHANICAL_ENGINEER = OCCUPATION + "579254cf-6d69-4889-9000-9c79dc568644"
INDUSTRIAL_ENGINEER = OCCUPATION + "53d2052f-edc0-4f44-8be1-164526412bfe"
METALLURGIST = OCCUPATION + "bcf8f332-c7e1-4a08-8651-28d668290eaf"
MATERIALS_ENGINEER = OCCUPATION + "4a375b68-88a0-4e5f-99ce-9b01341dfb81"
CHEMIST = OCCUPATION + "0d93706d-32fd-4de3-aa08-be1003e325da"
LEGAL_CONSULTANT = OCCUPATION + "31854d78-3615-43a4-aa3a-c597ecb20ceb"
CORPORATE_LAWYER = OCCUPATION + "fdfce14e-992d-4ff4-9f9d-7a353c75654e"
LAWYER = OCCUPATION + "974d4eab-fbee-4c52-b16e-73bdd8c25b53"
ERGONOMIST = OCCUPATION + "1d75ea5a-f902-4b47-8d63-5c6d2a5c0bb5"
EPIDEMIOLOGIST = OCCUPATION + "b73c752b-9858-4f53-82de-f3a340cbcae9"
MEDICAL_WRITER = OCCUPATION + "01d74409-5303-4b5c-8925-0cc21c4da8ee"
DATA_SCIENTIST = OCCUPATION + "258e46f9-0075-4a2e-adae-1ff0477e0f30"
DATA_ANALYST = OCCUPATION + "d3edb8f8-3a06-47a0-8fb9-9b212c006aa2"
DATA_QUALITY_SPECIALIST = OCCUPATION + "7086d0ca-1e77-4690-89c9-7ed1a0478fa3"
STATISTICIAN = OCCUPATION + "ac8b3cd1-a127-4e6a-8208-5cfcf7111955"

D = Domain
DOMAIN_OCCUPATIONS: dict[Domain, tuple[str, ...]] = {
    D.FINANCIAL_CONSULTING: (FINANCIAL_ANALYST, ACCOUNTANT, CREDIT_ANALYST),
    D.INVESTMENT_RESEARCH: (INVESTMENT_ANALYST, MARKET_RESEARCH_ANALYST, ECONOMIST),
    D.MANAGEMENT_CONSULTING: (BUSINESS_ANALYST, LEAN_MANAGER, BUSINESS_CONSULTANT),
    D.TECHNICAL_ANALYSIS: (PRODUCTION_ENGINEER, MECHANICAL_ENGINEER, INDUSTRIAL_ENGINEER),
    D.RESEARCH_DEVELOPMENT: (METALLURGIST, MATERIALS_ENGINEER, CHEMIST),
    D.LEGAL_SERVICES: (LEGAL_CONSULTANT, CORPORATE_LAWYER, LAWYER),
    D.MEDICINE_HEALTHCARE: (ERGONOMIST, EPIDEMIOLOGIST, MEDICAL_WRITER),
    D.DATA_ANALYSIS: (DATA_SCIENTIST, DATA_ANALYST, DATA_QUALITY_SPECIALIST, STATISTICIAN),
}
CORE = 8  # the skills every expert of an occupation holds
LISTED = 24  # how many skills an occupation lists
STOP = frozenset(
    (
        "and",
        "the",
        "for",
        "with",
        "from",
        "that",
        "this",
        "their",
        "they",
        "them",
        "such",
        "into",
        "onto",
        "other",
        "than",
        "within",
        "which",
        "who",
        "whom",
        "are",
        "was",
        "were",
        "been",
        "being",
        "has",
        "have",
        "had",
        "its",
        "also",
        "may",
        "can",
        "use",
        "used",
        "using",
        "all",
        "any",
        "",
    )
)


@dataclass(frozen=True)
class Occupation:
    id: int
    uri: str
    label: str
    skills: tuple[int, ...]  # most typical first; the first CORE are the core
    skill_labels: tuple[str, ...]

    @property
    def core(self) -> tuple[int, ...]:
        return self.skills[:CORE]


def ict_relations() -> dict[str, list[str]]:
    """ESCO's occupation -> related skill URIs for the ICT occupations the demo uses."""
    relations: dict[str, list[str]] = {}
    text = resources.files("kpo").joinpath("data", "esco_ict_occupation_skills.csv").read_text("utf-8")
    for row in csv.DictReader(text.splitlines()):
        relations.setdefault(row["occupation"], []).append(row["skill"])
    return relations


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in STOP]


class WordTfidf:
    """Word TF-IDF over a fixed corpus, cosine between texts."""

    def __init__(self, corpus: Iterable[str]) -> None:
        documents = [set(words(text)) for text in corpus]
        df = Counter(word for document in documents for word in document)
        total = len(documents) + 1
        self.idf = {word: math.log(total / (1 + count)) + 1.0 for word, count in df.items()}

    def vector(self, text: str) -> dict[str, float]:
        counts = Counter(words(text))
        vector = {w: (1 + math.log(c)) * self.idf.get(w, 1.0) for w, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {w: v / norm for w, v in vector.items()}

    @staticmethod
    def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
        small, large = (a, b) if len(a) <= len(b) else (b, a)
        return sum(v * large.get(w, 0.0) for w, v in small.items())


def rank_skills(
    occupation_text: str, candidates: Sequence[int], texts: Mapping[int, str], tfidf: WordTfidf
) -> list[int]:
    """`candidates` most similar to the occupation's text first (ties by id)."""
    query = tfidf.vector(occupation_text)
    scored = [(-relevance(query, tfidf.vector(texts[pk])), pk) for pk in candidates if pk in texts]
    return [pk for _, pk in sorted(scored)]


def relevance(query: Mapping[str, float], skill: Mapping[str, float]) -> float:
    """Cosine, times the share of the skill's weight on words the occupation's text uses: a skill naming
    another trade ("winery production process" for a production engineer) is pushed down."""
    covered = sum(value * value for word, value in skill.items() if word in query)
    return WordTfidf.cosine(query, skill) * covered * covered


def build_occupations(
    occupations: Mapping[str, tuple[int, str, str]],
    skills: Mapping[str, tuple[int, str, str]],
    skill_pools: Mapping[Domain, Sequence[int]],
) -> dict[Domain, list[Occupation]]:
    """Per domain, its occupations with their ranked skills.

    `occupations` and `skills`: {ESCO URI: (id, label, text)}. Occupations missing from the database
    are left out.
    """
    labels = {pk: label for pk, label, _ in skills.values()}
    texts = labels  # a skill's label says what it is; its description mentions much else
    id_of = {uri: pk for uri, (pk, _, _) in skills.items()}
    relations = ict_relations()
    result: dict[Domain, list[Occupation]] = {}
    for domain, uris in DOMAIN_OCCUPATIONS.items():
        pool = list(skill_pools.get(domain, ()))
        tfidf = WordTfidf(texts[pk] for pk in pool if pk in texts)
        found: list[Occupation] = []
        for uri in uris:
            if uri not in occupations:
                continue
            pk, label, text = occupations[uri]
            related = [id_of[s] for s in relations.get(uri, ()) if s in id_of]
            ranked = rank_skills(text, sorted(set(related)) if related else pool, texts, tfidf)[:LISTED]
            found.append(Occupation(pk, uri, label, tuple(ranked), tuple(labels[s] for s in ranked)))
        result[domain] = found
    return result
