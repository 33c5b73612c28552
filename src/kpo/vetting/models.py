"""Vetting and the compliance passport (issue 7, items 1 and 2).

A `VettingRecord` is an expert's place in the vetting pipeline of `kpo.engine.vetting`, with its
history in `VettingEvent`. Experts without a record (imports, the bulk seed) were onboarded directly
by their provider: they are "not vetted on kpo" and keep the status their provider gives them.

The passport items (`Credential`, `BackgroundCheck`, `TermsSignature`, `Training`, `Reference`) are
keyed by expert, not by record, so a provider can record the credentials of an expert it onboarded
directly. Together they make the expert's passport (`kpo.engine.passport.Passport`), valid across
engagements and clients until its parts expire. `EngagementRequirements` is what one client asks of
the passports of the experts on one engagement; matching enforces it.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpo.core.models import BaseModel, StoredFile
from kpo.engine.passport import BackgroundCheckResult, CredentialKind
from kpo.engine.vetting import DEFAULT_REVERIFICATION_MONTHS, DEFAULT_TRIAL_PASS_SCORE, VettingState
from kpo.experts.models import Degree, DegreeLevelChoice, ExpertProfile
from kpo.orgs.models import Organisation
from kpo.work.models import Engagement


class VettingStateChoice(models.TextChoices):
    APPLIED = VettingState.APPLIED.value, _("Applied")
    SCREENING = VettingState.SCREENING.value, _("Screening")
    CREDENTIALS_VERIFIED = VettingState.CREDENTIALS_VERIFIED.value, _("Credentials verified")
    TRIAL_SCORED = VettingState.TRIAL_SCORED.value, _("Trial task scored")
    ACTIVE = VettingState.ACTIVE.value, _("Active")
    SUSPENDED = VettingState.SUSPENDED.value, _("Suspended")
    REJECTED = VettingState.REJECTED.value, _("Rejected")


class CredentialKindChoice(models.TextChoices):
    DEGREE = CredentialKind.DEGREE.value, _("Degree")
    LICENCE = CredentialKind.LICENCE.value, _("Licence")
    CERTIFICATION = CredentialKind.CERTIFICATION.value, _("Certificate")


class CredentialStatus(models.TextChoices):
    CLAIMED = "claimed", _("Claimed, not verified")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class VerificationMethod(models.TextChoices):
    REGISTRY_CHECK = "registry_check", _("Registry check")
    ISSUER_CONFIRMATION = "issuer_confirmation", _("Confirmation by the issuer")
    DOCUMENT_REVIEW = "document_review", _("Document review")


class BackgroundResultChoice(models.TextChoices):
    CLEAR = BackgroundCheckResult.CLEAR.value, _("Clear")
    CONSIDER = BackgroundCheckResult.CONSIDER.value, _("Consider (findings to review)")
    FAILED = BackgroundCheckResult.FAILED.value, _("Failed")


class ReferenceOutcome(models.TextChoices):
    PENDING = "pending", _("Not yet contacted")
    POSITIVE = "positive", _("Positive")
    MIXED = "mixed", _("Mixed")
    NEGATIVE = "negative", _("Negative")
    UNREACHABLE = "unreachable", _("Could not be reached")


class VettingPolicy(BaseModel):
    """A provider's own vetting settings; without one, the platform defaults apply."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="vetting_policy")
    reverification_months = models.PositiveSmallIntegerField(
        _("re-verification period (months)"),
        default=DEFAULT_REVERIFICATION_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    trial_pass_score = models.DecimalField(
        _("trial pass mark (1 to 5)"),
        max_digits=3,
        decimal_places=2,
        default=Decimal(str(DEFAULT_TRIAL_PASS_SCORE)),
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(5))],
    )

    def __str__(self) -> str:
        return f"vetting policy of {self.organisation_id}"


