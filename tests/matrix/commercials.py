"""The authorisation matrix's entries for commercials (see tests/matrix/__init__.py).

Invoices and milestones are client A's (engagement A with provider P): only A's client readers, P's
managers and auditors see them
(operators only through break-glass). Rate-card lines are provider P's: its managers change
them; the clients P works for read them without the cost rates (P's margin: `withheld`); experts and
everybody else learn nothing (404).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kpo.economics.models import (
    CommercialTerms,
    Invoice,
    InvoicedTime,
    InvoiceLine,
    Milestone,
    RateCardLine,
)
from kpo.experts.models import EscoOccupation
from tests.authz import OBJECT, SIGNED_IN, Rule
from tests.cast import SECRET_A, Cast
from tests.matrix import MatrixPart, Withheld

NOT_THE_MONEY = ("dave", "quinn", "carol", "erin", "rex", "ivan", "ops")
CLIENT_READERS = ("alice", "bob", "aud")
COST_RATE = Decimal("47.13")  # P's cost on its rate card: a figure found nowhere else, in either notation
COST = Withheld(readers=CLIENT_READERS, fields=("cost_rate",), values=("47.13", "47,13"), shown_to="pete")
NO_COST = Withheld(readers=CLIENT_READERS, fields=("cost_rate",), values=("47.13", "47,13"))


def _objects(cast: Cast) -> dict[str, Any]:
    occupation = EscoOccupation.objects.order_by("id").first()
    assert occupation is not None
    line = RateCardLine.objects.create(
        provider=cast.provider_p,
        occupation=occupation,
        seniority="mid",
        cost_rate=COST_RATE,
        bill_rate=Decimal(60),
        currency="EUR",
        valid_from=dt.date(2026, 1, 1),
        note=f"{SECRET_A} rate",
        created_by=cast.pete,
    )
    milestone = Milestone.objects.create(
        engagement=cast.engagement_a,
        title=f"{SECRET_A} milestone",
        amount=Decimal(1000),
        created_by=cast.alice,
    )
    invoice = Invoice.objects.create(
        engagement=cast.engagement_a,
        provider=cast.provider_p,
        client=cast.org_a,
        sequence=1,
        number="PINNACLE-2026-00001",
        kind="time_and_materials",
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 10, 31),
        issue_date=dt.date(2026, 10, 31),
        currency="DKK",
        hours=Decimal(3),
        work_total=Decimal("180.00"),
        total=Decimal("180.00"),
        provider_name=cast.provider_p.name,
        client_name=cast.org_a.name,
        engagement_title=cast.engagement_a.title,
        note=f"{SECRET_A} invoice",
        rounding_rule="half-up",
        issued_by=cast.pete,
        issued_at=timezone.now(),
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        position=1,
        kind="time",
        description=f"{SECRET_A} hours",
        quantity=Decimal(3),
        unit_price=Decimal(60),
        amount=Decimal(180),
    )
    return {"rate_line_id": line.pk, "milestone_id": milestone.pk, "invoice_id": invoice.pk}


PART = MatrixPart(
    web={
        "rate_cards": Rule(SIGNED_IN),
        "rate_card_line_end": Rule(OBJECT),
        "client_commercials": Rule(SIGNED_IN),
        "engagement_commercials": Rule(OBJECT),
        "engagement_terms": Rule(OBJECT),
        "milestone_add": Rule(OBJECT),
        "milestone_reach": Rule(OBJECT),
        "time_approval": Rule(OBJECT),
        "invoice_issue": Rule(OBJECT),
        "invoice_detail": Rule(OBJECT),
        "invoice_pdf": Rule(OBJECT),
        "invoice_csv": Rule(OBJECT),
    },
    api={
        "list_rate_card_lines": Rule(SIGNED_IN),
        "create_rate_card_line": Rule(
            SIGNED_IN,
            body={
                "provider_id": 1,
                "occupation_id": 1,
                "seniority": "mid",
                "cost_rate": 1,
                "bill_rate": 2,
                "currency": "EUR",
                "valid_from": "2026-01-01",
            },
        ),
        "end_rate_card_line": Rule(OBJECT, body={"last_day": "2026-12-31"}),
        "list_time_awaiting_approval": Rule(OBJECT),
        "decide_time_entries": Rule(OBJECT, body={"entry_ids": [1], "decision": "approved"}),
        "list_milestones": Rule(OBJECT),
        "create_milestone": Rule(OBJECT, body={"title": "Leak", "amount": 1}),
        "reach_milestone": Rule(OBJECT),
        "list_engagement_invoices": Rule(OBJECT),
        "issue_invoice": Rule(OBJECT, body={"period_start": "2026-01-01", "period_end": "2026-12-31"}),
        "get_invoice": Rule(OBJECT),
        "download_invoice_csv": Rule(OBJECT),
        "download_invoice_pdf": Rule(OBJECT),
        "get_engagement_budget": Rule(OBJECT),
    },
    outsiders_by_id={
        "rate_line_id": NOT_THE_MONEY + CLIENT_READERS,
        "milestone_id": NOT_THE_MONEY,
        "invoice_id": NOT_THE_MONEY,
    },
    hidden_by_id={"rate_line_id": NOT_THE_MONEY + CLIENT_READERS},
    insider_by_id={"rate_line_id": "pete"},
    objects=_objects,
    withheld={
        "rate_cards": COST,
        "list_rate_card_lines": COST,
        "client_commercials": Withheld(readers=("alice",), fields=("cost_rate",), values=COST.values),
        "engagement_commercials": NO_COST,
        "invoice_detail": NO_COST,
        "invoice_csv": NO_COST,
        "get_invoice": NO_COST,
        "download_invoice_csv": NO_COST,
        "get_engagement_budget": NO_COST,
    },
    scoped_models=[
        (Invoice, "client"),
        (InvoiceLine, "invoice__client"),
        (InvoicedTime, "invoice__client"),
        (Milestone, "engagement__client"),
        (CommercialTerms, "engagement__client"),
    ],
)
