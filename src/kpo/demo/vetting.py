"""Vetting in the demo world: records, compliance passports and one engagement with strict requirements.

- carol and rita (Indus Insight) are active with verified credentials; rita's chartered-accountant
  licence expires three weeks after the day of seeding and her background check is 14 months old;
- four of Indus Insight's generated experts are active with a passport, one is in screening, one is
  suspended and one has applied;
- the bank's IFRS 9 validation asks for a clear background check under 12 months and a GDPR training:
  carol meets it, rita is left out with "The background check of 2025-09-01 is older than 12 months."

Everything else stays "not vetted on kpo" (onboarded directly by the provider). Rows are written
directly (no audit entries), dated back from the day it is seeded, so its expiry dates look the
same whenever it is seeded.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef

from kpo.demo.files import store_text
from kpo.demo.reference import demo_today, moved
from kpo.engine.passport import add_months
from kpo.engine.vetting import DEFAULT_REVERIFICATION_MONTHS
from kpo.experts.models import Degree, ExpertProfile, ExpertStatus, VerificationStatus
from kpo.orgs.models import Organisation
from kpo.vetting.conf import terms_version
from kpo.vetting.models import (
    BackgroundCheck,
    Credential,
    EngagementRequirements,
    Reference,
    TermsSignature,
    Training,
    VettingEvent,
    VettingRecord,
)
from kpo.work.models import Assignment, Engagement

PROVIDER = "indus-insight"
STRICT_ENGAGEMENT = "Kystbanken: IFRS 9 expected-credit-loss model validation"
GDPR = "Data protection (GDPR) basics"
PIPELINE = ("applied", "screening", "credentials_verified", "trial_scored", "active")
ACTIONS = {
    "screening": "start_screening",
    "credentials_verified": "verify_credentials",
    "trial_scored": "score_trial",
    "active": "activate",
    "suspended": "suspend",
}


def D(days: int) -> timedelta:
    return timedelta(days=days)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=UTC)


class _Seeder:
    def __init__(self, manager: User) -> None:
        self.manager = manager
        self.written: Counter[str] = Counter()
        self.files = 0

    def credential(
        self,
        expert: ExpertProfile,
        *,
        kind: str,
        title: str,
        level: str = "",
        issuer: str = "",
        verified_on: date | None,
        expires_on: date | None = None,
        degree: Degree | None = None,
        method: str = "registry_check",
    ) -> Credential:
        self.files += 1
        text = f"{title}\nIssued to {expert.display_name} by {issuer or 'the issuer'}.\n(Demo evidence.)\n"
        stored = store_text(f"vetting/{expert.user.username}", f"{kind}-{self.files}.txt", text)
        credential = Credential(
            expert=expert,
            kind=kind,
            level=level,
            title=title,
            issuer=issuer,
            degree=degree,
            expires_on=expires_on,
            status="verified" if verified_on else "claimed",
            verified_by=self.manager if verified_on else None,
            verified_on=verified_on,
            method=method if verified_on else "",
            original_name=stored.original_name,
            content_type=stored.content_type,
            size=stored.size,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            uploaded_by=expert.user,
        )
        credential.file.name = stored.name
        credential.save()
        self.written["vetting_credentials"] += 1
        return credential

    def passport(
        self, expert: ExpertProfile, *, checked_on: date | None, trained_on: date | None, signed_on: date
    ) -> None:
        TermsSignature.objects.create(expert=expert, version=terms_version(), signed_on=signed_on)
        if checked_on is not None:
            BackgroundCheck.objects.create(
                expert=expert,
                provider="SecureCheck India",
                checked_on=checked_on,
                result="clear",
                recorded_by=self.manager,
            )
        if trained_on is not None:
            Training.objects.create(
                expert=expert,
                name=GDPR,
                completed_on=trained_on,
                expires_on=add_months(trained_on, 24),
                recorded_by=self.manager,
            )
        Reference.objects.create(
            expert=expert,
            name="Former line manager",
            relation="manager at the previous employer",
            contacted_on=signed_on + timedelta(days=3),
            outcome="positive",
            recorded_by=self.manager,
        )
        self.written["vetting_passports"] += 1

    def record(
        self, expert: ExpertProfile, state: str, *, applied_on: date, verified_on: date | None
    ) -> VettingRecord:
        record = VettingRecord.objects.create(
            expert=expert,
            state=state,
            trial_score=Decimal("4.20") if state in ("trial_scored", "active", "suspended") else None,
            verified_on=verified_on,
            reverification_due_on=(
                add_months(verified_on, DEFAULT_REVERIFICATION_MONTHS) if verified_on else None
            ),
            started_by=expert.user,
        )
        steps = PIPELINE[: PIPELINE.index(state) + 1] if state in PIPELINE else (*PIPELINE, state)
        previous = ""
        for index, step in enumerate(steps):
            VettingEvent.objects.create(
                record=record,
                actor=expert.user if step == "applied" else self.manager,
                action=ACTIONS.get(step, "apply"),
                from_state=previous,
                to_state=step,
                note="Missed the agreed review deadline twice; under review." if step == "suspended" else "",
                at=_at(applied_on + timedelta(days=4 * index)),
            )
            previous = step
        status = ExpertStatus.ACTIVE if state == "active" else ExpertStatus.INACTIVE
        ExpertProfile.objects.filter(pk=expert.pk).update(status=status)
        self.written["vetting_records"] += 1
        return record


def create_vetting(organisations: Mapping[str, Organisation], users: Mapping[str, User]) -> Counter[str]:
    provider = organisations[PROVIDER]
    seeder = _Seeder(users["priya"])
    day = demo_today()
    carol = ExpertProfile.objects.select_related("user").get(user__username="carol")
    rita = ExpertProfile.objects.select_related("user").get(user__username="rita")

    master = carol.degrees.filter(level="master").first()
    seeder.credential(
        carol,
        kind="degree",
        level="master",
        title="M.Tech. Industrial Engineering",
        issuer="Indian Institute of Technology Bombay",
        verified_on=day - timedelta(days=140),
        degree=master,
    )
    seeder.credential(
        carol,
        kind="certification",
        title="Lean Six Sigma Black Belt",
        issuer="IASSC",
        verified_on=day - timedelta(days=140),
        expires_on=day + timedelta(days=610),  # about 20 months
        method="issuer_confirmation",
    )
    seeder.passport(
        carol,
        checked_on=day - timedelta(days=150),
        trained_on=day - timedelta(days=100),
        signed_on=day - timedelta(days=160),
    )
    seeder.record(
        carol, "active", applied_on=day - timedelta(days=160), verified_on=day - timedelta(days=140)
    )

    mba = rita.degrees.filter(level="master").first()
    seeder.credential(
        rita,
        kind="degree",
        level="master",
        title="MBA",
        issuer="Indian Institute of Management Ahmedabad",
        verified_on=day - timedelta(days=300),
        degree=mba,
    )
    seeder.credential(
        rita,
        kind="licence",
        title="Chartered Accountant",
        issuer="Institute of Chartered Accountants of India",
        verified_on=day - timedelta(days=300),
        expires_on=day + timedelta(days=21),  # expiring soon
        method="registry_check",
    )
    seeder.passport(
        rita,
        checked_on=moved(date(2025, 9, 1)),
        trained_on=day - timedelta(days=200),
        signed_on=day - timedelta(days=320),
    )
    seeder.record(rita, "active", applied_on=day - timedelta(days=320), verified_on=day - timedelta(days=300))

    for profile in (carol, rita):
        Degree.objects.filter(expert=profile, level="master").update(
            verification_status=VerificationStatus.VERIFIED
        )

    staffed = Assignment.objects.filter(expert_id=OuterRef("pk"))
    generated = list(
        ExpertProfile.objects.select_related("user")
        .filter(organisation=provider, internal=False, status=ExpertStatus.ACTIVE)
        .exclude(user__username__in=["carol", "rita"])
        .filter(~Exists(staffed))
        .order_by("id")[:7]
    )
    plan = ("active", "active", "active", "active", "screening", "suspended", "applied")
    for index, (profile, state) in enumerate(zip(generated, plan, strict=False)):
        applied_on = day - timedelta(days=60 + 30 * index)
        verified = applied_on + timedelta(days=8) if state in ("active", "suspended") else None
        degree = profile.degrees.order_by("-year").first()
        if degree is not None:
            seeder.credential(
                profile,
                kind="degree",
                level=degree.level,
                title=f"{degree.get_level_display()} {degree.field}",
                issuer=degree.institution,
                verified_on=verified,
                degree=degree,
                method="document_review",
            )
        seeder.passport(
            profile,
            checked_on=applied_on + timedelta(days=5) if state == "active" else None,
            trained_on=applied_on + timedelta(days=6) if state == "active" else None,
            signed_on=applied_on,
        )
        seeder.record(profile, state, applied_on=applied_on, verified_on=verified)

    engagement = Engagement.objects.filter(title=STRICT_ENGAGEMENT).first()
    if engagement is not None:
        EngagementRequirements.objects.create(
            engagement=engagement,
            background_check_max_age_months=12,
            required_trainings=GDPR,
            updated_by=users["dave"],
        )
        seeder.written["vetting_requirements"] += 1
    ExpertProfile.objects.filter(organisation=provider).update(updated_at=_at(day))
    return seeder.written
