"""Changes to an engagement's team: scaling up (new tasks to staff from a week on, with the staffing run
that proposes experts) and releasing an expert (assignments cut at a date, hand-over tasks created), and
the planned start of each task such a change created, which the forecast spreads the task's hours from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpo.core.models import BaseModel


class TeamChangeKind(models.TextChoices):
    SCALE_UP = "scale_up", _("Team scaled up")
    RELEASE = "release", _("Expert released")


class TeamChange(BaseModel):
    """`details`: scale-up {experts, skills, starts, hours_per_week, until, task_ids}; release {expert_id,
    on_date, note, task_ids (hand-overs), assignments: [{id, task_id, planned_before, planned_after}]}."""

    engagement = models.ForeignKey("work.Engagement", on_delete=models.CASCADE, related_name="team_changes")
    kind = models.CharField(_("kind"), max_length=20, choices=TeamChangeKind.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    details = models.JSONField(_("details"), default=dict)
    run = models.ForeignKey(
        "staffing.StaffingRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]


class PlannedStart(models.Model):
    """A task created by a team change may not start before `starts`."""

    task = models.OneToOneField("work.Task", on_delete=models.CASCADE, related_name="planned_start")
    change = models.ForeignKey(TeamChange, on_delete=models.CASCADE, related_name="starts")
    starts = models.DateField(_("starts"))
