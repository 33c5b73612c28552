"""Commercial pages and API: time approval, invoices, rate cards, budget panel, client dashboard."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from kpo.economics.models import Invoice, MakeOrBuyScenario, RateCardLine
from kpo.experts.models import EscoOccupation, ExpertProfile
from kpo.orgs.services import api_token_create
from kpo.work.models import TimeEntry
from tests.cast import SECRET_A, Cast
from tests.openapi_contract import check_against_openapi

pytestmark = pytest.mark.django_db

ClientFor = Callable[[str], Client]


def _eur(cast: Cast) -> None:
    cast.engagement_a.currency = "EUR"
    cast.engagement_a.save()


def test_manager_approves_and_invoices_in_the_browser(cast: Cast, client_for: ClientFor) -> None:
    _eur(cast)
    pete = client_for("pete")
    entry = cast.time_entry_a
    url = reverse("time_approval", kwargs={"engagement_id": cast.engagement_a.pk})
    page = pete.get(url)
    assert page.status_code == 200 and SECRET_A in page.content.decode()
    refused = pete.post(url, {"entries": [entry.pk], "decision": "rejected", "note": ""})
    assert refused.status_code == 400
    assert "Say why the time is rejected" in refused.content.decode()
    entry.refresh_from_db()
    assert entry.status == "submitted"
    assert pete.post(url, {"entries": [entry.pk], "decision": "approved"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == "approved" and entry.decided_by == cast.pete
    # alice reads the page but cannot decide
    assert client_for("alice").get(url).status_code == 200
    assert client_for("alice").post(url, {"entries": [entry.pk], "decision": "approved"}).status_code == 403
    # the expert sees the status on the task
    task_page = (
        client_for("carol").get(reverse("task_detail", kwargs={"task_id": cast.task_a.pk})).content.decode()
    )
    assert "Approved" in task_page

    commercials = reverse("engagement_commercials", kwargs={"engagement_id": cast.engagement_a.pk})
    preview = pete.get(commercials, {"period_start": "2026-11-01", "period_end": "2026-11-30"})
    assert preview.status_code == 200
    assert "180.00" in preview.content.decode()  # 3 h x EUR 60
    issue = reverse("invoice_issue", kwargs={"engagement_id": cast.engagement_a.pk})
    bad = pete.post(issue, {"period_start": "2026-11-30", "period_end": "2026-11-01"})
    assert bad.status_code == 400 and "cannot end before it starts" in bad.content.decode()
    bad = pete.post(
        issue,
        {
            "period_start": "2026-11-01",
            "period_end": "2026-11-30",
            "expense_0_description": "Taxi",
            "expense_0_amount": "x",
        },
    )
    assert bad.status_code == 400 and "not a number" in bad.content.decode()
    assert Invoice.objects.count() == 0
    done = pete.post(
        issue,
        {
            "period_start": "2026-11-01",
            "period_end": "2026-11-30",
            "expense_0_description": "Taxi",
            "expense_0_amount": "12.50",
        },
    )
    assert done.status_code == 302
    invoice = Invoice.objects.get()
    assert invoice.total == Decimal("192.50")
    detail = client_for("alice").get(done["Location"])
    assert detail.status_code == 200 and invoice.number in detail.content.decode()
    pdf = client_for("alice").get(reverse("invoice_pdf", kwargs={"invoice_id": invoice.pk}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    csv_body = (
        client_for("aud").get(reverse("invoice_csv", kwargs={"invoice_id": invoice.pk})).content.decode()
    )
    assert "total,192.50" in csv_body
    for outsider in ("dave", "quinn", "carol"):
        assert (
            client_for(outsider).get(reverse("invoice_detail", kwargs={"invoice_id": invoice.pk})).status_code
            == 404
        )


def test_rate_card_pages(cast: Cast, client_for: ClientFor) -> None:
    occupation = EscoOccupation.objects.order_by("id").first()
    assert occupation is not None
    ExpertProfile.objects.filter(user=cast.carol).update(occupation=occupation)
    pete = client_for("pete")
    url = reverse("rate_cards")
    form = {
        "provider": cast.provider_p.pk,
        "occupation": occupation.pk,
        "seniority": "mid",
        "cost_rate": "30",
        "bill_rate": "70",
        "currency": "EUR",
        "valid_from": "2026-01-01",
        "note": f"{SECRET_A} card",
    }
    assert pete.post(url, form).status_code == 302
    clash = pete.post(url, {**form, "valid_from": "2026-05-01"})
    assert clash.status_code == 400 and "overlap" in clash.content.decode()
    missing = pete.post(url, {**form, "currency": "", "seniority": "senior"})
    assert missing.status_code == 400 and "Give the currency" in missing.content.decode()
    assert RateCardLine.objects.count() == 1
    assert SECRET_A in client_for("alice").get(url).content.decode()  # A engages P: reads its card
    for outsider in ("dave", "quinn", "carol"):
        assert SECRET_A not in client_for(outsider).get(url).content.decode()
    assert client_for("alice").post(url, form).status_code == 404
    line = RateCardLine.objects.get()
    end = reverse("rate_card_line_end", kwargs={"rate_line_id": line.pk})
    assert client_for("alice").post(end, {"last_day": "2026-06-30"}).status_code == 404  # not hers to know
    assert pete.post(end, {"last_day": "2025-06-30"}).status_code == 302  # refused: before it starts
    line.refresh_from_db()
    assert line.valid_to is None
    assert pete.post(end, {"last_day": "2026-06-30"}).status_code == 302
    line.refresh_from_db()
    assert line.valid_to == dt.date(2026, 6, 30)


def test_panels_and_client_dashboard(cast: Cast, client_for: ClientFor) -> None:
    engagement = reverse("engagement_detail", kwargs={"engagement_id": cast.engagement_a.pk})
    alice_page = client_for("alice").get(engagement).content.decode()
    assert 'id="commercials"' in alice_page and "burn-track" in alice_page
    pete_page = client_for("pete").get(engagement).content.decode()
    assert "1 time entry awaits your approval" in pete_page
    assert 'id="commercials"' not in client_for("carol").get(engagement).content.decode()
    assert (
        "1 time entry awaits your approval" in client_for("pete").get(reverse("dashboard")).content.decode()
    )
    assert reverse("client_commercials") in client_for("alice").get(reverse("dashboard")).content.decode()

    scenario = MakeOrBuyScenario.objects.create(
        client=cast.org_a,
        created_by=cast.alice,
        name="Gearbox",
        inputs={},
        result={"currency": "DKK", "options": [{"sourcing": "in_house", "cost_per_delivered_hour": "900"}]},
    )
    terms = reverse("engagement_terms", kwargs={"engagement_id": cast.engagement_a.pk})
    bad = client_for("alice").post(terms, {"alert_thresholds": "eighty", "scenario": scenario.pk})
    assert bad.status_code == 400 and "not a whole percentage" in bad.content.decode()
    assert (
        client_for("alice").post(terms, {"alert_thresholds": "50, 90", "scenario": scenario.pk}).status_code
        == 302
    )
    assert client_for("pete").post(terms, {"alert_thresholds": "50"}).status_code == 403

    dashboard = client_for("alice").get(reverse("client_commercials"))
    body = dashboard.content.decode()
    assert dashboard.status_code == 200
    assert "<svg" in body or "Nothing invoiced yet" in body
    assert SECRET_A in body  # A's engagement in the burn list
    for other in ("bob", "pete", "carol"):
        assert client_for(other).get(reverse("client_commercials")).status_code == 404
    assert SECRET_A not in client_for("dave").get(reverse("client_commercials")).content.decode()


def test_dashboard_chart_is_accessible(cast: Cast, client_for: ClientFor) -> None:
    TimeEntry.objects.filter(pk=cast.time_entry_a.pk).update(status="approved")
    from kpo.economics.commercials.services.invoicing import invoice_issue

    invoice_issue(
        user=cast.pete,
        engagement=cast.engagement_a,
        period_start=dt.date(2026, 11, 1),
        period_end=dt.date(2026, 11, 30),
        issue_date=dt.date(2026, 11, 2),
    )
    body = client_for("alice").get(reverse("client_commercials")).content.decode()
    assert 'role="img"' in body and "<title id=" in body and "<desc id=" in body
    assert "Spend by provider" in body and "Pinnacle Insight" in body
    assert "<table>" in body  # the table fallback


def _api(cast: Cast, who: str) -> dict[str, str]:
    user = cast.users()[who]
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def test_api_time_invoice_budget_and_rate_cards(cast: Cast) -> None:
    _eur(cast)
    client = Client()
    pete, alice = _api(cast, "pete"), _api(cast, "alice")
    engagement = cast.engagement_a.pk

    def call(method: str, path: str, body: object = None, auth: dict[str, str] = pete) -> object:
        if method == "GET":
            response = client.get(path, **auth)
        else:
            response = client.post(path, json.dumps(body), content_type="application/json", **auth)
        check_against_openapi(method, path, response)
        return response

    waiting = call("GET", f"/api/engagements/{engagement}/time-awaiting")
    assert [item["id"] for item in waiting.json()["items"]] == [cast.time_entry_a.pk]  # type: ignore[attr-defined]
    bad = call(
        "POST",
        f"/api/engagements/{engagement}/time-decisions",
        {"entry_ids": [cast.time_entry_a.pk], "decision": "rejected"},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "note"  # type: ignore[attr-defined]
    ok = call(
        "POST",
        f"/api/engagements/{engagement}/time-decisions",
        {"entry_ids": [cast.time_entry_a.pk], "decision": "approved"},
    )
    assert ok.status_code == 200  # type: ignore[attr-defined]
    again = call(
        "POST",
        f"/api/engagements/{engagement}/time-decisions",
        {"entry_ids": [cast.time_entry_a.pk], "decision": "approved"},
    )
    assert again.status_code == 409  # type: ignore[attr-defined]
    denied = call(
        "POST",
        f"/api/engagements/{engagement}/invoices",
        {"period_start": "2026-11-01", "period_end": "2026-11-30"},
        alice,
    )
    assert denied.status_code == 403  # type: ignore[attr-defined]
    issued = call(
        "POST",
        f"/api/engagements/{engagement}/invoices",
        {
            "period_start": "2026-11-01",
            "period_end": "2026-11-30",
            "expenses": [{"description": "Taxi", "amount": "9.99"}],
        },
    )
    assert issued.status_code == 201  # type: ignore[attr-defined]
    body = issued.json()  # type: ignore[attr-defined]
    assert body["total"] == "189.99" and len(body["lines"]) == 2
    invoice_id = body["id"]
    assert call("GET", f"/api/invoices/{invoice_id}", auth=alice).json()["number"] == body["number"]  # type: ignore[attr-defined]
    assert call("GET", f"/api/invoices/{invoice_id}/csv", auth=alice).status_code == 200  # type: ignore[attr-defined]
    pdf = call("GET", f"/api/invoices/{invoice_id}/pdf", auth=alice)
    assert pdf.content.startswith(b"%PDF")  # type: ignore[attr-defined]
    listed = call("GET", f"/api/engagements/{engagement}/invoices", auth=alice).json()  # type: ignore[attr-defined]
    assert listed["count"] == 1
    budget = call("GET", f"/api/engagements/{engagement}/budget", auth=alice).json()  # type: ignore[attr-defined]
    assert budget["invoiced"] == "189.99" and budget["thresholds"] == [80, 100]
    dave = _api(cast, "dave")
    assert call("GET", f"/api/invoices/{invoice_id}", auth=dave).status_code == 404  # type: ignore[attr-defined]

    occupation = EscoOccupation.objects.order_by("id").first()
    assert occupation is not None
    line = {
        "provider_id": cast.provider_p.pk,
        "occupation_id": occupation.pk,
        "seniority": "mid",
        "cost_rate": "30",
        "bill_rate": "70",
        "currency": "EUR",
        "valid_from": "2026-01-01",
    }
    assert call("POST", "/api/rate-cards", line).status_code == 201  # type: ignore[attr-defined]
    clash = call("POST", "/api/rate-cards", {**line, "valid_from": "2026-02-01"})
    assert clash.status_code == 422 and clash.json()["errors"][0]["field"] == "valid_from"  # type: ignore[attr-defined]
    none = call("POST", "/api/rate-cards", {**line, "currency": "", "seniority": "senior"})
    assert none.status_code == 422 and none.json()["errors"][0]["field"] == "currency"  # type: ignore[attr-defined]
    foreign = call("POST", "/api/rate-cards", {**line, "provider_id": cast.provider_q.pk})
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "provider_id"  # type: ignore[attr-defined]
    assert call("GET", "/api/rate-cards", auth=alice).json()["count"] == 1  # type: ignore[attr-defined]
    assert call("GET", "/api/rate-cards", auth=dave).json()["count"] == 0  # type: ignore[attr-defined]
