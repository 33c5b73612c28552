"""Independent review before delivery, the client's acceptance and rating, and the cached quality scores.

- `Rubric`: an engagement's review criteria with weights (unsaved: the default five, equal weights).
- `Review`: the assigned reviewer's verdict on the task's latest deliverable version while the task is in
  review: a 1-5 score per criterion (the criteria are copied in, so a later rubric change does not rewrite
  history), the weighted mean, a comment and the decision (pass and deliver, or send back).
- `ClientRating`: the client's decision on a delivery (accept or request changes) with 1-5 stars and
  feedback; or a rating given after a plain acceptance.
- `QualityScore`: the Bayesian quality estimate per expert, overall (domain "") and per domain,
  recomputed from the evidence whenever it changes (kpo.quality.services.quality_refresh).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpo.core.models import BaseModel
from kpo.experts.models import ExpertProfile
from kpo.work.models import DeliverableVersion, Engagement, Task

SCORE_MIN = 1
SCORE_MAX = 5
WEIGHT_MIN = 1
WEIGHT_MAX = 10
MAX_CRITERIA = 10
CRITERION_NAME_MAX = 100


class Rubric(BaseModel):
    """The criteria an engagement's reviewers score, each with a weight: [{"name": str, "weight": int}]."""

    engagement = models.OneToOneField(Engagement, on_delete=models.CASCADE, related_name="quality_rubric")
    criteria = models.JSONField(_("criteria"), default=list)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Rubric of {self.engagement_id}"


class ReviewDecision(models.TextChoices):
    PASS = "pass", _("Pass and deliver")
    SEND_BACK = "send_back", _("Send back to the maker")


class Review(BaseModel):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(DeliverableVersion, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(ExpertProfile, on_delete=models.PROTECT, related_name="reviews_given")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=ReviewDecision.choices)
    scores = models.JSONField(_("scores"), default=list)  # [{"name", "weight", "score"}]
    score = models.DecimalField(
        _("weighted score"),
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(SCORE_MIN)), MaxValueValidator(Decimal(SCORE_MAX))],
    )
    comment = models.TextField(_("comment"), blank=True)
    round = models.PositiveSmallIntegerField(_("round"), default=1)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Review {self.pk} of task {self.task_id}"

    @property
    def passed(self) -> bool:
        return self.decision == ReviewDecision.PASS


class RatingDecision(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    RATE = "rate", _("Rating after acceptance")


class ClientRating(BaseModel):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="client_ratings")
    version = models.ForeignKey(
        DeliverableVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="client_ratings"
    )
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=20, choices=RatingDecision.choices)
    stars = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
    )
    feedback = models.TextField(_("feedback"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Rating {self.pk} of task {self.task_id}"


class QualityScore(models.Model):
    """The cached estimate for one expert, overall (domain "") or in one domain; on the 0-1 scale."""

    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="quality_scores")
    domain = models.CharField(_("domain"), max_length=40, blank=True)
    mean = models.FloatField(_("mean"))
    lower = models.FloatField(_("lower bound"))
    upper = models.FloatField(_("upper bound"))
    n_effective = models.FloatField(_("evidence weight"))
    reviews = models.PositiveIntegerField(_("reviews"), default=0)
    ratings = models.PositiveIntegerField(_("client ratings"), default=0)
    rework_rounds = models.PositiveIntegerField(_("rework rounds"), default=0)
    deliveries = models.PositiveIntegerField(_("deliveries"), default=0)
    on_time = models.PositiveIntegerField(_("on time"), default=0)
    computed_on = models.DateField(_("computed for"))
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        constraints = [
            # also the index matching reads by: every overall score in one query (domain = "")
            models.UniqueConstraint(fields=["domain", "expert"], name="quality_score_unique"),
        ]
        ordering = ["domain"]

    def __str__(self) -> str:
        return f"{self.expert_id}/{self.domain or 'overall'}: {self.mean:.2f}"
