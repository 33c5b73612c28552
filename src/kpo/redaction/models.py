"""Client-declared sensitive terms: words an expert must never see in a task's text."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from kpo.core.models import BaseModel
from kpo.engine.redaction import Category
from kpo.orgs.models import Organisation

TERM_MAX_LENGTH = 100
TERM_MIN_LENGTH = 2
MAX_TERMS_PER_CLIENT = 500


class TermCategory(models.TextChoices):
    PRODUCT = Category.PRODUCT.value, _("Product or code name")
    CUSTOMER = Category.CUSTOMER.value, _("Customer")
    PERSON = Category.PERSON.value, _("Person")
    OTHER = Category.OTHER.value, _("Other")


class SensitiveTerm(BaseModel):
    """A term of one client, replaced by a placeholder (e.g. `[PRODUCT-1]`) wherever the provider side
    reads that client's task texts: whole words only, without regard to case."""

    client = models.ForeignKey(
        Organisation, verbose_name=_("client"), on_delete=models.CASCADE, related_name="sensitive_terms"
    )
    term = models.CharField(_("term"), max_length=TERM_MAX_LENGTH)
    category = models.CharField(
        _("category"), max_length=20, choices=TermCategory.choices, default=TermCategory.OTHER
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["category", "term", "id"]
        constraints = [
            models.UniqueConstraint(Lower("term"), "client", name="redaction_term_unique_per_client"),
        ]

    def __str__(self) -> str:
        return self.term
