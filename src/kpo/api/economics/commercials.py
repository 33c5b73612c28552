"""Commercials: rate cards, time decisions, milestones, invoices (with CSV and PDF) and budget status."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Schema
from pydantic import StringConstraints

from kpo.api.outputs import Ref
from kpo.api.routing import ApiRouter
from kpo.api.schemas import OMITTED, Id, Money, OptionalTitle, Title, lookup, user_of
from kpo.economics.commercials import access
from kpo.economics.commercials.documents import invoice_csv, invoice_pdf
from kpo.economics.commercials.selectors.budget import BudgetStatus, budget_status
from kpo.economics.commercials.selectors.invoices import invoice_lines, parse_expenses
from kpo.economics.commercials.selectors.time_entries import time_awaiting
from kpo.economics.commercials.services.invoicing import invoice_issue
from kpo.economics.commercials.services.milestones import milestone_create, milestone_reach
from kpo.economics.commercials.services.rate_cards import rate_card_line_create, rate_card_line_end
from kpo.economics.commercials.services.time_approval import time_entries_decide
from kpo.economics.models import Invoice, InvoiceLine, Milestone, RateCardLine
from kpo.experts.models import EscoOccupation
from kpo.orgs.models import Organisation
from kpo.work.models import TimeEntry

router = ApiRouter(tags=["commercials"])

SeniorityCode = Literal["junior", "mid", "senior", "principal"]
Decision = Literal["approved", "rejected"]
CurrencyText = Annotated[str, StringConstraints(max_length=3)]
Note = Annotated[str, StringConstraints(max_length=500)]


# --- rate cards -----------------------------------------------------------------------------------


class RateCardLineOut(Schema):
    id: int
    provider: Ref
    occupation: Ref
    seniority: str
    cost_rate: Decimal | None = Field(
        description="The provider's cost: only for its managers and auditors and the operators; "
        "null for its clients."
    )
    bill_rate: Decimal
    currency: str
    valid_from: dt.date
    valid_to: dt.date | None
    note: str

    @staticmethod
    def resolve_cost_rate(obj: RateCardLine, context: dict[str, Any]) -> Decimal | None:
        return obj.cost_rate if access.sees_cost_rates(context["request"].user, obj.provider_id) else None


class RateCardLineIn(Schema):
    provider_id: Id
    occupation_id: Id = Field(description="An ESCO occupation (the role).")
    seniority: SeniorityCode
    cost_rate: Money
    bill_rate: Money
    currency: CurrencyText = Field(description="ISO 4217 code with an ECB reference rate, e.g. EUR.")
    valid_from: dt.date
    valid_to: dt.date | None = None
    note: OptionalTitle = ""


class RateCardFilter(Schema):
    provider: Id = OMITTED


class EndLineIn(Schema):
    last_day: dt.date


@router.lists("/rate-cards", RateCardLineOut, 422)
def list_rate_card_lines(request: HttpRequest, filters: Query[RateCardFilter]) -> QuerySet[RateCardLine]:
    """Rate-card lines of one's own providers (managers) or of the providers one's client engages;
    a client reads them without the cost rates (`cost_rate` null)."""
    lines = access.rate_card_lines_visible_to(user_of(request)).order_by("provider_id", "id")
    return lines.filter(provider_id=filters.provider) if filters.provider else lines


@router.creates("/rate-cards", RateCardLineOut, 400, 403, 409, 422)
def create_rate_card_line(request: HttpRequest, payload: RateCardLineIn) -> RateCardLine:
    """Add a line to a provider's card (its managers). Overlapping dates for the same role and
    seniority are a 422 on `valid_from`; a missing or unconvertible currency on `currency`."""
    user = user_of(request)
    managed = access.managed_providers(user)
    provider = lookup(
        "provider_id", lambda: get_object_or_404(Organisation, pk=payload.provider_id, pk__in=managed)
    )
    occupation = lookup("occupation_id", lambda: get_object_or_404(EscoOccupation, pk=payload.occupation_id))
    line = rate_card_line_create(
        user=user,
        provider=provider,
        occupation=occupation,
        **payload.model_dump(exclude={"provider_id", "occupation_id"}),
    )
    return line


@router.writes("POST", "/rate-cards/{rate_line_id}/end", RateCardLineOut, 400, 403, 404, 409, 422)
def end_rate_card_line(request: HttpRequest, rate_line_id: Id, payload: EndLineIn) -> RateCardLine:
    user = user_of(request)
    line = access.access_rate_card_line(user, rate_line_id)
    return rate_card_line_end(user=user, line=line, last_day=payload.last_day)


# --- time decisions ---------------------------------------------------------------------------------


class PendingTimeOut(Schema):
    id: int
    task: Ref
    expert: Ref
    date: dt.date
    hours: Decimal
    description: str
    status: str


class TimeDecisionIn(Schema):
    entry_ids: list[Id] = Field(min_length=1, max_length=500)
    decision: Decision
    note: Note = ""


class TimeDecisionOut(Schema):
    decision: str
    entries: list[PendingTimeOut]


@router.lists("/engagements/{engagement_id}/time-awaiting", PendingTimeOut, 403, 404, 422)
def list_time_awaiting_approval(request: HttpRequest, engagement_id: Id) -> QuerySet[TimeEntry]:
    return time_awaiting(access.access_commercials(user_of(request), engagement_id))


@router.writes(
    "POST", "/engagements/{engagement_id}/time-decisions", TimeDecisionOut, 400, 403, 404, 409, 422
)
def decide_time_entries(request: HttpRequest, engagement_id: Id, payload: TimeDecisionIn) -> dict[str, Any]:
    """Approve or reject submitted time (the provider's managers); a rejection needs a note."""
    user = user_of(request)
    engagement = access.access_commercials(user, engagement_id, provider=True)
    entries = time_entries_decide(user=user, engagement=engagement, **payload.model_dump())
    return {"decision": payload.decision, "entries": entries}


# --- milestones ----------------------------------------------------------------------------------------


class MilestoneOut(Schema):
    id: int
    title: str
    amount: Decimal
    due_date: dt.date | None
    reached_at: dt.datetime | None
    invoiced: bool

    @staticmethod
    def resolve_invoiced(obj: Milestone) -> bool:
        return hasattr(obj, "invoiced")


class MilestoneIn(Schema):
    title: Title
    amount: Money
    due_date: dt.date | None = None


@router.reads("/engagements/{engagement_id}/milestones", list[MilestoneOut], 403, 404, 422)
def list_milestones(request: HttpRequest, engagement_id: Id) -> list[Milestone]:
    engagement = access.access_commercials(user_of(request), engagement_id)
    return list(Milestone.objects.filter(engagement=engagement).select_related("invoiced"))


@router.creates("/engagements/{engagement_id}/milestones", MilestoneOut, 400, 403, 404, 409, 422)
def create_milestone(request: HttpRequest, engagement_id: Id, payload: MilestoneIn) -> Milestone:
    user = user_of(request)
    engagement = access.access_commercials(user, engagement_id, client=True)
    return milestone_create(user=user, engagement=engagement, **payload.model_dump())


@router.writes("POST", "/milestones/{milestone_id}/reach", MilestoneOut, 400, 403, 404, 409, 422)
def reach_milestone(request: HttpRequest, milestone_id: Id) -> Milestone:
    """The client confirms a milestone reached (admins and requesters); the provider may invoice it."""
    user = user_of(request)
    return milestone_reach(user=user, milestone=access.access_milestone(user, milestone_id))


# --- invoices ----------------------------------------------------------------------------------------


class InvoiceLineOut(Schema):
    position: int
    kind: str
    description: str = Field(
        description=(
            "A time line's in the request's language (Accept-Language), as frozen at issue; "
            "an expense's or a milestone's as typed."
        )
    )
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    vat_rate: Decimal = Field(description="Percent, the invoice's rate.")
    vat_amount: Decimal = Field(description="The line's VAT, rounded half-up to the cent.")
    rate_source: str = Field(
        description=(
            "A time line's rate-card line or profile rate, and any ECB conversion, in the request's language."
        )
    )
    expert_id: int | None
    milestone_id: int | None

    @staticmethod
    def resolve_description(obj: InvoiceLine) -> str:
        return obj.description_text

    @staticmethod
    def resolve_rate_source(obj: InvoiceLine) -> str:
        return obj.rate_source_text


class PartyOut(Schema):
    """A party as the invoice snapshotted it on its issue date."""

    name: str
    address: str
    country: str
    vat_number: str


def _party(invoice: Invoice, side: str) -> dict[str, str]:
    return {
        "name": getattr(invoice, f"{side}_name"),
        "address": getattr(invoice, f"{side}_address"),
        "country": getattr(invoice, f"{side}_country"),
        "vat_number": getattr(invoice, f"{side}_vat_number"),
    }


class InvoiceOut(Schema):
    id: int
    number: str
    engagement: Ref
    provider: Ref
    client: Ref
    kind: str
    period_start: dt.date | None
    period_end: dt.date | None
    issue_date: dt.date
    currency: str
    hours: Decimal
    work_total: Decimal
    expenses_total: Decimal
    total: Decimal = Field(description="Net: the sum of the lines, excluding VAT.")
    vat_treatment: str = Field(
        description=(
            "domestic, reverse_charge or outside_scope; empty on invoices issued before kpo stated VAT."
        )
    )
    vat_rate: Decimal = Field(
        description="Percent: 25 for Danish VAT, 0 for reverse charge and outside the scope."
    )
    vat_total: Decimal
    gross_total: Decimal = Field(description="total + vat_total.")
    payment_terms_days: int | None
    due_date: dt.date | None = Field(description="The issue date plus the provider's payment terms.")
    seller: PartyOut
    buyer: PartyOut
    note: str
    rounding_rule: str
    issued_at: dt.datetime

    @staticmethod
    def resolve_engagement(obj: Invoice) -> dict[str, object]:
        return {"id": obj.engagement_id, "name": obj.engagement_title}

    @staticmethod
    def resolve_provider(obj: Invoice) -> dict[str, object]:
        return {"id": obj.provider_id, "name": obj.provider_name}

    @staticmethod
    def resolve_client(obj: Invoice) -> dict[str, object]:
        return {"id": obj.client_id, "name": obj.client_name}

    @staticmethod
    def resolve_seller(obj: Invoice) -> dict[str, str]:
        return _party(obj, "provider")

    @staticmethod
    def resolve_buyer(obj: Invoice) -> dict[str, str]:
        return _party(obj, "client")


class InvoiceDetailOut(InvoiceOut):
    lines: list[InvoiceLineOut]

    @staticmethod
    def resolve_lines(obj: Invoice) -> list[InvoiceLine]:
        return invoice_lines(obj)


class ExpenseIn(Schema):
    description: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    amount: Money


class InvoiceIn(Schema):
    period_start: dt.date | None = Field(None, description="Time and materials: the first day billed.")
    period_end: dt.date | None = Field(None, description="Time and materials: the last day billed.")
    expenses: list[ExpenseIn] = Field(default_factory=list, max_length=50)
    note: Note = ""


@router.lists("/engagements/{engagement_id}/invoices", InvoiceOut, 403, 404, 422)
def list_engagement_invoices(request: HttpRequest, engagement_id: Id) -> QuerySet[Invoice]:
    engagement = access.access_commercials(user_of(request), engagement_id)
    return Invoice.objects.filter(engagement=engagement).order_by("-issue_date", "-id")


@router.creates("/engagements/{engagement_id}/invoices", InvoiceDetailOut, 400, 403, 404, 409, 422)
def issue_invoice(request: HttpRequest, engagement_id: Id, payload: InvoiceIn) -> Invoice:
    """Issue the next invoice (the provider's managers): approved, uninvoiced time in the period for
    time and materials, reached milestones for a fixed fee; optional expenses. Lines are rounded
    half-up to the cent and summed; the invoice never changes afterwards."""
    user = user_of(request)
    engagement = access.access_commercials(user, engagement_id, provider=True)
    expenses = parse_expenses(
        [(item.description, str(item.amount)) for item in payload.expenses], engagement.currency
    )
    invoice = invoice_issue(
        user=user,
        engagement=engagement,
        period_start=payload.period_start,
        period_end=payload.period_end,
        expenses=expenses,
        note=payload.note,
    )
    return invoice


@router.reads("/invoices/{invoice_id}", InvoiceDetailOut, 404, 422)
def get_invoice(request: HttpRequest, invoice_id: Id) -> Invoice:
    return access.access_invoice(user_of(request), invoice_id)


def _attachment(invoice: Invoice, body: bytes, content_type: str, suffix: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.{suffix}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.downloads("/invoices/{invoice_id}/csv", 404, 422, media_types=("text/csv",))
def download_invoice_csv(request: HttpRequest, invoice_id: Id) -> HttpResponse:
    invoice = access.access_invoice(user_of(request), invoice_id)
    return _attachment(invoice, invoice_csv(invoice).encode("utf-8"), "text/csv; charset=utf-8", "csv")


@router.downloads("/invoices/{invoice_id}/pdf", 404, 422, media_types=("application/pdf",))
def download_invoice_pdf(request: HttpRequest, invoice_id: Id) -> HttpResponse:
    invoice = access.access_invoice(user_of(request), invoice_id)
    return _attachment(invoice, invoice_pdf(invoice), "application/pdf", "pdf")


# --- budget ------------------------------------------------------------------------------------------


class BudgetOut(Schema):
    engagement_id: int
    currency: str
    budget: Decimal
    invoiced: Decimal
    approved_uninvoiced: Decimal
    reached_uninvoiced: Decimal
    spend: Decimal
    percent: Decimal | None
    forecast: Decimal | None
    forecast_percent: Decimal | None
    remaining_hours: Decimal
    average_rate: Decimal | None
    fixed_fee: bool
    thresholds: list[int]
    fired: list[int]
    method: str

    @staticmethod
    def resolve_engagement_id(obj: BudgetStatus) -> int:
        return obj.engagement.pk

    @staticmethod
    def resolve_method(obj: BudgetStatus) -> str:
        if obj.fixed_fee:
            return "fixed fee: forecast = max(spend, sum of milestones + invoiced expenses)"
        return "time and materials: forecast = spend + remaining effort of open tasks x average bill rate"


@router.reads("/engagements/{engagement_id}/budget", BudgetOut, 403, 404, 422)
def get_engagement_budget(request: HttpRequest, engagement_id: Id) -> BudgetStatus:
    """Spend to date (invoiced + approved time not invoiced + reached milestones not invoiced), burn,
    forecast to completion and the alert thresholds (see `method`)."""
    return budget_status(access.access_commercials(user_of(request), engagement_id))
