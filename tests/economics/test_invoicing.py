"""Invoices against time entries to the cent, numbering, immutability, milestones, PDF and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kpo.audit.models import AuditEntry
from kpo.core.errors import DomainError
from kpo.economics.commercials.documents import invoice_csv, invoice_pdf
from kpo.economics.commercials.money import convert_on, round_half_up
from kpo.economics.commercials.selectors.invoices import Expense, invoice_draft, parse_expenses
from kpo.economics.commercials.services.invoicing import invoice_issue
from kpo.economics.commercials.services.milestones import milestone_create, milestone_reach
from kpo.economics.commercials.services.rate_cards import rate_card_line_create
from kpo.economics.commercials.services.time_approval import time_entries_decide
from kpo.economics.models import Invoice, InvoicedTime, RateCardLine
from kpo.experts.models import EscoOccupation, ExpertProfile
from kpo.work.models import TimeEntry
from tests.cast import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

DAY = dt.date(2026, 10, 5)
ISSUE = dt.date(2026, 10, 30)


def _eur_engagement(cast: Cast) -> None:
    cast.engagement_a.currency = "EUR"
    cast.engagement_a.save()


def _entry(cast: Cast, expert: ExpertProfile, hours: str, day: dt.date = DAY) -> TimeEntry:
    return TimeEntry.objects.create(
        task=cast.task_a, expert=expert, date=day, hours=Decimal(hours), description="work", status="approved"
    )


def _carol(cast: Cast) -> ExpertProfile:
    return ExpertProfile.objects.get(user=cast.carol)


def _rex(cast: Cast) -> ExpertProfile:
    return ExpertProfile.objects.get(user=cast.rex)


def test_awkward_rates_total_to_the_cent_half_up_per_line(cast: Cast) -> None:
    _eur_engagement(cast)
    carol, rex = _carol(cast), _rex(cast)
    ExpertProfile.objects.filter(pk=carol.pk).update(bill_rate=Decimal("97.35"))
    ExpertProfile.objects.filter(pk=rex.pk).update(bill_rate=Decimal("97.30"))
    for _ in range(3):
        _entry(cast, carol, "0.25")  # 0.75 h x 97.35 = 73.0125 -> 73.01
    _entry(cast, rex, "0.25")  # 0.25 h x 97.30 = 24.325 -> 24.33 half-up (24.32 half-even)
    invoice = invoice_issue(
        user=cast.pete, engagement=cast.engagement_a, period_start=DAY, period_end=DAY, issue_date=ISSUE
    )
    lines = {line.expert_id: line for line in invoice.lines.all()}
    assert lines[carol.pk].quantity == Decimal("0.75")
    assert lines[carol.pk].amount == Decimal("73.01")
    assert lines[rex.pk].amount == Decimal("24.33")
    assert invoice.total == Decimal("97.34")
    # the same from the entries themselves, line by line
    entries = TimeEntry.objects.filter(invoiced__invoice=invoice).select_related("expert")
    by_expert: dict[int, Decimal] = {}
    for entry in entries:
        rate = Decimal("97.35") if entry.expert_id == carol.pk else Decimal("97.30")
        by_expert[entry.expert_id] = by_expert.get(entry.expert_id, Decimal(0)) + entry.hours * rate
    expected = sum(
        (value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for value in by_expert.values()), Decimal(0)
    )
    assert invoice.total == expected
    assert invoice.hours == Decimal("1.00")


def test_many_entries_equal_the_sum_of_rounded_lines(cast: Cast) -> None:
    _eur_engagement(cast)
    carol = _carol(cast)
    ExpertProfile.objects.filter(pk=carol.pk).update(bill_rate=Decimal("33.33"))
    hours = ["0.25", "1.75", "2.50", "7.25", "0.50", "3.75"]
    for index, value in enumerate(hours):
        _entry(cast, carol, value, DAY + dt.timedelta(days=index))
    invoice = invoice_issue(
        user=cast.pete,
        engagement=cast.engagement_a,
        period_start=DAY,
        period_end=DAY + dt.timedelta(days=10),
        issue_date=ISSUE,
    )
    total_hours = sum((Decimal(h) for h in hours), Decimal(0))
    assert invoice.hours == total_hours == Decimal("16.00")
    assert invoice.total == (total_hours * Decimal("33.33")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert invoice.total == Decimal("533.28")
    assert InvoicedTime.objects.filter(invoice=invoice).count() == len(hours)


def test_rate_card_rate_valid_on_each_entry_date_splits_lines(cast: Cast) -> None:
    _eur_engagement(cast)
    carol = _carol(cast)
    occupation = EscoOccupation.objects.order_by("id").first()
    assert occupation is not None
    ExpertProfile.objects.filter(pk=carol.pk).update(occupation=occupation, seniority="senior")
    carol.refresh_from_db()
    rate_card_line_create(
        user=cast.pete, provider=cast.provider_p, occupation=occupation, seniority="senior",
        cost_rate=Decimal(40), bill_rate=Decimal("80.00"), currency="EUR",
        valid_from=dt.date(2026, 10, 1), valid_to=dt.date(2026, 10, 9),
    )  # fmt: skip
    rate_card_line_create(
        user=cast.pete, provider=cast.provider_p, occupation=occupation, seniority="senior",
        cost_rate=Decimal(40), bill_rate=Decimal("90.00"), currency="EUR", valid_from=dt.date(2026, 10, 10),
    )  # fmt: skip
    _entry(cast, carol, "2", dt.date(2026, 10, 5))  # 80
    _entry(cast, carol, "1.5", dt.date(2026, 10, 12))  # 90
    _entry(cast, carol, "1", dt.date(2026, 9, 28))  # before any line: profile 60
    invoice = invoice_issue(
        user=cast.pete,
        engagement=cast.engagement_a,
        period_start=dt.date(2026, 9, 1),
        period_end=dt.date(2026, 10, 31),
        issue_date=ISSUE,
    )
    amounts = sorted((line.unit_price, line.quantity, line.amount) for line in invoice.lines.all())
    assert amounts == [
        (Decimal("60.00"), Decimal("1.00"), Decimal("60.00")),
        (Decimal("80.00"), Decimal("2.00"), Decimal("160.00")),
        (Decimal("90.00"), Decimal("1.50"), Decimal("135.00")),
    ]
    assert invoice.total == Decimal("355.00")


def test_rates_in_another_currency_convert_at_the_issue_date_rate(cast: Cast) -> None:
    carol = _carol(cast)  # EUR 60, the engagement is in DKK
    _entry(cast, carol, "1.25")
    invoice = invoice_issue(
        user=cast.pete, engagement=cast.engagement_a, period_start=DAY, period_end=DAY, issue_date=ISSUE
    )
    unit = convert_on(Decimal(60), "EUR", "DKK", ISSUE).amount
    line = invoice.lines.get()
    assert line.unit_price == unit
    assert line.amount == round_half_up(Decimal("1.25") * unit, "DKK")
    assert "ECB reference rate of 2026-10-30" in line.rate_source
    assert invoice.currency == "DKK"


def test_only_approved_uninvoiced_time_in_the_period_is_invoiced_once(cast: Cast) -> None:
    _eur_engagement(cast)
    carol = _carol(cast)
    _entry(cast, carol, "1")
    TimeEntry.objects.create(
        task=cast.task_a, expert=carol, date=DAY, hours=Decimal(2), description="x", status="rejected"
    )
    TimeEntry.objects.create(
        task=cast.task_a, expert=carol, date=DAY, hours=Decimal(4), description="x"
    )  # submitted
    _entry(cast, carol, "8", DAY + dt.timedelta(days=40))  # outside the period
    first = invoice_issue(
        user=cast.pete, engagement=cast.engagement_a, period_start=DAY, period_end=DAY, issue_date=ISSUE
    )
    assert first.hours == Decimal("1.00") and first.total == Decimal("60.00")
    with pytest.raises(DomainError) as error:
        invoice_issue(
            user=cast.pete, engagement=cast.engagement_a, period_start=DAY, period_end=DAY, issue_date=ISSUE
        )
    assert error.value.field == "period_start"
    assert Invoice.objects.count() == 1


def test_numbering_per_provider_and_audit(cast: Cast) -> None:
    _eur_engagement(cast)
    carol = _carol(cast)
    _entry(cast, carol, "1")
    _entry(cast, carol, "1", DAY + dt.timedelta(days=1))
    one = invoice_issue(
        user=cast.pete, engagement=cast.engagement_a, period_start=DAY, period_end=DAY, issue_date=ISSUE
    )
    two = invoice_issue(
        user=cast.pete,
        engagement=cast.engagement_a,
        period_start=DAY,
        period_end=DAY + dt.timedelta(days=1),
        issue_date=ISSUE,
    )
    assert (one.sequence, two.sequence) == (1, 2)
    assert one.number == "PINNACLE-2026-00001" and two.number == "PINNACLE-2026-00002"
    entry = AuditEntry.objects.filter(event="invoice_issued").order_by("seq").last()
    assert entry is not None and entry.details["number"] == two.number
    assert entry.organisation_id == cast.org_a.pk


def test_expenses_and_bad_expenses(cast: Cast) -> None:
    _eur_engagement(cast)
    _entry(cast, _carol(cast), "1")
    invoice = invoice_issue(
        user=cast.pete,
        engagement=cast.engagement_a,
        period_start=DAY,
        period_end=DAY,
        expenses=[Expense("Train to Pune", Decimal("12.40"))],
        issue_date=ISSUE,
    )
    assert invoice.expenses_total == Decimal("12.40")
    assert invoice.total == Decimal("72.40")
    for rows in ([("Taxi", "-3")], [("Taxi", "abc")], [("", "5")], [("Taxi", "1.005")], [("Taxi", "NaN")]):
        with pytest.raises(ValidationError) as error:
            parse_expenses(rows, "EUR")
        assert "expenses" in error.value.message_dict


def test_bad_periods_and_outsiders_change_nothing(cast: Cast) -> None:
    _entry(cast, _carol(cast), "1")
    with pytest.raises(ValidationError) as error:
        invoice_issue(
            user=cast.pete,
            engagement=cast.engagement_a,
            period_start=DAY,
            period_end=DAY - dt.timedelta(days=1),
        )
    assert "period_end" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        invoice_issue(user=cast.pete, engagement=cast.engagement_a, period_start=None, period_end=DAY)
    assert "period_start" in error.value.message_dict
    for who in (cast.alice, cast.quinn, cast.carol):
        with pytest.raises(PermissionDenied):
            invoice_issue(user=who, engagement=cast.engagement_a, period_start=DAY, period_end=DAY)
    assert Invoice.objects.count() == 0


def test_fixed_fee_milestones_are_invoiced_once_reached(cast: Cast) -> None:
    engagement = cast.engagement_a
    with pytest.raises(DomainError):
        milestone_create(user=cast.alice, engagement=engagement, title="Design", amount=Decimal(1000))
    engagement.pricing_model = "fixed_fee"
    engagement.save()
    design = milestone_create(
        user=cast.alice, engagement=engagement, title="Design", amount=Decimal("1000.10")
    )
    build = milestone_create(user=cast.bob, engagement=engagement, title="Build", amount=Decimal("2500"))
    with pytest.raises(PermissionDenied):
        milestone_create(user=cast.pete, engagement=engagement, title="More", amount=Decimal(1))
    with pytest.raises(ValidationError):
        milestone_create(user=cast.alice, engagement=engagement, title="Zero", amount=Decimal(0))
    with pytest.raises(DomainError) as error:
        invoice_issue(user=cast.pete, engagement=engagement)
    assert error.value.field == "milestones"
    milestone_reach(user=cast.alice, milestone=design)
    with pytest.raises(DomainError):
        milestone_reach(user=cast.alice, milestone=design)
    invoice = invoice_issue(user=cast.pete, engagement=engagement, issue_date=ISSUE)
    assert invoice.kind == "milestone"
    assert invoice.total == Decimal("1000.10")
    assert [line.milestone_id for line in invoice.lines.all()] == [design.pk]
    milestone_reach(user=cast.alice, milestone=build)
    second = invoice_issue(user=cast.pete, engagement=engagement, issue_date=ISSUE)
    assert second.total == Decimal("2500.00")
    assert invoice_draft(engagement=engagement, issue_date=ISSUE).lines == []


def test_invoice_documents(cast: Cast) -> None:
    _eur_engagement(cast)
    ExpertProfile.objects.filter(user=cast.carol).update(bill_rate=Decimal("97.35"))
    _entry(cast, _carol(cast), "0.25")
    invoice = invoice_issue(
        user=cast.pete,
        engagement=cast.engagement_a,
        period_start=DAY,
        period_end=DAY,
        expenses=[Expense("=HYPERLINK(evil)", Decimal("1.00"))],
        issue_date=ISSUE,
    )
    rows = list(csv.reader(io.StringIO(invoice_csv(invoice))))
    assert ["total", "25.34"] in rows
    assert any(row and row[0] == "1" and row[5] == "24.34" for row in rows)
    assert any("'=HYPERLINK(evil)" in row for row in rows)
    pdf = invoice_pdf(invoice)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 1000


def test_time_decisions(cast: Cast) -> None:
    entry = cast.time_entry_a
    with pytest.raises(PermissionDenied):
        time_entries_decide(
            user=cast.alice, engagement=cast.engagement_a, entry_ids=[entry.pk], decision="approved"
        )
    with pytest.raises(ValidationError) as error:
        time_entries_decide(
            user=cast.pete, engagement=cast.engagement_a, entry_ids=[entry.pk], decision="rejected"
        )
    assert "note" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        time_entries_decide(user=cast.pete, engagement=cast.engagement_a, entry_ids=[], decision="approved")
    assert "entries" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        time_entries_decide(
            user=cast.pete, engagement=cast.engagement_a, entry_ids=[entry.pk], decision="maybe"
        )
    assert "decision" in error.value.message_dict
    other = TimeEntry.objects.create(
        task=cast.task_b, expert=_carol(cast), date=DAY, hours=Decimal(1), description="b"
    )
    with pytest.raises(ValidationError) as error:
        time_entries_decide(
            user=cast.pete, engagement=cast.engagement_a, entry_ids=[entry.pk, other.pk], decision="approved"
        )
    assert "entries" in error.value.message_dict
    entry.refresh_from_db()
    assert entry.status == "submitted"
    decided = time_entries_decide(
        user=cast.pete, engagement=cast.engagement_a, entry_ids=[entry.pk], decision="approved", note="ok"
    )
    assert [e.status for e in decided] == ["approved"]
    entry.refresh_from_db()
    assert entry.decided_by == cast.pete and entry.decided_at is not None and entry.decision_note == "ok"
    with pytest.raises(DomainError):
        time_entries_decide(
            user=cast.pete, engagement=cast.engagement_a, entry_ids=[entry.pk], decision="rejected", note="no"
        )
    audit = AuditEntry.objects.filter(event="time_decided").get()
    assert audit.details["entries"] == [entry.pk]
    assert cast.carol.notices.filter(kind="time_decided").exists()  # type: ignore[attr-defined]


def test_an_approval_tells_the_expert_per_task(cast: Cast) -> None:
    carol = _carol(cast)
    entries = [
        TimeEntry.objects.create(task=task, expert=carol, date=DAY, hours=hours, description="x")
        for task, hours in (
            (cast.task_a, Decimal("2.5")),
            (cast.draft_a, Decimal(1)),
            (cast.task_a, Decimal(1)),
        )
    ]
    time_entries_decide(
        user=cast.pete, engagement=cast.engagement_a, entry_ids=[e.pk for e in entries], decision="approved"
    )
    texts = sorted(cast.carol.notices.filter(kind="time_decided").values_list("text", flat=True))  # type: ignore[attr-defined]
    assert texts == sorted(
        [
            f"3.5 h of your time on {cast.task_a.title} was approved.",
            f"1 h of your time on {cast.draft_a.title} was approved.",
        ]
    )


def test_rate_card_overlaps_and_currency_are_refused(cast: Cast) -> None:
    occupation = EscoOccupation.objects.order_by("id").first()
    assert occupation is not None
    base = {
        "user": cast.pete, "provider": cast.provider_p, "occupation": occupation, "seniority": "mid",
        "cost_rate": Decimal(30), "bill_rate": Decimal(70),
    }  # fmt: skip
    line = rate_card_line_create(
        **base, currency="eur", valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 6, 30)
    )
    assert line.currency == "EUR"
    for start, end in (
        (dt.date(2026, 6, 30), None),
        (dt.date(2025, 1, 1), dt.date(2026, 1, 1)),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 2)),
    ):
        with pytest.raises(ValidationError) as error:
            rate_card_line_create(**base, currency="EUR", valid_from=start, valid_to=end)
        assert "valid_from" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        rate_card_line_create(**base, currency="", valid_from=dt.date(2027, 1, 1))
    assert "currency" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        rate_card_line_create(**base, currency="XYZ", valid_from=dt.date(2027, 1, 1))
    assert "currency" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        rate_card_line_create(
            **base, currency="EUR", valid_from=dt.date(2027, 1, 2), valid_to=dt.date(2027, 1, 1)
        )
    assert "valid_to" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        rate_card_line_create(**{**base, "user": cast.quinn}, currency="EUR", valid_from=dt.date(2027, 1, 1))
    # another seniority, or right after the line, is fine
    rate_card_line_create(**{**base, "seniority": "senior"}, currency="EUR", valid_from=dt.date(2026, 3, 1))
    rate_card_line_create(**base, currency="EUR", valid_from=dt.date(2026, 7, 1))
    assert RateCardLine.objects.count() == 3
