"""The economics models: the make-or-buy scenario, and seven commercial models with two choice lists.

- Make-or-buy (:mod:`kpo.economics.make_or_buy`): ``MakeOrBuyScenario``, a client's saved comparison,
  what went in and what came out.
- Commercials (:mod:`kpo.economics.commercials`): ``RateCardLine`` (a provider's rates per role and
  seniority), ``CommercialTerms`` (an engagement's alert thresholds and savings baseline),
  ``Milestone`` (a fixed-fee payment point), ``Invoice`` (kind: ``InvoiceKind``), ``InvoiceLine``
  (kind: ``InvoiceLineKind``), and ``InvoicedTime`` and ``InvoicedMilestone`` (what each invoice
  billed, each at most once).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpo.core.models import BaseModel
from kpo.core.validators import validate_currency
from kpo.economics.commercials.line_texts import shown
from kpo.experts.models import EscoOccupation, ExpertProfile, Seniority
from kpo.orgs.models import Organisation


class MakeOrBuyScenario(BaseModel):
    """`inputs`: {"occupation", "hours_per_year", "months", "recurring", "currency", "client_country",
    "options": [[sourcing, country], ...], "assumptions": {name: value}}.
    `result`: see :func:`kpo.economics.make_or_buy.services.comparison.make_or_buy`."""

    client = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="make_or_buy_scenarios")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    inputs = models.JSONField(_("inputs"), default=dict)
    result = models.JSONField(_("result"), default=dict)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


# --- commercials: rate cards, milestones, invoices, per-engagement terms --------------------------------


class RateCardLine(BaseModel):
    """One line of a provider's rate card: the hourly cost and bill rates of a role (an ESCO occupation)
    at a seniority, in a currency, valid from `valid_from` to `valid_to` (inclusive; empty = open-ended).
    Lines for the same provider, occupation and seniority may not overlap in time."""

    provider = models.ForeignKey(
        Organisation, verbose_name=_("provider"), on_delete=models.CASCADE, related_name="rate_card_lines"
    )
    occupation = models.ForeignKey(
        EscoOccupation, verbose_name=_("role"), on_delete=models.PROTECT, related_name="+"
    )
    seniority = models.CharField(_("seniority"), max_length=20, choices=Seniority.choices)
    cost_rate = models.DecimalField(
        _("cost rate per hour"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    bill_rate = models.DecimalField(
        _("bill rate per hour"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["provider_id", "occupation__label", "seniority", "-valid_from", "id"]
        indexes = [models.Index(fields=["provider", "occupation", "seniority", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.occupation} ({self.get_seniority_display()})"

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class CommercialTerms(BaseModel):
    """An engagement's commercial settings kept beside it: budget alert thresholds (percent of the
    budget, each fires once), the make-or-buy scenario it came from, and which thresholds have fired."""

    engagement = models.OneToOneField(
        "work.Engagement", on_delete=models.CASCADE, related_name="commercial_terms"
    )
    alert_thresholds = models.JSONField(_("alert thresholds"), default=list, blank=True)
    alerts_fired = models.JSONField(default=list, blank=True)
    scenario = models.ForeignKey(
        MakeOrBuyScenario,
        verbose_name=_("make-or-buy scenario"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagements",
    )


class Milestone(BaseModel):
    """A fixed-fee payment point: invoiced once the client confirms it reached."""

    engagement = models.ForeignKey("work.Engagement", on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    reached_at = models.DateTimeField(_("reached"), null=True, blank=True)
    reached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title


class InvoiceKind(models.TextChoices):
    TIME_AND_MATERIALS = "time_and_materials", _("Time and materials")
    MILESTONE = "milestone", _("Milestones")


class VatTreatment(models.TextChoices):
    """How VAT applies (see `kpo.engine.vat`); empty on invoices issued before kpo stated VAT."""

    DOMESTIC = "domestic", _("Domestic VAT")
    REVERSE_CHARGE = "reverse_charge", _("Reverse charge")
    OUTSIDE_SCOPE = "outside_scope", _("Outside the scope of Danish VAT")


class Invoice(BaseModel):
    """An issued invoice: numbered per provider, immutable, every line snapshotted at issue, and so are
    the seller's and the buyer's names, addresses, countries and VAT numbers, the payment terms, the due
    date (issue date + terms) and the VAT (treatment and rate by `kpo.engine.vat.vat_rule`). `total` is
    the net amount; `gross_total` = `total` + `vat_total`."""

    engagement = models.ForeignKey(
        "work.Engagement", on_delete=models.CASCADE, related_name="invoices"
    )  # no page deletes engagements; the demo reset does
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="invoices_issued")
    client = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="invoices_received")
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=InvoiceKind.choices)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    issue_date = models.DateField(_("issue date"))
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    hours = models.DecimalField(_("hours"), max_digits=12, decimal_places=2, default=Decimal(0))
    work_total = models.DecimalField(_("work"), max_digits=14, decimal_places=2)
    expenses_total = models.DecimalField(_("expenses"), max_digits=14, decimal_places=2, default=Decimal(0))
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    vat_treatment = models.CharField(_("VAT"), max_length=20, choices=VatTreatment.choices, blank=True)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=2, default=Decimal(0))
    vat_total = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2, default=Decimal(0))
    gross_total = models.DecimalField(
        _("total including VAT"), max_digits=14, decimal_places=2, default=Decimal(0)
    )
    payment_terms_days = models.PositiveSmallIntegerField(_("payment terms (days)"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    provider_name = models.CharField(max_length=200)
    provider_address = models.TextField(max_length=400, blank=True)
    provider_country = models.CharField(max_length=2, blank=True)
    provider_vat_number = models.CharField(max_length=20, blank=True)
    client_name = models.CharField(max_length=200)
    client_address = models.TextField(max_length=400, blank=True)
    client_country = models.CharField(max_length=2, blank=True)
    client_vat_number = models.CharField(max_length=20, blank=True)
    engagement_title = models.CharField(max_length=200)
    note = models.CharField(_("note"), max_length=500, blank=True)
    rounding_rule = models.CharField(max_length=300)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued"))

    class Meta:
        ordering = ["-issue_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "sequence"], name="invoice_sequence_per_provider"),
            models.UniqueConstraint(fields=["provider", "number"], name="invoice_number_per_provider"),
        ]

    def __str__(self) -> str:
        return self.number


class InvoiceLineKind(models.TextChoices):
    TIME = "time", _("Time")
    MILESTONE = "milestone", _("Milestone")
    EXPENSE = "expense", _("Expense")


class InvoiceLine(models.Model):
    """A snapshotted line: for time, one expert at one unit rate (hours x rate, rounded half-up); its VAT
    at the invoice's rate on the rounded amount, rounded half-up.

    A time line's texts are kept in no language in `wording` ({"description": message, "rate_source":
    message}, see :mod:`kpo.economics.commercials.line_texts`) and read through `description_text` and
    `rate_source_text` in the reader's language; `description` and `rate_source` hold their English form
    as issued. Expense and milestone lines have no wording: their description is shown as the user typed it.
    """

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=InvoiceLineKind.choices)
    description = models.CharField(max_length=300)
    expert = models.ForeignKey(
        ExpertProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    milestone = models.ForeignKey(
        Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="invoice_lines"
    )
    quantity = models.DecimalField(max_digits=12, decimal_places=2)
    unit_price = models.DecimalField(max_digits=14, decimal_places=2)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(0))
    vat_amount = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    rate_source = models.CharField(max_length=300, blank=True)
    wording = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["invoice_id", "position"]

    @property
    def description_text(self) -> str:
        return shown(self.description, self.wording, "description")

    @property
    def rate_source_text(self) -> str:
        return shown(self.rate_source, self.wording, "rate_source")


class InvoicedTime(models.Model):
    """Which invoice billed a time entry: each approved entry is invoiced at most once."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="time_entries")
    time_entry = models.OneToOneField("work.TimeEntry", on_delete=models.CASCADE, related_name="invoiced")
    line = models.ForeignKey(InvoiceLine, on_delete=models.CASCADE, related_name="+")


class InvoicedMilestone(models.Model):
    """Which invoice billed a milestone: each milestone is invoiced at most once."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="milestones")
    milestone = models.OneToOneField(Milestone, on_delete=models.CASCADE, related_name="invoiced")
