"""Writes about experts. Each service validates every object with `full_clean()` before saving it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from kpo.engine.taxonomy import Role
from kpo.experts.models import (
    Degree,
    Employment,
    EscoSkill,
    ExpertDomain,
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    ExpertStatus,
    VerificationStatus,
)
from kpo.orgs.models import Membership, Organisation


@dataclass(frozen=True)
class LanguageInput:
    language: str
    level: str


@dataclass(frozen=True)
class SkillInput:
    skill: EscoSkill
    proficiency: int


@dataclass(frozen=True)
class DegreeInput:
    level: str
    field: str
    institution: str
    year: int
    verification_status: str = VerificationStatus.UNVERIFIED.value


@dataclass(frozen=True)
class EmploymentInput:
    employer: str
    title: str
    start: date
    end: date | None = None
    employer_organisation: Organisation | None = None


def _values(item: LanguageInput | SkillInput | DegreeInput | EmploymentInput) -> dict[str, object]:
    """An input's fields, named as the fields of the model it becomes."""
    return {field.name: getattr(item, field.name) for field in fields(item)}


def _clean(
    instance: models.Model, field: str, errors: dict[str, list[str]], *, exclude: Sequence[str] = ()
) -> bool:
    """Run full_clean; file its messages under `field` (or under the model field names when `field` is "")."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            key = field or name
            errors.setdefault(key, []).extend(messages)
        return False
    return True


@transaction.atomic
def expert_create(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    organisation: Organisation,
    headline: str,
    biography: str = "",
    country: str,
    time_zone: str,
    weekly_capacity_hours: Decimal = Decimal("37.5"),
    cost_rate: Decimal,
    bill_rate: Decimal,
    rate_currency: str,
    internal: bool = False,
    status: str = ExpertStatus.ACTIVE.value,
    domains: Sequence[str] = (),
    languages: Sequence[LanguageInput] = (),
    skills: Sequence[SkillInput] = (),
    degrees: Sequence[DegreeInput] = (),
    employments: Sequence[EmploymentInput] = (),
    membership_role: str = Role.EXPERT.value,
    encoded_password: str | None = None,
) -> ExpertProfile:
    """Create a user with an expert profile, a membership of `organisation` and the profile's details.

    Validates every object. Raises ValidationError keyed by this function's argument names
    (username, country, languages, skills, ...) and writes nothing if anything is invalid.
    `encoded_password` is a hash from make_password; without one the user cannot log in with a password.
    """
    errors: dict[str, list[str]] = {}
    user = get_user_model()(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        password=encoded_password or make_password(None),
    )
    user_valid = _clean(user, "", errors)
    if user_valid:
        user.save()
    profile = ExpertProfile(
        user=user,
        organisation=organisation,
        headline=headline,
        biography=biography,
        country=country,
        time_zone=time_zone,
        weekly_capacity_hours=weekly_capacity_hours,
        cost_rate=cost_rate,
        bill_rate=bill_rate,
        rate_currency=rate_currency,
        internal=internal,
        status=status,
    )
    _clean(profile, "", errors, exclude=() if user_valid else ["user"])
    if internal and not organisation.is_client:
        errors.setdefault("internal", []).append(_("An internal expert belongs to a client organisation."))
    if not internal and organisation.is_client:
        errors.setdefault("organisation", []).append(
            _("An expert who is not internal belongs to a provider.")
        )
    for item in employments:
        if item.end is not None and item.end < item.start:
            errors.setdefault("employments", []).append(
                _("%(employer)s: the end date is before the start date.") % {"employer": item.employer}
            )
    if errors:
        raise ValidationError(errors)
    profile.save()
    children: list[tuple[str, models.Model]] = [
        ("organisation", Membership(user=user, organisation=organisation, role=membership_role)),
        *(("domains", ExpertDomain(expert=profile, domain=domain)) for domain in domains),
    ]
    for field, model, items in (
        ("languages", ExpertLanguage, languages),
        ("skills", ExpertSkill, skills),
        ("degrees", Degree, degrees),
        ("employments", Employment, employments),
    ):
        children += [(field, model(expert=profile, **_values(item))) for item in items]
    for field, child in children:
        if _clean(child, field, errors):
            child.save()
    if errors:
        raise ValidationError(errors)
    return profile
