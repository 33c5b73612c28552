"""A client's matching settings: how the score components are weighted, how many skills must be held."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpo.core.models import BaseModel
from kpo.engine.matching import COMPONENTS, ScoreWeights
from kpo.orgs.models import Organisation, OrganisationKind

DEFAULT_SKILLS_SHARE = Decimal("0.5")
MAX_WEIGHT = 1000


def default_weights() -> dict[str, float]:
    return ScoreWeights().as_dict()


def weights_problem(weights: object) -> str | None:
    """Why `weights` are not valid scoring weights (in the user's language), or None when they are."""
    if not isinstance(weights, dict):
        return str(_("The weights must be an object of numbers by component."))
    unknown = sorted(set(weights) - set(COMPONENTS))
    if unknown:
        return str(
            _("Unknown component %(name)s; the components are %(names)s.")
            % {"name": unknown[0], "names": ", ".join(COMPONENTS)}
        )
    missing = [name for name in COMPONENTS if name not in weights]
    if missing:
        return str(_("The weight %(name)s is missing.") % {"name": missing[0]})
    for name in COMPONENTS:
        value = weights[name]
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return str(_("The weight %(name)s must be a number.") % {"name": name})
        if value < 0:
            return str(_("The weight %(name)s cannot be negative.") % {"name": name})
        if value > MAX_WEIGHT:
            return str(_("The weight %(name)s must be at most %(max)s.") % {"name": name, "max": MAX_WEIGHT})
    try:
        ScoreWeights.from_mapping(weights)
    except (TypeError, ValueError):
        return str(_("At least one weight must be more than zero."))
    return None


class MatchingWeights(BaseModel):
    """One client's scoring weights (see `kpo.engine.matching.ScoreWeights`) and skills share.

    min_skills_share: how many of a task's required skills an eligible expert must hold at the level
    asked, as a share of them: ceil(share x number of skills); 0 scores skills without requiring any.
    """

    client = models.OneToOneField(
        Organisation,
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="matching_weights",
        limit_choices_to={"kind": OrganisationKind.CLIENT},
    )
    weights = models.JSONField(_("weights"), default=default_weights)
    min_skills_share = models.DecimalField(
        _("share of required skills held"),
        max_digits=3,
        decimal_places=2,
        default=DEFAULT_SKILLS_SHARE,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("matching weights")
        verbose_name_plural = _("matching weights")

    def __str__(self) -> str:
        return f"matching weights of {self.client_id}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.client_id is not None and self.client.kind != OrganisationKind.CLIENT:
            errors["client"] = _("Matching weights belong to a client organisation.")
        problem = weights_problem(self.weights)
        if problem:
            errors["weights"] = problem
        if errors:
            raise ValidationError(errors)

    @property
    def score_weights(self) -> ScoreWeights:
        return ScoreWeights.from_mapping(self.weights)


class WorkSample(BaseModel):
    """A piece of an expert's past work (publication, report, deliverable): what text affinity reads.

    Imported in the OpenReview expertise format (`kpo import-work-samples`); `external_id` is the
    note id there, unique per expert.
    """

    expert = models.ForeignKey(
        "experts.ExpertProfile",
        verbose_name=_("expert"),
        on_delete=models.CASCADE,
        related_name="work_samples",
    )
    external_id = models.CharField(_("external id"), max_length=200)
    title = models.CharField(_("title"), max_length=500)
    abstract = models.TextField(_("abstract"), blank=True)

    class Meta:
        verbose_name = _("work sample")
        verbose_name_plural = _("work samples")
        ordering = ["expert_id", "external_id"]
        constraints = [
            models.UniqueConstraint(fields=["expert", "external_id"], name="work_sample_expert_external_id")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def text(self) -> str:
        """What is embedded: the title, then the abstract (as `kpo.engine.affinity.Note.text`)."""
        return f"{self.title}. {self.abstract}" if self.abstract else self.title


class ExpertEmbedding(models.Model):
    """An expert's stored text vectors: float32 `(n, dim)`, row 0 the profile (headline + biography),
    rows 1.. the work samples in `external_id` order. Recomputed (kpo.matching.embeddings) only when
    `content_hash` (of those texts) or `backend_version` changes."""

    expert = models.OneToOneField(
        "experts.ExpertProfile",
        verbose_name=_("expert"),
        on_delete=models.CASCADE,
        related_name="embedding",
    )
    backend = models.CharField(_("backend"), max_length=40)
    backend_version = models.CharField(_("backend version"), max_length=200, db_index=True)
    content_hash = models.CharField(_("content hash"), max_length=64)
    vectors = models.BinaryField(_("vectors"))
    dim = models.PositiveIntegerField(_("dimension"))
    n = models.PositiveIntegerField(_("number of texts"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    """Indexed: the vector cache's freshness check reads max(updated_at) on every use."""

    class Meta:
        verbose_name = _("expert embedding")
        verbose_name_plural = _("expert embeddings")

    def __str__(self) -> str:
        return f"embedding of {self.expert_id} ({self.backend_version})"


class TalentBench(BaseModel):
    """A client's named bench of experts it has worked with ("Trusted IFRS reviewers"): matching offers
    its members right after the client's own staff (kpo.matching.bench)."""

    client = models.ForeignKey(
        Organisation,
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="talent_benches",
        limit_choices_to={"kind": OrganisationKind.CLIENT},
    )
    name = models.CharField(_("name"), max_length=120)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "name"], name="talent_bench_name_unique")]
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class BenchMember(BaseModel):
    bench = models.ForeignKey(TalentBench, on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey(
        "experts.ExpertProfile", verbose_name=_("expert"), on_delete=models.CASCADE, related_name="+"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bench", "expert"], name="bench_member_once")]
        ordering = ["created_at", "id"]
