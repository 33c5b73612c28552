"""Statements of work: one per engagement, versioned, approved by typed-name signatures of both sides.

* ``StatementOfWork``: the engagement's SOW; its text lives in ``SowVersion`` rows.
* ``SowVersion``: one wording (scope, deliverables, acceptance criteria, milestones, assumptions, change
  procedure) with its items. A draft is edited by the side that holds it; a proposal is fixed and goes
  to the other side, who approves it or counter-proposes (a new version); once both sides signed the
  same content hash it is approved, and the version approved before it is superseded.
* ``SowItem``: a numbered item of a version (a deliverable, say "D1"), which tasks and milestones link to
  by its code, so a link carries over to the next approved version that keeps the code.
* ``SowApproval``: one side's typed-name signature of a version's exact content (its SHA-256).
* ``TaskSowLink`` and ``MilestoneSowLink``: which SOW item a task or a milestone delivers. They live here
  because work and economics may not know contracts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kpo.core.models import BaseModel
from kpo.work.models import Engagement, Task


class Side(models.TextChoices):
    CLIENT = "client", _("Client")
    PROVIDER = "provider", _("Provider")


class SowStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")


OPEN_STATUSES = (SowStatus.DRAFT, SowStatus.PROPOSED)


class StatementOfWork(BaseModel):
    engagement = models.OneToOneField(
        Engagement, verbose_name=_("engagement"), on_delete=models.CASCADE, related_name="statement_of_work"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return str(self.engagement)


class SowVersion(BaseModel):
    sow = models.ForeignKey(StatementOfWork, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=SowStatus.choices, default=SowStatus.DRAFT)
    held_by = models.CharField(
        _("held by"),
        max_length=8,
        choices=Side.choices,
        help_text=_("The side that edits a draft, or that proposed the version."),
    )
    scope = models.TextField(_("scope"))
    deliverables = models.TextField(_("deliverables"), blank=True)
    acceptance_criteria = models.TextField(_("acceptance criteria"))
    milestones = models.TextField(_("milestones"), blank=True)
    assumptions = models.TextField(_("assumptions"), blank=True)
    change_procedure = models.TextField(_("change procedure"))
    change_reason = models.TextField(_("reason for the change"), blank=True)
    content_sha256 = models.CharField(_("SHA-256 of the content"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)

    class Meta:
        ordering = ["sow_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["sow", "number"], name="sow_version_unique"),
            models.UniqueConstraint(
                fields=["sow"], condition=Q(status__in=["draft", "proposed"]), name="sow_one_open_version"
            ),
            models.UniqueConstraint(
                fields=["sow"], condition=Q(status="approved"), name="sow_one_approved_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sow} v{self.number}"

    @property
    def other_side(self) -> str:
        return Side.PROVIDER if self.held_by == Side.CLIENT else Side.CLIENT


class SowItem(models.Model):
    version = models.ForeignKey(SowVersion, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    code = models.CharField(_("code"), max_length=12)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["version_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="sow_item_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"


class SowApproval(models.Model):
    version = models.ForeignKey(SowVersion, on_delete=models.CASCADE, related_name="approvals")
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Kept empty when the account is deleted; the typed name and the hash stay."),
    )
    typed_name = models.CharField(_("typed name"), max_length=200)
    signed_at = models.DateTimeField(_("signed"))
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    content_sha256 = models.CharField(_("SHA-256 of the content signed"), max_length=64)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "side"], name="sow_approval_once_per_side"),
        ]


class TaskSowLink(models.Model):
    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="sow_link")
    sow = models.ForeignKey(StatementOfWork, on_delete=models.CASCADE, related_name="task_links")
    code = models.CharField(_("SOW item"), max_length=12)


class MilestoneSowLink(models.Model):
    # A string reference: economics is a sibling on this floor, so contracts does not import it.
    milestone = models.OneToOneField("economics.Milestone", on_delete=models.CASCADE, related_name="sow_link")
    sow = models.ForeignKey(StatementOfWork, on_delete=models.CASCADE, related_name="milestone_links")
    code = models.CharField(_("SOW item"), max_length=12)
