"""Builders for vetting tests: evidence files and experts taken through the pipeline by the services."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from kpo.core.clock import installation_date
from kpo.experts.models import ExpertProfile
from kpo.vetting.models import Credential, VettingRecord
from kpo.vetting.services.credentials import credential_add, credential_verify
from kpo.vetting.services.passport import terms_sign
from kpo.vetting.services.pipeline import vetting_start, vetting_transition
from kpo.work.services import Upload

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def evidence(name: str = "diploma.pdf", content: bytes = PDF) -> Upload:
    return Upload(stream=io.BytesIO(content), name=name)


def today() -> dt.date:
    return installation_date(timezone.now())


def add_degree(
    expert: ExpertProfile,
    by: User,
    *,
    title: str = "MSc Industrial Engineering",
    level: str = "master",
    kind: str = "degree",
    expires_on: dt.date | None = None,
) -> Credential:
    return credential_add(
        user=by, expert=expert, kind=kind, title=title, level=level, upload=evidence(), expires_on=expires_on
    )


def verify(credential: Credential, by: User, *, on: dt.date | None = None) -> Credential:
    return credential_verify(user=by, credential=credential, method="registry_check", verified_on=on)


def take_to(expert: ExpertProfile, state: str, *, manager: User) -> VettingRecord:
    """Apply (as the expert), sign, add and verify a degree, and move the record up to `state`."""
    vetting_start(user=expert.user, expert=expert)
    order = ["screening", "credentials_verified", "trial_scored", "active", "suspended"]
    if state == "applied":
        return VettingRecord.objects.get(expert=expert)
    terms_sign(user=expert.user, expert=expert)
    verify(add_degree(expert, expert.user), manager)
    for step in order[: order.index(state) + 1]:
        vetting_transition(
            user=manager,
            expert=expert,
            target=step,
            trial_score=Decimal("4.2") if step == "trial_scored" else None,
            comment="Performance concerns" if step == "suspended" else "",
        )
    return VettingRecord.objects.get(expert=expert)
