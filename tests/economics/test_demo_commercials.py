"""The demo world shows budgets, invoices (time and materials, a fixed-fee milestone), realised savings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from kpo.demo.organisations import MANUFACTURER
from kpo.demo.seed import seed_demo
from kpo.economics.commercials.selectors.budget import budget_status
from kpo.economics.commercials.selectors.savings import engagement_savings
from kpo.economics.models import CommercialTerms, Invoice, RateCardLine
from kpo.engine.vat import vat_rule
from kpo.notices.models import Notice
from kpo.work.models import Engagement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _isolated(settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def test_demo_commercials() -> None:
    written = seed_demo(now=timezone.now(), experts=60, seed=7)
    assert written["rate_card_lines"] > 0 and written["scenarios"] >= 3
    kinds = set(Invoice.objects.values_list("kind", flat=True))
    assert kinds == {"time_and_materials", "milestone"}
    for invoice in Invoice.objects.all():
        assert invoice.total == sum(line.amount for line in invoice.lines.all())
        assert invoice.gross_total == invoice.total + sum(line.vat_amount for line in invoice.lines.all())
        assert invoice.client_vat_number.startswith("DK") and invoice.client_address
        assert invoice.provider_vat_number and invoice.due_date is not None
    for (
        invoice
    ) in Invoice.objects.all():  # which engagements have billable time depends on the demo's staffing
        rule = vat_rule(invoice.provider_country, invoice.client_country)
        assert (invoice.vat_treatment, invoice.vat_rate) == (rule.treatment.value, rule.rate), invoice.number
    assert len(set(Invoice.objects.values_list("vat_treatment", flat=True))) >= 2
    manufacturer = Engagement.objects.filter(client__slug=MANUFACTURER)
    statuses = [budget_status(engagement) for engagement in manufacturer]
    assert any(status.percent is not None and status.percent >= 80 for status in statuses)
    assert Notice.objects.filter(kind="budget_alert", user__username="alice").exists()
    linked = [t.engagement for t in CommercialTerms.objects.filter(scenario__isnull=False)]
    savings = [engagement_savings(engagement) for engagement in linked]
    assert any(s is not None and s.hours > 0 and s.saved > 0 for s in savings)
    assert RateCardLine.objects.exists()
