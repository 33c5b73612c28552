"""An issued invoice's lines read in the reader's language, whoever issued it and in whatever language:
the time line ("Carol Expert, hours" / "Carol Expert, timer") and its rate source with the ECB conversion,
numbers and dates formatted for the language, on the invoice page, in the PDF, the CSV and the API; typed
expense texts stay as typed; nothing on the invoice changes when names or rates change after issue; and
lines issued before the wording was kept are converted by the migration where it can read them."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from kpo.economics.commercials import line_texts
from kpo.economics.commercials.documents import invoice_csv
from kpo.economics.commercials.money import convert_on
from kpo.economics.commercials.selectors.invoices import Expense, invoice_draft
from kpo.economics.commercials.services.invoicing import invoice_issue
from kpo.economics.commercials.services.rate_cards import rate_card_line_create
from kpo.economics.models import Invoice, InvoiceLine, RateCardLine
from kpo.engine.messages import to_json
from kpo.experts.models import EscoOccupation, ExpertProfile
from kpo.orgs.services import api_token_create
from kpo.work.models import TimeEntry
from tests.cast import Cast, issued_invoice
from tests.openapi_contract import check_against_openapi

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

DAY = dt.date(2026, 10, 5)
ISSUE = dt.date(2026, 10, 30)  # the ECB rate of that day: 1 EUR = 7.4735 DKK
NBSP = "\u00a0"

CONVERTED_EN = "profile bill rate: €60.00; 1 EUR = 7.4735 DKK (ECB reference rate of 30 Oct 2026)"
CONVERTED_DA = f"profilens timepris: 60,00{NBSP}€; 1 EUR = 7,4735 DKK (ECB-referencekurs den 30. okt. 2026)"


def _carol(cast: Cast) -> ExpertProfile:
    return ExpertProfile.objects.get(user=cast.carol)


def _issue(cast: Cast, *, language: str, expenses: tuple[Expense, ...] = ()) -> Invoice:
    """pete issues engagement A's invoice (DKK) for 2.5 h of carol's (EUR 60 on her profile)."""
    TimeEntry.objects.create(
        task=cast.task_a,
        expert=_carol(cast),
        date=DAY,
        hours=Decimal("2.5"),
        description="w",
        status="approved",
    )
    with translation.override(language):
        return invoice_issue(
            user=cast.pete,
            engagement=cast.engagement_a,
            period_start=DAY,
            period_end=DAY,
            issue_date=ISSUE,
            expenses=expenses,
        )


def _in(language: str, line: InvoiceLine) -> tuple[str, str]:
    with translation.override(language):
        return line.description_text, line.rate_source_text


def _page(client: Client, invoice: Invoice, language: str) -> str:
    client.cookies["django_language"] = language
    return client.get(reverse("invoice_detail", kwargs={"invoice_id": invoice.pk})).content.decode()


def test_a_time_line_in_the_invoice_currency_reads_in_english_and_danish(cast: Cast) -> None:
    cast.engagement_a.currency = "EUR"
    cast.engagement_a.save()
    invoice = _issue(cast, language="en")
    line = invoice.lines.get()
    assert _in("en", line) == ("Carol Expert, hours", "profile bill rate")
    assert _in("da", line) == ("Carol Expert, timer", "profilens timepris")
    assert line.wording == {
        "description": {"id": "%(expert)s, hours", "params": {"expert": "Carol Expert"}},
        "rate_source": {"id": "profile bill rate", "params": {}},
    }


def test_a_rate_card_line_is_named_in_the_readers_language(cast: Cast) -> None:
    cast.engagement_a.currency = "EUR"
    cast.engagement_a.save()
    occupation = EscoOccupation.objects.order_by("id").first()
    assert occupation is not None
    ExpertProfile.objects.filter(user=cast.carol).update(occupation=occupation, seniority="senior")
    card = rate_card_line_create(
        user=cast.pete, provider=cast.provider_p, occupation=occupation, seniority="senior",
        cost_rate=Decimal(40), bill_rate=Decimal("80.00"), currency="EUR", valid_from=dt.date(2026, 10, 1),
    )  # fmt: skip
    line = _issue(cast, language="da").lines.get()
    assert _in("en", line) == ("Carol Expert, hours", f"rate card line {card.pk}")
    assert _in("da", line) == ("Carol Expert, timer", f"prislistelinje {card.pk}")


def test_a_converted_line_reads_in_english_and_danish_whoever_issued_it(cast: Cast, client_for) -> None:
    for language in ("en", "da"):
        InvoiceLine.objects.all().delete()
        Invoice.objects.all().delete()
        TimeEntry.objects.filter(description="w").delete()
        line = _issue(cast, language=language).lines.get()
        assert line.unit_price == Decimal("448.41")  # 60 x 7.4735 = 448.41, half-up to the øre
        assert _in("en", line) == ("Carol Expert, hours", CONVERTED_EN)
        assert _in("da", line) == ("Carol Expert, timer", CONVERTED_DA)
        # the record beside the wording is English, whatever the issuer's language
        assert line.description == "Carol Expert, hours"
        assert line.rate_source == (
            "profile bill rate: EUR 60.00; 1 EUR = 7.4735 DKK (ECB reference rate of 2026-10-30)"
        )
    invoice = Invoice.objects.get()
    client = client_for("alice")
    danish = _page(client, invoice, "da")
    assert "Carol Expert, timer" in danish and CONVERTED_DA in danish
    assert "hours" not in danish and "profile bill rate" not in danish and "reference rate" not in danish
    english = _page(client, invoice, "en")
    assert "Carol Expert, hours" in english and CONVERTED_EN in english and "timer" not in english


def test_expense_texts_stay_as_typed_in_every_language(cast: Cast, client_for) -> None:
    invoice = _issue(cast, language="en", expenses=(Expense("Taxi to the plant", Decimal("120.00")),))
    expense = invoice.lines.get(kind="expense")
    assert expense.wording == {}
    assert _in("da", expense) == ("Taxi to the plant", "")
    danish = _page(client_for("alice"), invoice, "da")
    assert "Taxi to the plant" in danish and "Carol Expert, timer" in danish


def test_the_danish_pdf_and_csv_read_the_lines_in_danish(cast: Cast, client_for) -> None:
    invoice = _issue(cast, language="en")
    client = client_for("alice")
    client.cookies["django_language"] = "da"
    response = client.get(reverse("invoice_pdf", kwargs={"invoice_id": invoice.pk}))
    assert response.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flowing = " ".join(text.split())  # the PDF breaks lines anywhere
    assert "Carol Expert, timer" in flowing
    assert "profilens timepris: 60,00 €; 1 EUR = 7,4735 DKK (ECB-referencekurs den 30. okt. 2026)" in flowing
    assert "hours" not in flowing and "profile bill rate" not in flowing and "reference rate" not in flowing
    with translation.override("da"):
        rows = list(csv.reader(io.StringIO(invoice_csv(invoice))))
    [line] = [row for row in rows if row and row[0] == "1"]
    assert line[2] == "Carol Expert, timer" and line[8] == CONVERTED_DA
    assert dict(row[:2] for row in rows if len(row) >= 2)["rounding"].startswith("Hver linje er antal")


def test_the_api_gives_the_lines_in_the_requests_language(cast: Cast) -> None:
    invoice = _issue(cast, language="en")
    _, token = api_token_create(user=cast.alice, name="ap")
    url = f"/api/invoices/{invoice.pk}"
    danish = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="da")
    check_against_openapi("GET", url, danish)
    [line] = danish.json()["lines"]
    assert line["description"] == "Carol Expert, timer" and line["rate_source"] == CONVERTED_DA
    english = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")
    [line] = english.json()["lines"]
    assert line["description"] == "Carol Expert, hours" and line["rate_source"] == CONVERTED_EN


def test_the_commercials_preview_reads_in_the_readers_language(cast: Cast, client_for) -> None:
    TimeEntry.objects.create(
        task=cast.task_a,
        expert=_carol(cast),
        date=DAY,
        hours=Decimal("2.5"),
        description="w",
        status="approved",
    )
    client = client_for("pete")
    client.cookies["django_language"] = "da"
    url = reverse("engagement_commercials", kwargs={"engagement_id": cast.engagement_a.pk})
    body = client.get(url, {"period_start": "2026-10-01", "period_end": "2026-10-31"}).content.decode()
    assert "Carol Expert, timer" in body and "profilens timepris: 60,00" in body
    assert (
        "ECB-referencekurs den" in body and "hours" not in body.split("<tbody>", 1)[-1].split("</tbody>")[0]
    )


def test_the_lines_do_not_change_when_names_and_rates_change_after_issue(cast: Cast, client_for) -> None:
    invoice = _issue(cast, language="en")
    line = invoice.lines.get()
    before = (line.wording, _in("en", line), _in("da", line), line.unit_price)
    cast.carol.first_name = "Caroline"
    cast.carol.save()
    occupation = EscoOccupation.objects.order_by("id").first()
    assert occupation is not None
    ExpertProfile.objects.filter(user=cast.carol).update(
        bill_rate=Decimal("99.00"), rate_currency="USD", occupation=occupation, seniority="senior"
    )
    RateCardLine.objects.create(
        provider=cast.provider_p, occupation=occupation, seniority="senior", cost_rate=Decimal(1),
        bill_rate=Decimal("75.00"), currency="GBP", valid_from=dt.date(2026, 1, 1), created_by=cast.pete,
    )  # fmt: skip
    # the change is real: what would be invoiced now reads differently
    TimeEntry.objects.create(
        task=cast.task_a,
        expert=_carol(cast),
        date=DAY,
        hours=Decimal(1),
        description="late",
        status="approved",
    )
    [fresh] = invoice_draft(
        engagement=cast.engagement_a, issue_date=ISSUE, period_start=DAY, period_end=DAY
    ).lines
    with translation.override("en"):
        assert fresh.description_text == "Caroline Expert, hours" and "GBP" in fresh.rate_source_text
    line = InvoiceLine.objects.get(pk=line.pk)
    assert (line.wording, _in("en", line), _in("da", line), line.unit_price) == before
    danish = _page(client_for("alice"), invoice, "da")
    assert "Carol Expert, timer" in danish and CONVERTED_DA in danish and "Caroline" not in danish


# --- invoices issued before the wording was kept ----------------------------------------------------------


def _old_line(invoice: Invoice, position: int, kind: str, description: str, rate_source: str) -> InvoiceLine:
    return InvoiceLine.objects.create(
        invoice=invoice,
        position=position,
        kind=kind,
        description=description,
        quantity=Decimal(1),
        unit_price=Decimal("448.41"),
        amount=Decimal("448.41"),
        rate_source=rate_source,
    )


def test_the_migration_words_old_lines_it_can_read_and_leaves_the_rest(cast: Cast, client_for) -> None:
    invoice = issued_invoice(cast)
    english = _old_line(
        invoice,
        1,
        "time",
        "Carol Expert, hours",
        "rate card line 7: EUR 60.00; 1 EUR = 7.4735 DKK (ECB reference rate of 2026-10-30)",
    )
    danish = _old_line(invoice, 2, "time", "Rex Reviewer, timer", "profilens timepris")
    edited = _old_line(invoice, 3, "time", "Carol Expert (senior) - 2 hours", "agreed rate, see SOW")
    expense = _old_line(invoice, 4, "expense", "Taxi, hours", "")
    migration = importlib.import_module("kpo.economics.migrations.0004_invoice_line_wording")

    migration.word_old_lines(apps, None)

    for line in (english, danish, edited, expense):
        line.refresh_from_db()
    converted = convert_on(Decimal(60), "EUR", "DKK", ISSUE)
    assert english.wording == {
        "description": to_json(line_texts.hours_of("Carol Expert")),
        "rate_source": to_json(
            line_texts.rate_source(
                card_line=7, amount=Decimal("60.00"), currency="EUR", target="DKK", converted=converted
            )
        ),
    }  # the very form issuing keeps now
    assert _in("da", english) == (
        "Carol Expert, timer",
        f"prislistelinje 7: 60,00{NBSP}€; 1 EUR = 7,4735 DKK (ECB-referencekurs den 30. okt. 2026)",
    )
    assert _in("en", danish) == ("Rex Reviewer, hours", "profile bill rate")
    assert edited.wording == {} and _in("da", edited) == (
        "Carol Expert (senior) - 2 hours",
        "agreed rate, see SOW",
    )
    assert expense.wording == {} and _in("da", expense) == ("Taxi, hours", "")
    # the stored text stays the record of what was issued
    assert english.description == "Carol Expert, hours" and danish.rate_source == "profilens timepris"
    page = _page(client_for("alice"), invoice, "da")
    assert "Carol Expert, timer" in page and "Rex Reviewer, timer" in page and "prislistelinje 7" in page

    migration.word_old_lines(apps, None)  # again: nothing worded is read twice
    english.refresh_from_db()
    assert english.wording["description"] == to_json(line_texts.hours_of("Carol Expert"))


def test_the_migration_reads_a_description_and_a_rate_source_on_their_own(cast: Cast) -> None:
    invoice = issued_invoice(cast)
    half = _old_line(invoice, 1, "time", "Carol Expert, hours", "rate card line seven")
    other = _old_line(
        invoice,
        2,
        "time",
        "Carol Expert: hours",
        "profile bill rate: EUR 60.00; 1 USD = 6.4 DKK (ECB reference rate of 2026-10-30)",
    )
    importlib.import_module("kpo.economics.migrations.0004_invoice_line_wording").word_old_lines(apps, None)
    half.refresh_from_db()
    other.refresh_from_db()
    assert set(half.wording) == {"description"} and _in("da", half) == (
        "Carol Expert, timer",
        "rate card line seven",
    )
    assert other.wording == {}  # the rate's currency is not the one converted: not read
