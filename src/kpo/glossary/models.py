"""An engagement's glossary: the client's words for things, in English and Danish, with what they mean."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from kpo.core.models import BaseModel
from kpo.work.models import Engagement

FORM_MAX_LENGTH = 100
DEFINITION_MAX_LENGTH = 1000
MAX_TERMS_PER_ENGAGEMENT = 300


class GlossaryTerm(BaseModel):
    """One term of an engagement: its English and Danish forms (each unique in the engagement, without
    regard to case) and its definition. The provider side reads all three through redaction."""

    engagement = models.ForeignKey(
        Engagement, verbose_name=_("engagement"), on_delete=models.CASCADE, related_name="glossary_terms"
    )
    english = models.CharField(_("English"), max_length=FORM_MAX_LENGTH)
    danish = models.CharField(_("Danish"), max_length=FORM_MAX_LENGTH)
    definition = models.TextField(_("definition"), max_length=DEFINITION_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = [Lower("english"), "id"]
        constraints = [
            models.UniqueConstraint(Lower("english"), "engagement", name="glossary_english_unique"),
            models.UniqueConstraint(Lower("danish"), "engagement", name="glossary_danish_unique"),
        ]

    def __str__(self) -> str:
        return self.english
