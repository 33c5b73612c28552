"""A saved make-or-buy comparison of one client: what went in and what came out."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpo.core.models import BaseModel
from kpo.orgs.models import Organisation


class MakeOrBuyScenario(BaseModel):
    """`inputs`: {"occupation", "hours_per_year", "months", "recurring", "currency", "client_country",
    "options": [[sourcing, country], ...], "assumptions": {name: value}}.
    `result`: see :func:`kpo.economics.services.make_or_buy`."""

    client = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="make_or_buy_scenarios")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    inputs = models.JSONField(_("inputs"), default=dict)
    result = models.JSONField(_("result"), default=dict)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name
