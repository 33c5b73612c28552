from __future__ import annotations

from collections.abc import Collection, Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpo.core.models import BaseModel
from kpo.core.validators import validate_country, validate_currency, validate_language, validate_time_zone
from kpo.engine.org_names import normalise_name
from kpo.engine.taxonomy import (
    CEFR_LEVELS,
    PROFICIENCY_MAX,
    PROFICIENCY_MIN,
    ConfidentialityLevel,
    DegreeLevel,
    Domain,
)
from kpo.orgs.models import Organisation


class DomainChoice(models.TextChoices):
    FINANCIAL_CONSULTING = Domain.FINANCIAL_CONSULTING.value, _("Financial consulting")
    RESEARCH_DEVELOPMENT = Domain.RESEARCH_DEVELOPMENT.value, _("Research and development")
    MANAGEMENT_CONSULTING = (
        Domain.MANAGEMENT_CONSULTING.value,
        _("Business operations / management consulting"),
    )
    TECHNICAL_ANALYSIS = Domain.TECHNICAL_ANALYSIS.value, _("Technical analysis")
    INVESTMENT_RESEARCH = Domain.INVESTMENT_RESEARCH.value, _("Investment research")
    LEGAL_SERVICES = Domain.LEGAL_SERVICES.value, _("Legal services")
    MEDICINE_HEALTHCARE = Domain.MEDICINE_HEALTHCARE.value, _("Medicine and healthcare")
    DATA_ANALYSIS = Domain.DATA_ANALYSIS.value, _("Data analysis and interpretation")


class DegreeLevelChoice(models.TextChoices):
    BACHELOR = DegreeLevel.BACHELOR.value, _("Bachelor")
    MASTER = DegreeLevel.MASTER.value, _("Master")
    PHD = DegreeLevel.PHD.value, _("PhD")
    PROFESSIONAL = DegreeLevel.PROFESSIONAL.value, _("Professional doctorate / licence")


CEFR_CHOICES = [(level, level if level != "native" else _("Native")) for level in CEFR_LEVELS]


class VerificationStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Unverified")
    PENDING = "pending", _("Pending")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class Clearance(models.TextChoices):
    PUBLIC = ConfidentialityLevel.PUBLIC.value, _("Public")
    INTERNAL = ConfidentialityLevel.INTERNAL.value, _("Internal")
    CONFIDENTIAL = ConfidentialityLevel.CONFIDENTIAL.value, _("Confidential")
    RESTRICTED = ConfidentialityLevel.RESTRICTED.value, _("Restricted")


class Seniority(models.TextChoices):
    JUNIOR = "junior", _("Junior")
    MID = "mid", _("Mid-level")
    SENIOR = "senior", _("Senior")
    PRINCIPAL = "principal", _("Principal")


class ExpertStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class EscoConcept(models.Model):
    """An ESCO concept. `label` is ESCO's preferred label (exact for skills, derived from the text for
    most occupations: kpo/data/SOURCES.md); `text` is ESCO's labels and description as shipped."""

    uri = models.CharField(max_length=120, unique=True)
    label = models.CharField(max_length=255, db_index=True)
    text = models.TextField()

    class Meta:
        abstract = True
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class EscoSkill(EscoConcept):
    """An ESCO skill."""


class EscoOccupation(EscoConcept):
    """An ESCO occupation."""


