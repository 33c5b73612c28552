"""An expert's declared absence: days they will not work (leave, training, illness), which capacity
subtracts from their working days; and a provider's teams, which capacity sums per week."""

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


class Team(BaseModel):
    """A named group of a provider's experts (a practice, a desk, a domain team), kept by its managers so
    capacity reads per team; an expert may be in several teams or in none."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="teams", verbose_name=_("provider")
    )
    name = models.CharField(_("name"), max_length=100)
    members: models.ManyToManyField[ExpertProfile, TeamMember] = models.ManyToManyField(
        ExpertProfile, through="TeamMember", related_name="teams"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="team_memberships")
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["team_id", "expert_id"]
        constraints = [models.UniqueConstraint(fields=["team", "expert"], name="team_member_unique")]
