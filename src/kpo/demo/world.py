"""The fixed part of the demo world: organisations and the named accounts."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from kpo.demo.accounts import DEMO_ACCOUNTS, OPERATOR_ROLE, DemoAccount
from kpo.demo.experts import work_samples
from kpo.demo.occupations import DOMAIN_OCCUPATIONS, Occupation
from kpo.demo.organisations import INDIA, ORGANISATIONS
from kpo.demo.reference import demo_now
from kpo.engine.taxonomy import Domain
from kpo.experts.models import EscoSkill, ExpertProfile
from kpo.experts.services import DegreeInput, EmploymentInput, LanguageInput, SkillInput, expert_create
from kpo.matching.models import WorkSample
from kpo.orgs.models import Membership, Organisation


def create_organisations() -> dict[str, Organisation]:
    organisations: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        organisation = Organisation(
            slug=spec.slug,
            name=spec.name,
            kind=spec.kind,
            provider_type=spec.provider_type,
            parent=organisations[spec.parent] if spec.parent else None,
            country=spec.country,
            time_zone=spec.time_zone,
            currency=spec.currency,
            description=spec.description,
            postal_address=spec.postal_address,
            vat_number=spec.vat_number,
            payment_terms_days=spec.payment_terms_days,
        )
        organisation.full_clean()
        organisation.save()
        organisations[spec.slug] = organisation
    return organisations


@dataclass(frozen=True)
class NamedExpert:
    """What a named account's expert profile says beyond the account itself."""

    username: str
    headline: str
    biography: str
    domains: tuple[Domain, ...]
    languages: tuple[tuple[str, str], ...]
    degrees: tuple[DegreeInput, ...]
    employments: tuple[tuple[str, str, date, date | None], ...]
    cost_rate: Decimal
    bill_rate: Decimal
    occupations: tuple[str, ...] = ()  # ESCO URIs, one per domain: their core skills are the expert's


INDUS_NAME = "Indus Insight Analytics Pvt. Ltd."
NAMED_EXPERTS: tuple[NamedExpert, ...] = (
    NamedExpert(
        "carol",
        "Senior operations analyst — OEE improvement, value-stream mapping",
        "Carol has nine years of experience in operations consulting for manufacturers in India and Europe, "
        "five of them at Indus Insight. Lean Six Sigma Black Belt.",
        (Domain.MANAGEMENT_CONSULTING, Domain.DATA_ANALYSIS),
        (("en", "C2"), ("hi", "C1"), ("mr", "native")),
        (
            DegreeInput("bachelor", "Production Engineering", "University of Mumbai", 2013, "verified"),
            DegreeInput(
                "master", "Industrial Engineering", "Indian Institute of Technology Bombay", 2015, "verified"
            ),
        ),
        (
            ("Mahindra & Mahindra", "Industrial engineer", date(2015, 7, 1), date(2018, 3, 1)),
            ("Tata Consultancy Services", "Operations consultant", date(2018, 3, 1), date(2021, 9, 1)),
            (INDUS_NAME, "Senior operations analyst", date(2021, 9, 1), None),
        ),
        Decimal("2400.00"),
        Decimal("4600.00"),
        (
            DOMAIN_OCCUPATIONS[Domain.MANAGEMENT_CONSULTING][1],  # lean manager
            DOMAIN_OCCUPATIONS[Domain.DATA_ANALYSIS][1],  # data analyst
        ),
    ),
    NamedExpert(
        "rita",
        "Principal consultant and quality reviewer — manufacturing finance, lean operations",
        "Rita reviews operations and finance deliverables before they reach clients. Fifteen years in "
        "manufacturing finance and consulting; chartered accountant.",
        (Domain.MANAGEMENT_CONSULTING, Domain.FINANCIAL_CONSULTING),
        (("bn", "native"), ("en", "C2"), ("hi", "C1")),
        (
            DegreeInput("bachelor", "Commerce", "University of Delhi", 2007, "verified"),
            DegreeInput(
                "master",
                "Business Administration (MBA)",
                "Indian Institute of Management Ahmedabad",
                2011,
                "verified",
            ),
        ),
        (
            ("Larsen & Toubro", "Cost accountant", date(2011, 6, 1), date(2016, 4, 1)),
            ("Genpact", "Finance transformation lead", date(2016, 4, 1), date(2020, 1, 1)),
            (INDUS_NAME, "Principal consultant", date(2020, 1, 1), None),
        ),
        Decimal("3600.00"),
        Decimal("7200.00"),
        (
            DOMAIN_OCCUPATIONS[Domain.MANAGEMENT_CONSULTING][2],  # business consultant
            DOMAIN_OCCUPATIONS[Domain.FINANCIAL_CONSULTING][1],  # accountant
        ),
    ),
)


