"""Seed, detect and reset the demo world (see kpo.demo for what it contains)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.storage import default_storage
from django.db import transaction

from kpo.core.mail import mail_paused
from kpo.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from kpo.demo.bulk import write_experts
from kpo.demo.capacity import seed_capacity
from kpo.demo.catalogue import ENGAGEMENTS
from kpo.demo.commercials import create_commercials, delete_commercials
from kpo.demo.compliance import seed_compliance
from kpo.demo.confidentiality import delete_confidentiality, seed_confidentiality
from kpo.demo.contracts import seed_contracts
from kpo.demo.domains import skill_pools
from kpo.demo.engagements import create_engagements
from kpo.demo.experts import generate_experts
from kpo.demo.files import DEMO_PREFIX
from kpo.demo.glossary import seed_glossary
from kpo.demo.history import seed_history
from kpo.demo.occupations import DOMAIN_OCCUPATIONS, Occupation, build_occupations
from kpo.demo.organisations import MANUFACTURER, ORGANISATIONS
from kpo.demo.overflow import delete_benches, seed_overflow
from kpo.demo.quality import seed_quality
from kpo.demo.redaction import seed_redaction
from kpo.demo.reference import DEFAULT_EXPERTS, DEFAULT_SEED, MIN_EXPERTS, demo_now, demo_today, seeded_at
from kpo.demo.sla import seed_sla
from kpo.demo.vetting import create_vetting
from kpo.demo.world import create_named_accounts, create_organisations
from kpo.engine.taxonomy import Domain
from kpo.experts.models import EscoOccupation, EscoSkill, ExpertProfile
from kpo.orgs.models import Membership, Organisation
from kpo.work.models import Engagement

Log = Callable[[str], None]


def is_seeded() -> bool:
    """The demo world exists when its manufacturer does."""
    return Organisation.objects.filter(slug=MANUFACTURER).exists()


def load_skill_pools() -> dict[Domain, list[int]]:
    return skill_pools(EscoSkill.objects.values_list("id", "label"))


def load_occupations(pools: Mapping[Domain, Sequence[int]]) -> dict[Domain, list[Occupation]]:
    """Per domain, its ESCO occupations (by URI) with their skills (kpo.demo.occupations)."""
    uris = [uri for listed in DOMAIN_OCCUPATIONS.values() for uri in listed]
    occupations = {
        uri: (pk, label, text)
        for pk, uri, label, text in EscoOccupation.objects.filter(uri__in=uris).values_list(
            "id", "uri", "label", "text"
        )
    }
    skills = {uri: (pk, label, "") for pk, uri, label in EscoSkill.objects.values_list("id", "uri", "label")}
    return build_occupations(occupations, skills, pools)


def seed_demo(
    *, now: datetime, experts: int = DEFAULT_EXPERTS, seed: int = DEFAULT_SEED, log: Log | None = None
) -> Counter[str]:
    """Create the demo world in one transaction, laid back from `now`; return the rows written per table.

    The caller checks `is_seeded()` first: seeding twice would collide on unique names.
    """
    if experts < MIN_EXPERTS:
        raise ValueError(f"The demo world needs at least {MIN_EXPERTS} experts.")
    say = log or (lambda _message: None)
    written: Counter[str] = Counter()
    with mail_paused(), transaction.atomic(), seeded_at(now):
        organisations = create_organisations()
        written["organisations"] = len(organisations)
        pools = load_skill_pools()
        occupations = load_occupations(pools)
        say(f"Creating {len(DEMO_ACCOUNTS)} named accounts (password: {DEMO_PASSWORD}).")
        users = create_named_accounts(
            organisations, make_password(DEMO_PASSWORD), pools, random.Random(seed), occupations
        )
        written["named_accounts"] = len(users)
        say(f"Generating {experts} experts (seed {seed}).")
        specs = generate_experts(experts, seed, pools, occupations, today=demo_today())
        written += write_experts(specs, {slug: org.pk for slug, org in organisations.items()})
        ExpertProfile.objects.filter(organisation__in=organisations.values()).update(
            created_at=demo_now(), updated_at=demo_now()
        )
        say("Creating engagements, tasks and their history.")
        written += create_engagements(
            organisations, users, pools, random.Random(f"kpo-demo-world-{seed}"), occupations
        )
        written += seed_history(ENGAGEMENTS, random.Random(f"kpo-demo-history-{seed}"))
        written += create_vetting(organisations, users)
        written += seed_compliance(organisations)
        written += seed_quality(random.Random(f"kpo-demo-quality-{seed}"))
        written += create_commercials(organisations)
        written += seed_redaction(organisations)
        written += seed_glossary(organisations)
        written += seed_confidentiality(organisations)
        written += seed_sla()
        written += seed_contracts()
        written += seed_capacity(organisations)
        written += seed_overflow(organisations, users)
    return written


def reset_demo() -> None:
    """Delete the demo world: its engagements, its organisations' people and the organisations."""
    slugs = [spec.slug for spec in ORGANISATIONS]
    user_model = get_user_model()
    with transaction.atomic():
        Engagement.objects.filter(client__slug__in=slugs).delete()
        Engagement.objects.filter(provider__slug__in=slugs).delete()
        delete_benches(slugs)
        delete_commercials(slugs)
        delete_confidentiality(slugs)
        for people in (
            Membership.objects.filter(organisation__slug__in=slugs).values("user_id"),
            ExpertProfile.objects.filter(organisation__slug__in=slugs).values("user_id"),
        ):
            user_model.objects.filter(pk__in=people).delete()
        user_model.objects.filter(username__in=[account.username for account in DEMO_ACCOUNTS]).delete()
        for spec in reversed(ORGANISATIONS):  # subsidiaries before their parents
            Organisation.objects.filter(slug=spec.slug).delete()
    _delete_folder(DEMO_PREFIX)


def _delete_folder(path: str) -> None:
    try:
        folders, files = default_storage.listdir(path)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in files:
        default_storage.delete(f"{path}/{name}")
    for folder in folders:
        _delete_folder(f"{path}/{folder}")
