"""Invoices fit for accounts payable: seller and buyer with addresses and VAT numbers, payment terms and
due date, VAT by the rule (domestic, reverse charge, outside the scope), snapshotted at issue, exactly
printed in the PDF (DejaVu Sans) and listed in the CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from kpo.economics.commercials.documents import invoice_csv
from kpo.economics.commercials.selectors.invoices import Expense
from kpo.economics.commercials.services.invoicing import invoice_issue
from kpo.economics.models import Invoice
from kpo.experts.models import ExpertProfile
from kpo.orgs.billing import organisation_billing_update
from kpo.orgs.models import Organisation
from kpo.orgs.services import api_token_create
from kpo.work.models import TimeEntry
from tests.cast import Cast
from tests.openapi_contract import check_against_openapi

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

DAY = dt.date(2026, 10, 5)
ISSUE = dt.date(2026, 10, 30)
CLIENT_VAT = "DK30128400"


def _billing(org: Organisation, *, country: str, address: str, vat: str, terms: int = 30) -> None:
    Organisation.objects.filter(pk=org.pk).update(
        country=country, postal_address=address, vat_number=vat, payment_terms_days=terms
    )
    org.refresh_from_db()


def _issue(cast: Cast, hours: str = "2.5", expenses: tuple[Expense, ...] = ()) -> Invoice:
    cast.engagement_a.currency = "EUR"
    cast.engagement_a.save()
    carol = ExpertProfile.objects.get(user=cast.carol)
    ExpertProfile.objects.filter(pk=carol.pk).update(bill_rate=Decimal("97.35"))
    TimeEntry.objects.create(
        task=cast.task_a, expert=carol, date=DAY, hours=Decimal(hours), description="work", status="approved"
    )
    return invoice_issue(
        user=cast.pete,
        engagement=cast.engagement_a,
        period_start=DAY,
        period_end=DAY,
        issue_date=ISSUE,
        expenses=expenses,
    )


@pytest.fixture
def client_billing(cast: Cast) -> None:
    _billing(cast.org_a, country="DK", address="Havnegade 4\n9000 Aalborg", vat=CLIENT_VAT)


def test_danish_seller_to_danish_buyer_charges_25_percent(cast: Cast, client_billing: None) -> None:
    _billing(
        cast.provider_p, country="DK", address="Nørregade 7\n1165 København K", vat="DK25568214", terms=14
    )
    invoice = _issue(cast)  # 2.5 h x 97.35 = 243.375 -> 243.38
    assert invoice.vat_treatment == "domestic" and invoice.vat_rate == Decimal(25)
    assert invoice.total == Decimal("243.38")
    assert invoice.vat_total == Decimal("60.85")  # 60.845 half-up
    assert invoice.gross_total == Decimal("304.23")
    [line] = invoice.lines.all()
    assert line.vat_rate == Decimal(25) and line.vat_amount == Decimal("60.85")
    assert invoice.payment_terms_days == 14 and invoice.due_date == dt.date(2026, 11, 13)
    assert invoice.provider_vat_number == "DK25568214" and invoice.client_vat_number == CLIENT_VAT
    assert invoice.provider_address == "Nørregade 7\n1165 København K"
    assert invoice.client_country == "DK" and invoice.provider_country == "DK"


def test_vat_is_per_line_and_sums(cast: Cast, client_billing: None) -> None:
    _billing(cast.provider_p, country="DK", address="", vat="DK25568214")
    invoice = _issue(cast, expenses=(Expense("Taxi", Decimal("0.02")), Expense("Ferry", Decimal("0.02"))))
    vats = sorted(line.vat_amount for line in invoice.lines.all())
    assert vats == [Decimal("0.01"), Decimal("0.01"), Decimal("60.85")]  # 0.005 each, half-up
    assert invoice.vat_total == sum(vats) and invoice.gross_total == invoice.total + invoice.vat_total


def test_polish_seller_to_danish_buyer_is_reverse_charge(cast: Cast, client_billing: None) -> None:
    _billing(cast.provider_p, country="PL", address="ul. Floriańska 3\n31-019 Kraków", vat="PL5260250274")
    invoice = _issue(cast)
    assert invoice.vat_treatment == "reverse_charge" and invoice.vat_rate == 0
    assert invoice.vat_total == 0 and invoice.gross_total == invoice.total
    assert invoice.due_date == ISSUE + dt.timedelta(days=30)  # the default terms
    rows = dict(row[:2] for row in csv.reader(io.StringIO(invoice_csv(invoice))) if len(row) >= 2)
    assert rows["vat_treatment"] == "reverse_charge" and "Reverse charge" in rows["vat_note"]
    assert rows["provider_vat_number"] == "PL5260250274" and rows["gross_total"] == "243.38"


def test_indian_seller_is_outside_the_scope_of_danish_vat(
    cast: Cast, client_for, client_billing: None
) -> None:
    invoice = _issue(cast)  # Pinnacle Insight is in India
    assert invoice.vat_treatment == "outside_scope" and invoice.vat_total == 0
    body = (
        client_for("alice").get(reverse("invoice_detail", kwargs={"invoice_id": invoice.pk})).content.decode()
    )
    assert "Outside the scope of Danish VAT" in body and "Total including VAT" in body
    assert CLIENT_VAT in body and "9000 Aalborg" in body
    client = client_for("alice")
    client.cookies["django_language"] = "da"
    danish = client.get(reverse("invoice_detail", kwargs={"invoice_id": invoice.pk})).content.decode()
    assert "Uden for dansk moms" in danish and "Forfaldsdato" in danish and "I alt inkl. moms" in danish
    assert "243,38" in danish
    assert "Hver linje er antal x enhedspris" in danish and "Each line is" not in danish  # the rounding rule
    assert "Each line is quantity x unit price" in body


def test_an_issued_invoice_keeps_its_parties_when_they_change(
    cast: Cast, client_for, client_billing: None
) -> None:
    _billing(cast.provider_p, country="DK", address="Nørregade 7", vat="DK25568214")
    invoice = _issue(cast)
    organisation_billing_update(
        user=cast.alice, organisation=cast.org_a, postal_address="Ny Adresse 1\n8000 Aarhus C", vat_number=""
    )
    organisation_billing_update(
        user=cast.pete,
        organisation=cast.provider_p,
        postal_address="Elsewhere 9",
        vat_number="DK13585628",
        payment_terms_days=60,
    )
    Organisation.objects.filter(pk=cast.org_a.pk).update(name="Renamed A/S")
    invoice.refresh_from_db()
    assert invoice.client_address == "Havnegade 4\n9000 Aalborg" and invoice.client_vat_number == CLIENT_VAT
    assert invoice.provider_vat_number == "DK25568214" and invoice.payment_terms_days == 30
    assert invoice.due_date == ISSUE + dt.timedelta(days=30) and invoice.client_name == "Acme Gear A/S"
    pdf = client_for("alice").get(reverse("invoice_pdf", kwargs={"invoice_id": invoice.pk}))
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Havnegade 4" in text and CLIENT_VAT in text and "Aarhus" not in text and "DK13585628" not in text


def test_the_pdf_prints_every_character_exactly(cast: Cast, client_for, client_billing: None) -> None:
    Organisation.objects.filter(pk=cast.org_a.pk).update(name="Ærø Vind A/S — Marstal")
    cast.engagement_a.title = "Gearbox study — Ærø €"
    cast.engagement_a.save()
    _billing(cast.provider_p, country="PL", address="ul. Floriańska 3\n31-019 Kraków", vat="PL5260250274")
    invoice = _issue(cast, expenses=(Expense("Ferry Svendborg — Ærøskøbing (€)", Decimal("42.50")),))
    response = client_for("alice").get(reverse("invoice_pdf", kwargs={"invoice_id": invoice.pk}))
    assert response.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        "Ærø Vind A/S — Marstal",
        "Gearbox study — Ærø €",
        "Ferry Svendborg — Ærøskøbing (€)",
        "ul. Floriańska 3",
        "31-019 Kraków",
        "PL5260250274",
        CLIENT_VAT,
        "€285.88",  # 243.38 + 42.50, net = gross (reverse charge)
        "Reverse charge",
        "Total including VAT",
        "Due date",
    ):
        assert expected in text, expected
    assert "?" not in text.replace("https://", "")
    client = client_for("alice")
    client.cookies["django_language"] = "da"
    danish = PdfReader(
        io.BytesIO(client.get(reverse("invoice_pdf", kwargs={"invoice_id": invoice.pk})).content)
    )
    danish_text = danish.pages[0].extract_text()
    assert "Faktura" in danish_text and "Omvendt betalingspligt" in danish_text and "285,88" in danish_text
    flowing = " ".join(danish_text.split())  # the PDF breaks lines anywhere
    assert "Hver linje er antal x enhedspris" in flowing and "Each line is" not in flowing


def test_the_api_gives_parties_terms_and_vat(cast: Cast, client_billing: None) -> None:
    _billing(cast.provider_p, country="DK", address="Nørregade 7", vat="DK25568214", terms=14)
    invoice = _issue(cast)
    _, token = api_token_create(user=cast.alice, name="ap")
    response = Client().get(f"/api/invoices/{invoice.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    check_against_openapi("GET", f"/api/invoices/{invoice.pk}", response)
    body = response.json()
    assert body["seller"] == {
        "name": "Pinnacle Insight",
        "address": "Nørregade 7",
        "country": "DK",
        "vat_number": "DK25568214",
    }
    assert body["buyer"]["vat_number"] == CLIENT_VAT
    assert body["buyer"]["address"] == "Havnegade 4\n9000 Aalborg"
    assert body["vat_treatment"] == "domestic" and Decimal(body["vat_rate"]) == 25
    assert Decimal(body["total"]) == Decimal("243.38") and Decimal(body["vat_total"]) == Decimal("60.85")
    assert Decimal(body["gross_total"]) == Decimal("304.23")
    assert body["due_date"] == "2026-11-13" and body["payment_terms_days"] == 14
    assert Decimal(body["lines"][0]["vat_amount"]) == Decimal("60.85")
