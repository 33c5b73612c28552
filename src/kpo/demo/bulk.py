"""Write generated experts with bulk inserts: a data fixture, so no per-object validation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User

from kpo.demo.experts import ExpertSpec, batched
from kpo.demo.reference import BATCH_SIZE, demo_now
from kpo.engine.org_names import normalise_name
from kpo.engine.taxonomy import Role
from kpo.experts.models import (
    Degree,
    Employment,
    ExpertDomain,
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    ExpertStatus,
)
from kpo.matching.models import WorkSample
from kpo.orgs.models import Membership


def unusable_password() -> str:
    """One unusable password string (it starts with "!"), computed once and shared by all generated users."""
    return make_password(None)


def write_experts(
    specs: Iterable[ExpertSpec],
    org_ids: Mapping[str, int],
    *,
    batch_size: int = BATCH_SIZE,
) -> Counter[str]:
    """Insert users, profiles, memberships and profile details; return the rows written per table."""
    user_model = get_user_model()
    password = unusable_password()
    written: Counter[str] = Counter()
    for batch in batched(specs, batch_size):
        users = [
            user_model(
                username=spec.username,
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=spec.email,
                password=password,
                date_joined=demo_now(),
            )
            for spec in batch
        ]
        user_model.objects.bulk_create(users, batch_size=batch_size)
        profiles = [
            ExpertProfile(
                user_id=user.pk,
                organisation_id=org_ids[spec.organisation],
                headline=spec.headline,
                biography=spec.biography,
                country=spec.country,
                time_zone=spec.time_zone,
                weekly_capacity_hours=spec.weekly_capacity_hours,
                cost_rate=spec.cost_rate,
                bill_rate=spec.bill_rate,
                rate_currency=spec.rate_currency,
                internal=spec.internal,
                status=ExpertStatus.ACTIVE if spec.active else ExpertStatus.INACTIVE,
                occupation_id=spec.occupation_id,
                clearance=spec.clearance,
            )
            for spec, user in zip(batch, users, strict=True)
        ]
        ExpertProfile.objects.bulk_create(profiles, batch_size=batch_size)
        written["users"] += len(users)
        written["expert_profiles"] += len(profiles)
        written += _write_details(batch, users, profiles, org_ids, batch_size)
    return written


def _write_details(
    batch: list[ExpertSpec],
    users: Sequence[User],
    profiles: list[ExpertProfile],
    org_ids: Mapping[str, int],
    batch_size: int,
) -> Counter[str]:
    memberships: list[Membership] = []
    languages: list[ExpertLanguage] = []
    degrees: list[Degree] = []
    domains: list[ExpertDomain] = []
    skills: list[ExpertSkill] = []
    employments: list[Employment] = []
    samples: list[WorkSample] = []
    for spec, user, profile in zip(batch, users, profiles, strict=True):
        org_id = org_ids[spec.organisation]
        memberships.append(Membership(user_id=user.pk, organisation_id=org_id, role=Role.EXPERT.value))
        if spec.reviewer:
            memberships.append(Membership(user_id=user.pk, organisation_id=org_id, role=Role.REVIEWER.value))
        pk = profile.pk
        languages.extend(
            ExpertLanguage(expert_id=pk, language=code, level=level) for code, level in spec.languages
        )
        domains.extend(ExpertDomain(expert_id=pk, domain=domain) for domain in spec.domains)
        skills.extend(
            ExpertSkill(expert_id=pk, skill_id=skill, proficiency=level) for skill, level in spec.skills
        )
        degrees.extend(
            Degree(
                expert_id=pk,
                level=d.level,
                field=d.field,
                institution=d.institution,
                year=d.year,
                verification_status=d.verification_status,
            )
            for d in spec.degrees
        )
        employments.extend(
            Employment(
                expert_id=pk,
                employer=e.employer,
                employer_key=normalise_name(e.employer),
                employer_organisation_id=org_ids[e.employer_slug] if e.employer_slug else None,
                title=e.title,
                start=e.start,
                end=e.end,
            )
            for e in spec.employments
        )
        samples.extend(
            WorkSample(expert_id=pk, external_id=f"demo-{number}", title=title, abstract=abstract)
            for number, (title, abstract) in enumerate(spec.samples, start=1)
        )
    Membership.objects.bulk_create(memberships, batch_size=batch_size)
    ExpertLanguage.objects.bulk_create(languages, batch_size=batch_size)
    Degree.objects.bulk_create(degrees, batch_size=batch_size)
    ExpertDomain.objects.bulk_create(domains, batch_size=batch_size)
    ExpertSkill.objects.bulk_create(skills, batch_size=batch_size)
    Employment.objects.bulk_create(employments, batch_size=batch_size)
    WorkSample.objects.bulk_create(samples, batch_size=batch_size)
    return Counter(
        work_samples=len(samples),
        memberships=len(memberships),
        expert_languages=len(languages),
        degrees=len(degrees),
        expert_domains=len(domains),
        expert_skills=len(skills),
        employments=len(employments),
    )
