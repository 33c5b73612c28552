"""The rest of the compliance passport: background checks, references, trainings and the signed
platform terms."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kpo.core.errors import DomainError
from kpo.experts.models import ExpertProfile
from kpo.vetting.conf import terms_version
from kpo.vetting.models import BackgroundCheck, Reference, TermsSignature, Training
from kpo.vetting.services.common import audit_change, local_today, not_in_future, require_manager

Recorded = TypeVar("Recorded", BackgroundCheck, Reference, Training)


def _recorded(model: type[Recorded], user: User, expert: ExpertProfile, **fields: Any) -> Recorded:
    """A passport item the expert's manager records, validated and saved."""
    item = model(expert=expert, recorded_by=user, **fields)
    item.full_clean(exclude=["expert"])
    item.save()
    return item


@transaction.atomic
def background_check_record(
    *, user: User, expert: ExpertProfile, provider: str, checked_on: dt.date, result: str
) -> BackgroundCheck:
    """Record a background check's outcome only (provider, date, result). Validates the date and result."""
    require_manager(user, expert)
    not_in_future(checked_on, "checked_on", local_today())
    provider = " ".join(provider.split())
    check = _recorded(BackgroundCheck, user, expert, provider=provider, checked_on=checked_on, result=result)
    details = {"provider": check.provider, "checked_on": checked_on.isoformat(), "result": result}
    audit_change(user, expert, "background_check", **details)
    return check


@transaction.atomic
def reference_add(
    *,
    user: User,
    expert: ExpertProfile,
    name: str,
    relation: str,
    outcome: str,
    contacted_on: dt.date | None = None,
) -> Reference:
    """Record a reference and what it said. Validates: a contact date for any outcome but pending."""
    require_manager(user, expert)
    not_in_future(contacted_on, "contacted_on", local_today())
    if outcome != "pending" and contacted_on is None:
        raise ValidationError({"contacted_on": _("Say when the reference was contacted.")})
    reference = _recorded(
        Reference,
        user,
        expert,
        name=" ".join(name.split()),
        relation=" ".join(relation.split()),
        contacted_on=contacted_on,
        outcome=outcome,
    )
    audit_change(user, expert, "reference", reference=reference.pk, outcome=outcome)
    return reference


@transaction.atomic
def training_record(
    *,
    user: User,
    expert: ExpertProfile,
    name: str,
    completed_on: dt.date,
    expires_on: dt.date | None = None,
) -> Training:
    """Record a completed training. Validates: completed not in the future, expiry after completion."""
    require_manager(user, expert)
    not_in_future(completed_on, "completed_on", local_today())
    if expires_on is not None and expires_on <= completed_on:
        raise ValidationError({"expires_on": _("The expiry date must be after the completion date.")})
    name = " ".join(name.split())
    training = _recorded(Training, user, expert, name=name, completed_on=completed_on, expires_on=expires_on)
    audit_change(user, expert, "training", name=training.name, completed_on=completed_on.isoformat())
    return training


@transaction.atomic
def terms_sign(*, user: User, expert: ExpertProfile) -> TermsSignature:
    """The expert signs the current platform terms (only the expert, once per version)."""
    if expert.user_id != user.pk:
        raise DomainError(_("Only the expert signs the platform terms, for themself."), field="user")
    version = terms_version()
    if TermsSignature.objects.filter(expert_id=expert.pk, version=version).exists():
        raise DomainError(
            _("You have already signed version %(version)s of the platform terms.") % {"version": version},
            field="version",
        )
    signature = TermsSignature(expert=expert, version=version, signed_on=local_today())
    signature.full_clean(exclude=["expert"])
    signature.save()
    audit_change(user, expert, "terms_signed", version=version)
    return signature
