"""Service levels per engagement (on the provider's business calendar), escalations and disputes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpo.core.models import BaseModel, StoredFile
from kpo.core.validators import validate_currency
from kpo.work.models import Engagement, Task

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DEFAULT_RESPONSE_HOURS = Decimal(8)
DEFAULT_AT_RISK_SHARE = Decimal("0.80")
DEFAULT_WORKING_DAYS = "0,1,2,3,4"
DEFAULT_DAY_START = dt.time(9, 0)
DEFAULT_DAY_END = dt.time(17, 0)
DEFAULT_DISPUTE_RESPONSE_DAYS = 3
DEFAULT_MEDIATION_DAYS = 5
MAX_SLA_HOURS = Decimal(10000)

WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def validate_working_days(value: str) -> None:
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not parts or any(part not in {"0", "1", "2", "3", "4", "5", "6"} for part in parts):
        raise ValidationError(_("Choose at least one working day."))


class SlaPolicy(BaseModel):
    """An engagement's service levels, counted in the provider's business hours.

    Response: from the task's submission to the provider's first response (staffing started, or
    the first message in the task's thread from the provider's side), within `response_hours`.
    Delivery: from work started to the first delivery, by the task's own due date (one deadline per
    task). Time on hold does not count. Without a saved policy the defaults apply.
    """

    engagement = models.OneToOneField(Engagement, on_delete=models.CASCADE, related_name="sla_policy")
    response_hours = models.DecimalField(
        _("response time (business hours)"),
        max_digits=6,
        decimal_places=1,
        default=DEFAULT_RESPONSE_HOURS,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(MAX_SLA_HOURS)],
        help_text=_(
            "From the task's submission to the provider's first response: staffing started or the "
            "first message from the provider's side."
        ),
    )
    working_days = models.CharField(
        _("working days"),
        max_length=13,
        default=DEFAULT_WORKING_DAYS,
        validators=[validate_working_days],
        help_text=_("Weekday numbers, Monday is 0."),
    )
    day_start = models.TimeField(_("working day starts"), default=DEFAULT_DAY_START)
    day_end = models.TimeField(_("working day ends"), default=DEFAULT_DAY_END)
    at_risk_share = models.DecimalField(
        _("at risk from"),
        max_digits=3,
        decimal_places=2,
        default=DEFAULT_AT_RISK_SHARE,
        validators=[MinValueValidator(Decimal("0.10")), MaxValueValidator(Decimal("0.99"))],
        help_text=_(
            "A response counts as at risk once this share of its allowance is used; a delivery once its "
            "remaining effort needs more than this share of the business hours left (0.80 = 80 %)."
        ),
    )
    dispute_response_days = models.PositiveSmallIntegerField(
        _("provider's answer to a dispute (business days)"),
        default=DEFAULT_DISPUTE_RESPONSE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    mediation_days = models.PositiveSmallIntegerField(
        _("mediation (business days)"),
        default=DEFAULT_MEDIATION_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"SLA {self.engagement_id}"

    def clean(self) -> None:
        if self.day_start is not None and self.day_end is not None and self.day_end <= self.day_start:
            raise ValidationError({"day_end": _("The working day must end after it starts.")})

    @property
    def weekdays(self) -> frozenset[int]:
        return frozenset(int(part) for part in self.working_days.split(",") if part.strip().isdigit())


class SlaEscalation(models.Model):
    """One escalation sent (per task or dispute, clock and state), so `kpo sla-check` sends each once."""

    key = models.CharField(max_length=120, unique=True)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="sla_escalations")
    clock = models.CharField(max_length=30)
    state = models.CharField(max_length=20)
    due_at = models.DateTimeField()
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at", "-id"]


class DisputeStatus(models.TextChoices):
    OPENED = "opened", _("Awaiting the provider")
    RESPONDED = "responded", _("Provider responded")
    MEDIATION = "mediation", _("In mediation")
    RESOLVED = "resolved", _("Resolved")


class DisputeOutcome(models.TextChoices):
    ACCEPT = "accept", _("Delivery accepted as it is")
    PARTIAL_CREDIT = "partial_credit", _("Partial credit")
    REDO = "redo", _("Redo")


def _credit_percent(label: StrOrPromise) -> models.DecimalField[Decimal | None, Decimal | None]:
    """A credit as a percentage of the task's value (a proposed one, or the one agreed)."""
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )


