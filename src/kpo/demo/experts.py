"""Generate many plausible experts from one seed and write them with bulk inserts.

`generate_experts` is pure: it reads no database and no clock, and all its randomness comes from
`random.Random(seed)`, so the same arguments give the same experts. `write_experts` stores them.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import accumulate
from typing import Generic, TypeVar

from kpo.demo.countries import COUNTRIES, FREELANCE_COUNTRY_WEIGHTS
from kpo.demo.names import FIRST_NAMES, LAST_NAMES
from kpo.demo.occupations import Occupation
from kpo.demo.organisations import (
    CAPTIVE,
    FREELANCE,
    INDIA,
    MANUFACTURER,
    ORG_BY_SLUG,
    POLAND,
    PROVIDER_SLUGS,
)
from kpo.demo.profiles import DOMAIN_PROFILES
from kpo.engine.taxonomy import DOMAIN_LABELS, DegreeLevel, Domain

T = TypeVar("T")

PROVIDER_WEIGHTS: dict[str, int] = {INDIA: 38, FREELANCE: 34, POLAND: 16, CAPTIVE: 12}
D = Domain
DOMAIN_WEIGHTS: dict[str, dict[Domain, int]] = {
    INDIA: {
        D.FINANCIAL_CONSULTING: 20,
        D.INVESTMENT_RESEARCH: 15,
        D.DATA_ANALYSIS: 18,
        D.MANAGEMENT_CONSULTING: 14,
        D.MEDICINE_HEALTHCARE: 10,
        D.LEGAL_SERVICES: 8,
        D.TECHNICAL_ANALYSIS: 8,
        D.RESEARCH_DEVELOPMENT: 7,
    },
    POLAND: {
        D.DATA_ANALYSIS: 30,
        D.TECHNICAL_ANALYSIS: 20,
        D.RESEARCH_DEVELOPMENT: 15,
        D.MANAGEMENT_CONSULTING: 15,
        D.FINANCIAL_CONSULTING: 10,
        D.INVESTMENT_RESEARCH: 4,
        D.LEGAL_SERVICES: 3,
        D.MEDICINE_HEALTHCARE: 3,
    },
    CAPTIVE: {
        D.TECHNICAL_ANALYSIS: 30,
        D.MANAGEMENT_CONSULTING: 25,
        D.DATA_ANALYSIS: 20,
        D.FINANCIAL_CONSULTING: 15,
        D.RESEARCH_DEVELOPMENT: 5,
        D.LEGAL_SERVICES: 3,
        D.INVESTMENT_RESEARCH: 1,
        D.MEDICINE_HEALTHCARE: 1,
    },
    FREELANCE: dict.fromkeys(Domain, 10),
    MANUFACTURER: {
        D.TECHNICAL_ANALYSIS: 35,
        D.MANAGEMENT_CONSULTING: 25,
        D.RESEARCH_DEVELOPMENT: 20,
        D.DATA_ANALYSIS: 20,
    },
}

# Hourly cost for a mid-career master's graduate at each provider, and the margin it bills at.
PROVIDER_COST: dict[str, tuple[str, int, int]] = {
    INDIA: ("INR", 1200, 3200),
    POLAND: ("PLN", 110, 240),
    CAPTIVE: ("PHP", 650, 1700),
    MANUFACTURER: ("DKK", 420, 780),
}
MARGIN: dict[str, tuple[float, float]] = {
    INDIA: (1.6, 2.2),
    POLAND: (1.4, 1.8),
    CAPTIVE: (1.1, 1.3),  # cost-plus transfer pricing inside the group
    FREELANCE: (1.2, 1.35),  # the pool's fee
    MANUFACTURER: (1.0, 1.0),  # internal staff are charged at cost
}
ROUNDING: dict[str, int] = {"INR": 50, "PHP": 50, "DKK": 5, "PLN": 5}
CAPACITY: dict[str, tuple[str, ...]] = {
    INDIA: ("40.0", "45.0"),
    POLAND: ("40.0",),
    CAPTIVE: ("40.0",),
    FREELANCE: ("10.0", "15.0", "20.0", "25.0", "30.0", "37.5", "40.0"),
    MANUFACTURER: ("7.5", "10.0", "15.0"),
}
COUNTRY_OF_PROVIDER: dict[str, str] = {INDIA: "IN", POLAND: "PL", CAPTIVE: "PH", MANUFACTURER: "DK"}
STUDY_ABROAD: tuple[str, ...] = ("GB", "US", "DE", "DK", "NL")
VERIFICATION_WEIGHTS: dict[str, int] = {"verified": 62, "pending": 14, "unverified": 20, "rejected": 4}
ENGLISH_LEVELS: dict[str, int] = {"C2": 25, "C1": 45, "B2": 25, "B1": 5}
FOREIGN_LEVELS: dict[str, int] = {"A2": 15, "B1": 35, "B2": 35, "C1": 15}
PROFICIENCY_WEIGHTS: dict[int, int] = {2: 15, 3: 35, 4: 35, 5: 15}
# Share of a provider's experts who speak Danish (they serve the Danish clients), and of its seniors
# cleared for restricted material.
DANISH_SHARE: dict[str, float] = {INDIA: 0.08, POLAND: 0.15, FREELANCE: 0.06, CAPTIVE: 0.04}
RESTRICTED_SHARE = 0.5
RESTRICTED_FROM_YEARS = 6
# Second languages that are common in a country, with the share of experts who speak one.
SECOND_LANGUAGES: dict[str, tuple[tuple[str, ...], float]] = {
    "DK": (("de", "sv", "no"), 0.35),
    "PL": (("de", "da", "ru"), 0.25),
    "DE": (("fr", "es"), 0.25),
    "NL": (("de", "fr"), 0.4),
    "ES": (("fr", "pt"), 0.2),
    "PT": (("es", "fr"), 0.3),
    "RO": (("fr", "it"), 0.25),
    "UA": (("pl", "de"), 0.25),
    "EG": (("fr",), 0.15),
    "AR": (("pt", "it"), 0.15),
    "BR": (("es",), 0.3),
    "IN": (("de", "fr"), 0.05),
    "PH": (("es", "ja"), 0.05),
}
ASCII_FOLD = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "æ": "ae", "ß": "ss"})


@dataclass(frozen=True)
class DegreeSpec:
    level: str
    field: str
    institution: str
    year: int
    verification_status: str


@dataclass(frozen=True)
class EmploymentSpec:
    employer: str
    title: str
    start: date
    end: date | None
    employer_slug: str = ""  # set when the employer is an organisation of the demo world


@dataclass(frozen=True)
class ExpertSpec:
    index: int
    username: str
    first_name: str
    last_name: str
    email: str
    organisation: str  # slug
    internal: bool
    reviewer: bool
    active: bool
    headline: str
    biography: str
    country: str
    time_zone: str
    weekly_capacity_hours: Decimal
    cost_rate: Decimal
    bill_rate: Decimal
    rate_currency: str
    occupation_id: int | None
    domains: tuple[str, ...]
    languages: tuple[tuple[str, str], ...]
    skills: tuple[tuple[int, int], ...]  # (EscoSkill id, proficiency)
    degrees: tuple[DegreeSpec, ...]
    employments: tuple[EmploymentSpec, ...]
    clearance: str = "confidential"
    samples: tuple[tuple[str, str], ...] = ()  # work samples: (title, abstract)


class Weighted(Generic[T]):
    """A weighted choice with its cumulative weights computed once."""

    def __init__(self, weights: Mapping[T, int]) -> None:
        self.items: list[T] = list(weights)
        self.cumulative: list[int] = list(accumulate(weights.values()))

    def pick(self, rng: random.Random) -> T:
        return rng.choices(self.items, cum_weights=self.cumulative)[0]


PROVIDERS = Weighted(PROVIDER_WEIGHTS)
FREELANCE_COUNTRIES = Weighted(FREELANCE_COUNTRY_WEIGHTS)
DOMAINS_BY_ORG: dict[str, Weighted[Domain]] = {slug: Weighted(w) for slug, w in DOMAIN_WEIGHTS.items()}
VERIFICATION = Weighted(VERIFICATION_WEIGHTS)
ENGLISH = Weighted(ENGLISH_LEVELS)
FOREIGN = Weighted(FOREIGN_LEVELS)
PROFICIENCY = Weighted(PROFICIENCY_WEIGHTS)


def internal_count(total: int) -> int:
    """How many of `total` experts are the manufacturer's own staff."""
    return max(1, min(8, total // 250))


def username_for(index: int) -> str:
    return f"expert-{index:06d}"


def ascii_slug(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.translate(ASCII_FOLD))
    kept = "".join(ch for ch in folded if ch.isascii() and (ch.isalnum() or ch in " -'"))
    return "-".join(kept.lower().replace("'", "").split())


def generate_experts(
    total: int,
    seed: int,
    skill_pools: Mapping[Domain, Sequence[int]],
    occupations: Mapping[Domain, Sequence[Occupation]] | None = None,
    *,
    today: date,
) -> Iterator[ExpertSpec]:
    """Yield `total` experts: most at the four providers, the last few internal to the manufacturer;
    their careers run up to `today`."""
    rng = random.Random(seed)
    providers_total = total - internal_count(total)
    for index in range(1, total + 1):
        if index > providers_total:
            organisation = MANUFACTURER
        elif index <= 2 * len(PROVIDER_SLUGS):
            organisation = PROVIDER_SLUGS[(index - 1) % len(PROVIDER_SLUGS)]  # every provider gets some
        else:
            organisation = PROVIDERS.pick(rng)
        yield _expert(rng, index, organisation, skill_pools, occupations or {}, today)


def _expert(
    rng: random.Random,
    index: int,
    organisation: str,
    skill_pools: Mapping[Domain, Sequence[int]],
    occupations: Mapping[Domain, Sequence[Occupation]],
    today: date,
) -> ExpertSpec:
    internal = organisation == MANUFACTURER
    code = COUNTRY_OF_PROVIDER.get(organisation) or FREELANCE_COUNTRIES.pick(rng)
    country = COUNTRIES[code]
    first_name = rng.choice(FIRST_NAMES[code])
    last_name = rng.choice(LAST_NAMES[code])
    time_zone = country.time_zones[0] if len(country.time_zones) == 1 else rng.choice(country.time_zones)
    domains = _domains(rng, organisation)
    profile = DOMAIN_PROFILES[domains[0]]
    experience = int(rng.triangular(1, 28, 7))
    degrees = _degrees(rng, code, domains[0], experience, internal, today)
    candidates = occupations.get(domains[0]) or ()
    occupation = rng.choice(candidates) if candidates else None
    title = occupation.label if occupation else rng.choice(profile.titles)
    seniority = (
        "" if experience < 4 else "Senior " if experience < 12 else rng.choice(("Lead ", "Principal "))
    )
    job_title = _capitalise(seniority + title)
    if occupation is not None:
        second_occupations = occupations.get(domains[1]) or () if len(domains) > 1 else ()
        skills = _occupation_skills(rng, occupation, second_occupations, experience)
        labels = dict(zip(occupation.skills, occupation.skill_labels, strict=True))
        specialities = [labels[skill] for skill in rng.sample(occupation.core, min(2, len(occupation.core)))]
    else:
        skills = _skills(rng, domains, skill_pools, experience)
        specialities = [rng.choice(profile.specialities)]
        second = DOMAIN_PROFILES[domains[1]] if len(domains) > 1 else profile
        extra = rng.choice(second.specialities)
        if extra not in specialities:
            specialities.append(extra)
    headline = _headline(job_title, specialities)
    employments = _employments(rng, code, organisation, job_title, profile.titles, degrees, experience, today)
    currency, cost = _cost(rng, organisation, code, degrees, experience)
    low, high = MARGIN[organisation]
    bill = cost if low == high else _round(cost * rng.uniform(low, high), currency)
    field_phrase = _degree_phrase(degrees[-1])
    domain_phrase = " and ".join(DOMAIN_LABELS[d].lower() for d in domains)
    role = _decapitalise(job_title)
    if organisation == FREELANCE:
        now = f"now working independently as {role} through the {ORG_BY_SLUG[FREELANCE].name}"
    else:
        now = f"now as {role} at {employments[-1].employer.rstrip('.')}"
    biography = f"{first_name} has {experience} years of experience in {domain_phrase}, {now}. {field_phrase}"
    domain_slug = ORG_BY_SLUG[organisation].email_domain
    return ExpertSpec(
        index=index,
        username=username_for(index),
        first_name=first_name,
        last_name=last_name,
        email=f"{ascii_slug(first_name)}.{ascii_slug(last_name)}.{index:06d}@{domain_slug}",
        organisation=organisation,
        internal=internal,
        reviewer=not internal and experience >= 8 and rng.random() < 0.15,
        active=rng.random() >= 0.02 or index <= 2 * len(PROVIDER_SLUGS),  # every provider has two at work
        headline=headline,
        biography=biography,
        country=code,
        time_zone=time_zone,
        weekly_capacity_hours=Decimal(rng.choice(CAPACITY[organisation])),
        cost_rate=Decimal(cost).quantize(Decimal("0.01")),
        bill_rate=Decimal(bill).quantize(Decimal("0.01")),
        rate_currency=currency,
        occupation_id=occupation.id if occupation else None,
        domains=tuple(d.value for d in domains),
        languages=_languages(rng, code, organisation),
        skills=skills,
        degrees=tuple(degrees),
        employments=tuple(employments),
        clearance=_clearance(rng, organisation, experience),
        samples=work_samples(rng, occupation, domains, specialities) if occupation else (),
    )


HEADLINE_MAX = 200  # ExpertProfile.headline


def _headline(job_title: str, specialities: Sequence[str]) -> str:
    """ "Title — speciality, speciality", dropping specialities (then words) to fit the field."""
    for count in range(len(specialities), -1, -1):
        headline = f"{job_title} — {', '.join(specialities[:count])}" if count else job_title
        if len(headline) <= HEADLINE_MAX:
            return headline
    return job_title[:HEADLINE_MAX].rsplit(" ", 1)[0]


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _decapitalise(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym (R&D, FP&A)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _domains(rng: random.Random, organisation: str) -> list[Domain]:
    weighted = DOMAINS_BY_ORG[organisation]
    first = weighted.pick(rng)
    if rng.random() < 0.4:
        second = weighted.pick(rng)
        if second != first:
            return [first, second]
    return [first]


def _institution(rng: random.Random, code: str) -> str:
    if rng.random() < 0.12:
        code = rng.choice(STUDY_ABROAD)
    return rng.choice(COUNTRIES[code].institutions)


def _degrees(
    rng: random.Random, code: str, domain: Domain, experience: int, internal: bool, today: date
) -> list[DegreeSpec]:
    """Bachelor, then usually a master, sometimes a PhD or a professional degree, oldest first."""
    profile = DOMAIN_PROFILES[domain]
    plan: list[tuple[DegreeLevel, str, int]] = [
        (DegreeLevel.BACHELOR, rng.choice(profile.bachelor_fields), 0)
    ]
    if rng.random() < (0.7 if internal else 0.82):
        plan.append((DegreeLevel.MASTER, rng.choice(profile.master_fields), 2))
    if profile.professional_field and rng.random() < profile.professional_share:
        plan.append((DegreeLevel.PROFESSIONAL, profile.professional_field, rng.randint(2, 3)))
    elif len(plan) == 2 and rng.random() < profile.phd_share:
        plan.append((DegreeLevel.PHD, rng.choice(profile.phd_fields), rng.randint(3, 5)))
    year = today.year - experience - sum(gap for _, _, gap in plan)
    degrees = []
    for level, field, gap in plan:
        year += gap
        degrees.append(DegreeSpec(level.value, field, _institution(rng, code), year, VERIFICATION.pick(rng)))
    return degrees


def _degree_phrase(degree: DegreeSpec) -> str:
    kind = {
        DegreeLevel.BACHELOR.value: "a bachelor's degree",
        DegreeLevel.MASTER.value: "a master's degree",
        DegreeLevel.PHD.value: "a PhD",
        DegreeLevel.PROFESSIONAL.value: "a professional degree",
    }[degree.level]
    return f"Holds {kind} in {degree.field} from {degree.institution} ({degree.year})."


def _month(year: int, month: int) -> date:
    year += (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def _employments(
    rng: random.Random,
    code: str,
    organisation: str,
    job_title: str,
    titles: Sequence[str],
    degrees: Sequence[DegreeSpec],
    experience: int,
    today: date,
) -> list[EmploymentSpec]:
    """Earlier jobs in the expert's country, then the current one (end empty), oldest first."""
    career_start = _month(degrees[-1].year, rng.choice((7, 8, 9, 10)))
    months = max(1, (today.year - career_start.year) * 12 + today.month - career_start.month)
    current_months = rng.randint(min(6, months), min(months, 96))
    current_start = _month(today.year, today.month - current_months)
    if organisation == FREELANCE:
        current = EmploymentSpec(
            "Self-employed", f"Independent {_decapitalise(job_title)}", current_start, None
        )
    else:
        spec = ORG_BY_SLUG[organisation]
        current = EmploymentSpec(spec.name, job_title, current_start, None, spec.slug)
    earlier_count = 0 if current_start <= career_start else 1 + (experience >= 10 and rng.random() < 0.6)
    jobs: list[EmploymentSpec] = []
    start = career_start
    span = (current_start.year - career_start.year) * 12 + current_start.month - career_start.month
    for number in range(earlier_count):
        length = span // earlier_count
        end = _month(start.year, start.month + length) if number < earlier_count - 1 else current_start
        title = _capitalise(("" if number == 0 else "Senior ") + rng.choice(titles))
        jobs.append(EmploymentSpec(rng.choice(COUNTRIES[code].employers), title, start, end))
        start = end
    jobs.append(current)
    return jobs


def _round(value: float, currency: str) -> int:
    step = ROUNDING.get(currency, 1)
    return max(step, round(value / step) * step)


def _cost(
    rng: random.Random, organisation: str, code: str, degrees: Sequence[DegreeSpec], experience: int
) -> tuple[str, int]:
    if organisation == FREELANCE:
        currency, (low, high) = COUNTRIES[code].freelance_currency, COUNTRIES[code].freelance_cost
    else:
        currency, low, high = PROVIDER_COST[organisation]
    top = degrees[-1].level
    level = 0.8 if top == DegreeLevel.BACHELOR.value else 1.0 if top == DegreeLevel.MASTER.value else 1.25
    seniority = 1 + 0.025 * min(experience, 20)
    return currency, _round(rng.uniform(low, high) * level * seniority, currency)


def _clearance(rng: random.Random, organisation: str, experience: int) -> str:
    if (
        organisation != MANUFACTURER
        and experience >= RESTRICTED_FROM_YEARS
        and rng.random() < RESTRICTED_SHARE
    ):
        return "restricted"
    return "confidential"


def _occupation_skills(
    rng: random.Random, occupation: Occupation, second: Sequence[Occupation], experience: int
) -> tuple[tuple[int, int], ...]:
    """The occupation's core skills, a few of its other skills and one or two of a second domain's."""
    chosen = list(occupation.core)
    rest = [skill for skill in occupation.skills if skill not in chosen]
    chosen += rng.sample(rest, min(len(rest), rng.randint(2, 5)))
    if second:
        other = rng.choice(second)
        extra = [skill for skill in other.core if skill not in chosen]
        chosen += rng.sample(extra, min(len(extra), rng.randint(1, 2)))
    return _with_levels(rng, chosen, experience)


def _languages(rng: random.Random, code: str, organisation: str = "") -> tuple[tuple[str, str], ...]:
    natives = COUNTRIES[code].languages
    levels: dict[str, str] = {}
    if code == "IN":
        native = "hi" if rng.random() < 0.65 else rng.choice(natives[1:])
        levels[native] = "native"
        if native != "hi" and rng.random() < 0.7:
            levels["hi"] = rng.choice(("B2", "C1"))
        levels["en"] = rng.choice(("C1", "C2", "C2"))
    elif code == "ZA":
        levels[rng.choice(natives)] = "native"
        levels.setdefault("en", "C2")
    else:
        levels[natives[0]] = "native"
        if code in ("PH", "KE"):
            levels.setdefault("en", rng.choice(("C1", "C2")))
        elif rng.random() < 0.97:
            levels.setdefault("en", ENGLISH.pick(rng))
    second, share = SECOND_LANGUAGES.get(code, ((), 0.0))
    if second and rng.random() < share:
        levels.setdefault(rng.choice(second), FOREIGN.pick(rng))
    if code != "DK" and rng.random() < DANISH_SHARE.get(organisation, 0.03):
        levels.setdefault("da", rng.choice(("B2", "C1")))
    return tuple(sorted(levels.items()))


def _skills(
    rng: random.Random, domains: Sequence[Domain], pools: Mapping[Domain, Sequence[int]], experience: int
) -> tuple[tuple[int, int], ...]:
    count = rng.randint(4, 10)
    primary = pools.get(domains[0]) or ()
    secondary = pools.get(domains[1]) or () if len(domains) > 1 else ()
    from_second = min(len(secondary), rng.randint(1, count // 2)) if secondary else 0
    chosen = rng.sample(primary, min(len(primary), count - from_second))
    chosen += rng.sample(secondary, from_second)
    return _with_levels(rng, chosen, experience)


def _with_levels(rng: random.Random, chosen: Sequence[int], experience: int) -> tuple[tuple[int, int], ...]:
    """(skill, proficiency) for each chosen skill; the experienced are often a level higher."""
    skills: dict[int, int] = {}
    for skill_id in chosen:
        level = PROFICIENCY.pick(rng)
        if experience >= 10 and level < 5 and rng.random() < 0.3:
            level += 1
        skills.setdefault(skill_id, level)
    return tuple(sorted(skills.items()))


def work_samples(
    rng: random.Random, occupation: Occupation, domains: Sequence[Domain], specialities: Sequence[str]
) -> tuple[tuple[str, str], ...]:
    """Two or three short reports the expert wrote, from templates filled with their occupation's skills."""
    labels = list(occupation.skill_labels)
    samples = []
    for number in range(rng.randint(2, 3)):
        first, second = rng.sample(labels[: max(2, len(labels) // 2)], 2)
        client = rng.choice(SAMPLE_CLIENTS)
        template_title, template_abstract = SAMPLE_TEMPLATES[
            (number + rng.randrange(len(SAMPLE_TEMPLATES))) % len(SAMPLE_TEMPLATES)
        ]
        values = {
            "first": first,
            "second": second,
            "client": client,
            "occupation": occupation.label,
            "domain": DOMAIN_LABELS[domains[0]].lower(),
            "speciality": specialities[0] if specialities else first,
        }
        samples.append((_capitalise(template_title.format(**values)), template_abstract.format(**values)))
    return tuple(samples)


SAMPLE_CLIENTS: tuple[str, ...] = (
    "a European manufacturer",
    "a wind-turbine supplier",
    "a Nordic bank",
    "a logistics group",
    "a pharmaceutical company",
    "an automotive supplier",
    "a utility",
    "a public agency",
)
SAMPLE_TEMPLATES: tuple[tuple[str, str], ...] = (
    (
        "{first}: a report for {client}",
        "As {occupation}, I applied {first} and {second} for {client}. The report sets out the "
        "question, the data and methods used, the findings and the recommendations the client adopted.",
    ),
    (
        "{speciality} in practice: lessons from {client}",
        "A case study in {domain}: how {second} supported {first} at {client}, what worked, what did "
        "not, and what a team should check before starting similar work.",
    ),
    (
        "Review of {second} for {client}",
        "An assessment of {second} and {first} prepared for {client}'s management, with a summary of "
        "the evidence, the main risks and a prioritised list of next steps.",
    ),
)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
