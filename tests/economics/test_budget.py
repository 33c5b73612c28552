"""Budget burn, forecast, alerts that fire once, realised savings, and the rate card in matching."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kpo.audit.models import AuditEntry
from kpo.core.clock import installation_date
from kpo.economics.commercials.money import convert_on
from kpo.economics.commercials.selectors.budget import budget_status
from kpo.economics.commercials.selectors.client_dashboard import client_commercials
from kpo.economics.commercials.selectors.savings import engagement_savings
from kpo.economics.commercials.services.budget import budget_check, commercial_terms_update, parse_thresholds
from kpo.economics.commercials.services.invoicing import invoice_issue
from kpo.economics.commercials.services.rate_cards import rate_card_line_create
from kpo.economics.models import CommercialTerms, MakeOrBuyScenario
from kpo.experts.models import EscoOccupation, ExpertProfile
from kpo.matching.records import expert_records
from kpo.notices.models import Notice
from kpo.work.models import Engagement, TimeEntry
from tests.cast import Cast

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 10, 5)
ISSUE = dt.date(2026, 10, 30)


def _eur(cast: Cast, budget: str = "1000") -> Engagement:
    engagement = cast.engagement_a
    engagement.currency = "EUR"
    engagement.budget = Decimal(budget)
    engagement.save()
    return engagement


def _approved(cast: Cast, hours: str, day: dt.date = DAY) -> TimeEntry:
    carol = ExpertProfile.objects.get(user=cast.carol)  # EUR 60 an hour
    return TimeEntry.objects.create(
        task=cast.task_a, expert=carol, date=day, hours=Decimal(hours), description="w", status="approved"
    )


def test_spend_counts_invoices_and_approved_time_and_forecasts(cast: Cast) -> None:
    engagement = _eur(cast)
    _approved(cast, "2")  # 120
    invoice_issue(user=cast.pete, engagement=engagement, period_start=DAY, period_end=DAY, issue_date=ISSUE)
    _approved(cast, "1.5", DAY + dt.timedelta(days=1))  # 90, approved, not invoiced
    status = budget_status(engagement, today=ISSUE)
    assert status.invoiced == Decimal("120.00")
    assert status.approved_uninvoiced == Decimal("90.00")
    assert status.spend == Decimal("210.00")
    assert status.percent == Decimal("21.0")
    # task A: 40 h effort, 3 h submitted (cast) + 3.5 h approved logged -> 33.5 h left; the draft: 10 h
    assert status.remaining_hours == Decimal("43.5")
    assert status.average_rate == Decimal("60.00")
    assert status.forecast == Decimal("210.00") + Decimal("43.5") * 60


def test_forecast_uses_assigned_rates_before_any_time(cast: Cast) -> None:
    engagement = _eur(cast)
    status = budget_status(engagement, today=ISSUE)
    assert status.spend == 0
    assert status.average_rate == Decimal("60.00")  # carol and rex, both EUR 60
    assert status.forecast == Decimal("47") * 60  # 40 h + 10 h effort less the 3 h submitted


def test_thresholds_fire_once_with_notices_and_audit(cast: Cast) -> None:
    engagement = _eur(cast, "100")
    _approved(cast, "1.5")  # 90 -> 90 %
    assert budget_check(engagement=engagement, today=ISSUE) == [80]
    assert budget_check(engagement=engagement, today=ISSUE) == []
    recipients = set(Notice.objects.filter(kind="budget_alert").values_list("user__username", flat=True))
    assert recipients == {"alice", "bob", "pete"}
    _approved(cast, "0.5", DAY + dt.timedelta(days=1))  # 120 %
    assert budget_check(engagement=engagement, today=ISSUE) == [100]
    assert Notice.objects.filter(kind="budget_alert", user=cast.alice).count() == 2
    assert AuditEntry.objects.filter(event="budget_alert").count() == 2
    assert CommercialTerms.objects.get(engagement=engagement).alerts_fired == [80, 100]


def test_approving_time_fires_the_alert(cast: Cast) -> None:
    from kpo.economics.commercials.services.time_approval import time_entries_decide

    engagement = _eur(cast, "150")
    entry = cast.time_entry_a  # 3 h x 60 = 180 of 150
    time_entries_decide(user=cast.pete, engagement=engagement, entry_ids=[entry.pk], decision="approved")
    assert sorted(CommercialTerms.objects.get(engagement=engagement).alerts_fired) == [80, 100]


def test_thresholds_are_configurable_and_checked(cast: Cast) -> None:
    assert parse_thresholds("50, 90%; 100") == [50, 90, 100]
    for bad in ("", "abc", "0", "5000", "1,2,3,4,5,6,7"):
        with pytest.raises(ValidationError) as error:
            parse_thresholds(bad)
        assert "alert_thresholds" in error.value.message_dict
    engagement = _eur(cast, "100")
    with pytest.raises(PermissionDenied):
        commercial_terms_update(user=cast.pete, engagement=engagement, alert_thresholds=[50], scenario=None)
    commercial_terms_update(user=cast.alice, engagement=engagement, alert_thresholds=[50], scenario=None)
    _approved(cast, "1")  # 60 %
    assert budget_check(engagement=engagement, today=ISSUE) == [50]


def _scenario(cast: Cast, per_hour: str = "900.00", currency: str = "DKK") -> MakeOrBuyScenario:
    return MakeOrBuyScenario.objects.create(
        client=cast.org_a,
        created_by=cast.alice,
        name="Gearbox analysis",
        inputs={},
        result={
            "currency": currency,
            "options": [
                {"sourcing": "in_house", "cost_per_delivered_hour": per_hour, "hourly_cost": "700.00"},
                {"sourcing": "offshore", "cost_per_delivered_hour": "400.00"},
            ],
        },
    )


def test_realised_savings_against_the_scenario_in_the_client_currency(cast: Cast) -> None:
    engagement = _eur(cast)
    cast.org_a.currency = "DKK"
    cast.org_a.save()
    scenario = _scenario(cast)
    commercial_terms_update(
        user=cast.alice, engagement=engagement, alert_thresholds=[80, 100], scenario=scenario
    )
    _approved(cast, "10")
    invoice = invoice_issue(
        user=cast.pete, engagement=engagement, period_start=DAY, period_end=DAY, issue_date=ISSUE
    )
    assert invoice.total == Decimal("600.00")  # EUR
    savings = engagement_savings(engagement)
    assert savings is not None
    delivered = convert_on(Decimal("600.00"), "EUR", "DKK", ISSUE).amount
    assert savings.currency == "DKK"
    assert savings.hours == Decimal("10.00")
    assert savings.delivered_cost == delivered
    assert savings.baseline == Decimal("9000.00")
    assert savings.saved == Decimal("9000.00") - delivered
    assert any("2026-10-30" in note for note in savings.notes)
    data = client_commercials(cast.org_a.pk, "DKK", Engagement.objects.all())
    assert data.spend_total == delivered
    assert data.by_provider == [(cast.provider_p.name, delivered)]
    assert data.by_country == [("IN", delivered)]
    assert data.savings.saved == savings.saved
    assert [status.engagement.pk for status in data.burn] == [engagement.pk]


def test_linking_another_clients_scenario_is_refused(cast: Cast) -> None:
    other = MakeOrBuyScenario.objects.create(
        client=cast.org_b, created_by=cast.dave, name="Bank", inputs={}, result={}
    )
    with pytest.raises(ValidationError) as error:
        commercial_terms_update(
            user=cast.alice, engagement=cast.engagement_a, alert_thresholds=[80], scenario=other
        )
    assert "scenario" in error.value.message_dict
    empty = MakeOrBuyScenario.objects.create(
        client=cast.org_a, created_by=cast.alice, name="x", inputs={}, result={}
    )
    with pytest.raises(ValidationError):
        commercial_terms_update(
            user=cast.alice, engagement=cast.engagement_a, alert_thresholds=[80], scenario=empty
        )


def test_matching_reads_the_rate_card_line_valid_today(cast: Cast) -> None:
    carol = ExpertProfile.objects.get(user=cast.carol)
    occupation = EscoOccupation.objects.order_by("id").first()
    assert occupation is not None
    ExpertProfile.objects.filter(pk=carol.pk).update(occupation=occupation, seniority="senior")
    today = installation_date(timezone.now())
    start = today - dt.timedelta(days=3)
    for seniority, bill in (("senior", "150.00"), ("junior", "1.00")):
        rate_card_line_create(
            user=cast.pete,
            provider=cast.provider_p,
            occupation=occupation,
            seniority=seniority,
            cost_rate=Decimal(5),
            bill_rate=Decimal(bill),
            currency="EUR",
            valid_from=start,
        )
    records = {record.id: record for record in expert_records(timezone.now())}
    assert records[carol.pk].bill_rate == pytest.approx(150.0)
    rex = ExpertProfile.objects.get(user=cast.rex)
    assert records[rex.pk].bill_rate == pytest.approx(60.0)  # no occupation: the profile's rate