def create_named_accounts(
    organisations: Mapping[str, Organisation],
    password_hash: str,
    skill_pools: Mapping[Domain, Sequence[int]],
    rng: random.Random,
    occupations: Mapping[Domain, Sequence[Occupation]] | None = None,
) -> dict[str, User]:
    """The cast: one user per DEMO_ACCOUNTS entry, with its membership (and expert profile for experts)."""
    user_model = get_user_model()
    users: dict[str, User] = {}
    experts = {named.username: named for named in NAMED_EXPERTS}
    for account in DEMO_ACCOUNTS:
        if account.username in experts:
            profile = _create_named_expert(
                experts[account.username],
                account,
                organisations,
                password_hash,
                skill_pools,
                rng,
                occupations or {},
            )
            users[account.username] = profile.user
            continue
        user = user_model(
            username=account.username,
            first_name=account.first_name,
            last_name=account.last_name,
            email=account.email,
            password=password_hash,
            date_joined=demo_now(),
            is_staff=account.role == OPERATOR_ROLE,
            is_superuser=False,  # the operator is staff (the operator pages), not a superuser
        )
        user.full_clean()
        user.save()
        users[account.username] = user
        if account.role != OPERATOR_ROLE:
            membership = Membership(
                user=user, organisation=organisations[account.organisation_slug], role=account.role
            )
            membership.full_clean()
            membership.save()
    return users


def _create_named_expert(
    named: NamedExpert,
    account: DemoAccount,
    organisations: Mapping[str, Organisation],
    password_hash: str,
    skill_pools: Mapping[Domain, Sequence[int]],
    rng: random.Random,
    occupations: Mapping[Domain, Sequence[Occupation]],
) -> ExpertProfile:
    skill_ids: list[int] = []
    known = {occupation.uri: occupation for listed in occupations.values() for occupation in listed}
    for domain, uri in zip(named.domains, named.occupations or (("",) * len(named.domains)), strict=True):
        if uri in known:
            skill_ids += [skill for skill in known[uri].core[:5] if skill not in skill_ids]
            continue
        pool = [skill for skill in skill_pools.get(domain, ()) if skill not in skill_ids]
        skill_ids += rng.sample(pool, min(len(pool), 5))
    skills = EscoSkill.objects.in_bulk(skill_ids)
    provider = organisations[INDIA]
    profile = expert_create(
        username=named.username,
        first_name=account.first_name,
        last_name=account.last_name,
        email=account.email,
        organisation=provider,
        headline=named.headline,
        biography=named.biography,
        country="IN",
        time_zone="Asia/Kolkata",
        weekly_capacity_hours=Decimal("40.0"),
        cost_rate=named.cost_rate,
        bill_rate=named.bill_rate,
        rate_currency="INR",
        domains=[domain.value for domain in named.domains],
        languages=[LanguageInput(code, level) for code, level in named.languages],
        skills=[
            SkillInput(skills[skill_id], rng.choice((4, 5))) for skill_id in skill_ids if skill_id in skills
        ],
        degrees=named.degrees,
        employments=[
            EmploymentInput(employer, title, start, end, provider if employer == provider.name else None)
            for employer, title, start, end in named.employments
        ],
        membership_role=account.role,
        encoded_password=password_hash,
    )
    occupation = known.get(named.occupations[0]) if named.occupations else None
    if occupation is not None:
        samples = work_samples(rng, occupation, named.domains, [named.headline.split(" — ")[-1]])
        WorkSample.objects.bulk_create(
            WorkSample(expert=profile, external_id=f"demo-{number}", title=title, abstract=abstract)
            for number, (title, abstract) in enumerate(samples, start=1)
        )
    return profile