def _credit_amount(label: StrOrPromise) -> models.DecimalField[Decimal | None, Decimal | None]:
    """A credit as an amount in the engagement's currency (a proposed one, or the one agreed)."""
    return models.DecimalField(
        label,
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )


class Dispute(BaseModel):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="disputes")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=20, choices=DisputeStatus.choices, default=DisputeStatus.OPENED, db_index=True
    )
    response_due_at = models.DateTimeField(_("provider's answer due"))
    provider_response = models.TextField(_("provider's response"), max_length=5000, blank=True)
    proposed_outcome = models.CharField(
        _("proposed outcome"), max_length=20, choices=DisputeOutcome.choices, blank=True
    )
    proposed_credit_percent = _credit_percent(_("proposed credit (%)"))
    proposed_credit_amount = _credit_amount(_("proposed credit amount"))
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    mediation_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    mediation_requested_at = models.DateTimeField(null=True, blank=True)
    mediation_due_at = models.DateTimeField(_("mediation due"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=DisputeOutcome.choices, blank=True)
    credit_percent = _credit_percent(_("credit (%)"))
    credit_amount = _credit_amount(_("credit amount"))
    currency = models.CharField(_("currency"), max_length=3, blank=True, validators=[validate_currency])
    resolution_note = models.TextField(_("resolution"), max_length=5000, blank=True)
    redo_applied = models.BooleanField(
        default=False, help_text="The task went back for rework through its lifecycle."
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Dispute {self.pk} on {self.task_id}"

    @property
    def is_open(self) -> bool:
        return self.status != DisputeStatus.RESOLVED

    @property
    def current_due_at(self) -> dt.datetime | None:
        """The deadline of the step the dispute waits for (None once resolved or between steps)."""
        if self.status == DisputeStatus.OPENED:
            return self.response_due_at
        if self.status == DisputeStatus.MEDIATION:
            return self.mediation_due_at
        return None


class DisputeEvidence(StoredFile):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="evidence")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]


class DisputeStepKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    RESPONDED = "responded", _("Provider responded")
    EVIDENCE = "evidence", _("Evidence added")
    MEDIATION = "mediation", _("Mediation requested")
    RESOLVED = "resolved", _("Resolved")
    OVERDUE = "overdue", _("Deadline passed")


class DisputeStep(models.Model):
    """The history of a dispute: who did what, when, and what they said."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=20, choices=DisputeStepKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]


class MeetingSide(models.TextChoices):
    CLIENT = "client", _("Client")
    PROVIDER = "provider", _("Provider")


class MeetingStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PICKED = "picked", _("Picked")


class Meeting(BaseModel):
    """Up to three slots inside the task's overlap windows, proposed by one side; the other picks one."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="meetings")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("proposing side"), max_length=10, choices=MeetingSide.choices)
    minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    slot_1 = models.DateTimeField(_("first slot"))
    slot_2 = models.DateTimeField(_("second slot"), null=True, blank=True)
    slot_3 = models.DateTimeField(_("third slot"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PROPOSED
    )
    picked = models.DateTimeField(_("picked slot"), null=True, blank=True)
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    @property
    def slots(self) -> list[dt.datetime]:
        return [slot for slot in (self.slot_1, self.slot_2, self.slot_3) if slot is not None]

    @property
    def picked_end(self) -> dt.datetime | None:
        return None if self.picked is None else self.picked + dt.timedelta(minutes=self.minutes)
