"""An expert's declared absence: days they will not work (leave, training, illness), which capacity
subtracts from their working days."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpo.core.models import BaseModel
from kpo.experts.models import ExpertProfile


class Absence(BaseModel):
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="absences")
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["expert", "end"], name="capacity_absence_expert_end")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="absence_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert_id}: {self.start} to {self.end}"
