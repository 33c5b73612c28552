"""Conflicts of interest and data residency: a client's policy, competitors and transfer countries,
experts' own declarations, and reviewed exceptions.

A client without a saved policy has the defaults (`CompliancePolicy.defaults_for`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpo.core.models import BaseModel
from kpo.core.validators import validate_country
from kpo.experts.models import ExpertProfile
from kpo.orgs.models import Organisation
from kpo.work.models import Engagement

DEFAULT_COOLING_OFF_MONTHS = 6
DEFAULT_SENSITIVE_COOLING_OFF_MONTHS = 12
MAX_COOLING_OFF_MONTHS = 120


class CompliancePolicy(BaseModel):
    client = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="compliance_policy")
    cooling_off_months = models.PositiveSmallIntegerField(
        _("cooling-off period (months)"),
        default=DEFAULT_COOLING_OFF_MONTHS,
        validators=[MaxValueValidator(MAX_COOLING_OFF_MONTHS)],
        help_text=_("How long after leaving a competitor an expert may not work for you."),
    )
    sensitive_cooling_off_months = models.PositiveSmallIntegerField(
        _("cooling-off period for sensitive engagements (months)"),
        default=DEFAULT_SENSITIVE_COOLING_OFF_MONTHS,
        validators=[MaxValueValidator(MAX_COOLING_OFF_MONTHS)],
        help_text=_("Used instead for engagements marked sensitive; at least the normal period."),
    )
    forbid_former_employees = models.BooleanField(
        _("exclude our own former employees during the cooling-off period"), default=False
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("compliance policy")
        verbose_name_plural = _("compliance policies")

    def __str__(self) -> str:
        return f"{self.client}"

    @classmethod
    def defaults_for(cls, client: Organisation) -> CompliancePolicy:
        """The policy a client has before saving one (not saved)."""
        return cls(client=client)


class Competitor(BaseModel):
    client = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="competitors")
    name = models.CharField(_("name"), max_length=200)
    key = models.CharField(_("comparison key"), max_length=200, db_index=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation on the platform"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="competitor_unique_per_client")]

    def __str__(self) -> str:
        return self.name


class TransferMechanism(models.TextChoices):
    SCC = "scc", _("Standard contractual clauses")
    BCR = "bcr", _("Binding corporate rules")
    DEROGATION = "derogation", _("Derogation (GDPR Art. 49)")
    OTHER = "other", _("Other (explain in the note)")
    NOT_NEEDED = "not_needed", _("None needed (client outside the EU/EEA)")


class TransferCountry(BaseModel):
    """A country a client allows personal data to go to, with the transfer mechanism in place."""

    client = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="transfer_countries")
    country = models.CharField(_("country"), max_length=2, validators=[validate_country])
    mechanism = models.CharField(_("transfer mechanism"), max_length=20, choices=TransferMechanism.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["country"]
        constraints = [
            models.UniqueConstraint(fields=["client", "country"], name="transfer_country_unique_per_client")
        ]

    def __str__(self) -> str:
        return f"{self.client}: {self.country}"


class ConflictDeclaration(BaseModel):
    """An expert's own declaration: "I have a conflict with <organisation>"."""

    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="conflict_declarations")
    name = models.CharField(_("organisation"), max_length=200)
    key = models.CharField(_("comparison key"), max_length=200, db_index=True, editable=False)
    client = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("client on the platform"),
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ConflictException(BaseModel):
    """A reviewed exception: this expert may work on this engagement despite a conflict of interest."""

    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="conflict_exceptions")
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="conflict_exceptions")
    justification = models.TextField(_("justification"), max_length=2000)
    conflict = models.CharField(_("conflict excepted"), max_length=1000, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["expert", "engagement"], name="conflict_exception_unique")
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.engagement}"
