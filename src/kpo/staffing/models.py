"""A staffing run: the tasks a provider manager wants staffed, the solver's proposal, its commit."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpo.core.models import BaseModel
from kpo.orgs.models import Organisation


class RunObjective(models.TextChoices):
    SUM = "sum", _("Best total score")
    MAXMIN_THEN_SUM = "maxmin_then_sum", _("Best weakest task, then best total")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    COMMITTED = "committed", _("Committed")


class StaffingRun(BaseModel):
    """`result` (once done): {"lines": [{task_id, expert_id, score, planned_hours}], "uncovered":
    [{task_id, reason}], "candidates": {task id: [{expert_id, score}]}, "objective", "lp_bound", "gap",
    "solver", "seconds", "status", "window_weeks"}."""

    provider = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="staffing_runs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    task_ids = models.JSONField(_("tasks"), default=list)
    objective = models.CharField(
        _("objective"), max_length=20, choices=RunObjective.choices, default=RunObjective.SUM
    )
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0, validators=[MaxValueValidator(100)])
    message = models.TextField(_("message"), blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    committed_at = models.DateTimeField(_("committed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Staffing run {self.pk}"

    @property
    def active(self) -> bool:
        return self.status in {RunStatus.QUEUED, RunStatus.RUNNING}