class VettingRecord(BaseModel):
    expert = models.OneToOneField(ExpertProfile, on_delete=models.CASCADE, related_name="vetting")
    state = models.CharField(
        _("vetting state"),
        max_length=30,
        choices=VettingStateChoice.choices,
        default=VettingStateChoice.APPLIED,
        db_index=True,
    )
    trial_score = models.DecimalField(
        _("trial score (1 to 5)"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(5))],
    )
    verified_on = models.DateField(_("credentials last verified"), null=True, blank=True)
    reverification_due_on = models.DateField(_("re-verification due"), null=True, blank=True, db_index=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+")

    class Meta:
        ordering = ["expert__user__last_name", "expert__user__first_name", "id"]

    def __str__(self) -> str:
        return f"vetting of expert {self.expert_id}: {self.state}"


class VettingEvent(models.Model):
    """One step of a vetting record's history: who, when, from → to, why."""

    record = models.ForeignKey(VettingRecord, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+")
    action = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(_("from"), max_length=30, choices=VettingStateChoice.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=30, choices=VettingStateChoice.choices)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        ordering = ["at", "id"]


class Credential(StoredFile):
    """A degree, licence or certificate with its evidence (the stored file) and its verification."""

    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="credentials")
    # RESTRICT, not PROTECT: a user may be deleted together with the expert whose evidence they uploaded
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=CredentialKindChoice.choices)
    level = models.CharField(_("degree level"), max_length=20, choices=DegreeLevelChoice.choices, blank=True)
    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    degree = models.ForeignKey(
        Degree,
        verbose_name=_("degree on the profile"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    status = models.CharField(
        _("verification"), max_length=20, choices=CredentialStatus.choices, default=CredentialStatus.CLAIMED
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, null=True, blank=True, related_name="+"
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    method = models.CharField(
        _("how verified"), max_length=30, choices=VerificationMethod.choices, blank=True
    )
    verification_note = models.TextField(_("verification note"), blank=True)

    class Meta:
        ordering = ["kind", "title", "id"]

    def __str__(self) -> str:
        return self.title


class BackgroundCheck(BaseModel):
    """The outcome of a background check: provider, date and result only, nothing more sensitive."""

    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="background_checks")
    provider = models.CharField(_("check provider"), max_length=200)
    checked_on = models.DateField(_("checked on"))
    result = models.CharField(_("result"), max_length=20, choices=BackgroundResultChoice.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+")

    class Meta:
        ordering = ["-checked_on", "-id"]


class Reference(BaseModel):
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="references")
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=200)
    contacted_on = models.DateField(_("contacted on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ReferenceOutcome.choices, default=ReferenceOutcome.PENDING
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+")

    class Meta:
        ordering = ["-contacted_on", "id"]


class TermsSignature(BaseModel):
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="terms_signatures")
    version = models.CharField(_("terms version"), max_length=40)
    signed_on = models.DateField(_("signed on"))

    class Meta:
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["expert", "version"], name="vetting_terms_once_per_version")
        ]


class Training(BaseModel):
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="trainings")
    name = models.CharField(_("training"), max_length=200)
    completed_on = models.DateField(_("completed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+")

    class Meta:
        ordering = ["name", "-completed_on", "id"]


class EngagementRequirements(BaseModel):
    """A client's stricter passport requirements for the experts on one engagement."""

    engagement = models.OneToOneField(
        Engagement, on_delete=models.CASCADE, related_name="passport_requirements"
    )
    require_platform_terms = models.BooleanField(_("platform terms signed"), default=True)
    require_verified_credential = models.BooleanField(
        _("a verified, unexpired degree or licence"), default=True
    )
    min_degree_level = models.CharField(
        _("verified degree at least"), max_length=20, choices=DegreeLevelChoice.choices, blank=True
    )
    required_licences = models.TextField(
        _("licences or certificates (one a line)"),
        blank=True,
        help_text=_("Each must be verified and unexpired; matched by title, ignoring case."),
    )
    background_check_max_age_months = models.PositiveSmallIntegerField(
        _("clear background check, at most this many months old"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    required_trainings = models.TextField(
        _("trainings (one a line)"), blank=True, help_text=_("Each completed and not expired.")
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+")

    def __str__(self) -> str:
        return f"passport requirements of engagement {self.engagement_id}"

    @staticmethod
    def lines(text: str) -> list[str]:
        seen: dict[str, str] = {}
        for line in text.splitlines():
            name = " ".join(line.split())
            if name and name.casefold() not in seen:
                seen[name.casefold()] = name
        return list(seen.values())

    @property
    def licence_list(self) -> list[str]:
        return self.lines(self.required_licences)

    @property
    def training_list(self) -> list[str]:
        return self.lines(self.required_trainings)

    @property
    def is_strict(self) -> bool:
        """Does this ask more than nothing? (An empty row enforces nothing.)"""
        return bool(
            self.min_degree_level
            or self.licence_list
            or self.background_check_max_age_months
            or self.training_list
            or self.require_platform_terms
            or self.require_verified_credential
        )