class ExpertProfile(BaseModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="experts"
    )
    headline = models.CharField(_("headline"), max_length=200)
    biography = models.TextField(_("biography"), blank=True)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country], db_index=True)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    weekly_capacity_hours = models.DecimalField(
        _("weekly capacity (hours)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("37.5"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(80))],
    )
    cost_rate = models.DecimalField(
        _("cost rate per hour"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    bill_rate = models.DecimalField(
        _("bill rate per hour"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    rate_currency = models.CharField(_("rate currency"), max_length=3, validators=[validate_currency])
    internal = models.BooleanField(
        _("internal"), default=False, help_text=_("A client's own staff member, found before outsourcing.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ExpertStatus.choices, default=ExpertStatus.ACTIVE
    )
    occupation = models.ForeignKey(
        EscoOccupation, verbose_name=_("occupation"), on_delete=models.SET_NULL, null=True, blank=True
    )
    clearance = models.CharField(
        _("clearance"),
        max_length=20,
        choices=Clearance.choices,
        default=Clearance.CONFIDENTIAL,
        help_text=_("The highest confidentiality level of material the expert may see."),
    )
    seniority = models.CharField(
        _("seniority"), max_length=20, choices=Seniority.choices, default=Seniority.MID
    )

    class Meta:
        ordering = ["user__last_name", "user__first_name", "id"]
        indexes = [
            # matching's index fingerprint reads max(updated_at) before every shortlist and task-page warning
            models.Index(fields=["updated_at"], name="kpo_expert_updated_at"),
            # the clearance rule reads the few experts of a provider below (or cleared for) a level
            models.Index(fields=["organisation", "clearance"], name="kpo_expert_org_clearance"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class ExpertLanguage(models.Model):
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=2, validators=[validate_language], db_index=True)
    level = models.CharField(_("level"), max_length=6, choices=CEFR_CHOICES)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["expert", "language"], name="expert_language_unique")]


class Degree(models.Model):
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="degrees")
    level = models.CharField(_("level"), max_length=20, choices=DegreeLevelChoice.choices, db_index=True)
    field = models.CharField(_("field"), max_length=200)
    institution = models.CharField(_("institution"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    verification_status = models.CharField(
        _("verification"),
        max_length=20,
        choices=VerificationStatus.choices,
        default=VerificationStatus.UNVERIFIED,
    )

    class Meta:
        ordering = ["-year"]


class ExpertDomain(models.Model):
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("domain"), max_length=40, choices=DomainChoice.choices, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["expert", "domain"], name="expert_domain_unique")]


class ExpertSkill(models.Model):
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(EscoSkill, on_delete=models.PROTECT, related_name="+")
    proficiency = models.PositiveSmallIntegerField(
        _("proficiency"), validators=[MinValueValidator(PROFICIENCY_MIN), MaxValueValidator(PROFICIENCY_MAX)]
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["expert", "skill"], name="expert_skill_unique")]


class EmploymentQuerySet(models.QuerySet["Employment"]):
    """Writers that skip `Employment.save()` still set `employer_key`: bulk_create and bulk_update
    compute it for every object, update() from a literal employer name (an expression needs the key
    passed with it)."""

    def bulk_create(
        self,
        objs: Iterable[Employment],
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        update_conflicts: bool = False,
        update_fields: Collection[str] | None = None,
        unique_fields: Collection[str] | None = None,
    ) -> list[Employment]:
        objs = list(objs)
        for employment in objs:
            employment.employer_key = normalise_name(employment.employer)
        if update_fields is not None and "employer" in update_fields:
            update_fields = {*update_fields, "employer_key"}
        return super().bulk_create(
            objs,
            batch_size=batch_size,
            ignore_conflicts=ignore_conflicts,
            update_conflicts=update_conflicts,
            update_fields=update_fields,
            unique_fields=unique_fields,
        )

    def bulk_update(
        self, objs: Iterable[Employment], fields: Iterable[str], batch_size: int | None = None
    ) -> int:
        objs, names = list(objs), set(fields)
        if "employer" in names:
            for employment in objs:
                employment.employer_key = normalise_name(employment.employer)
            names.add("employer_key")
        return super().bulk_update(objs, sorted(names), batch_size=batch_size)

    def update(self, **kwargs: Any) -> int:
        if "employer" in kwargs and "employer_key" not in kwargs:  # bulk_update passes both
            if not isinstance(kwargs["employer"], str):
                raise TypeError("Employment.employer can be updated in bulk only to a literal name")
            kwargs["employer_key"] = normalise_name(kwargs["employer"])
        return super().update(**kwargs)


class Employment(models.Model):
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="employments")
    employer = models.CharField(_("employer"), max_length=200)
    employer_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)
    employer_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    """`normalise_name(employer)`, set on save: the conflict-of-interest rule finds a client's
    competitors' (former) staff by this indexed key instead of a substring scan of every employer.
    Writers that skip save() go through `EmploymentQuerySet`, which sets it too."""

    objects = EmploymentQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.employer_key = normalise_name(self.employer)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "employer" in update_fields:
            kwargs["update_fields"] = {*update_fields, "employer_key"}
        super().save(*args, **kwargs)
