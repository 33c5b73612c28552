"""Commercial pages: rate cards, time approval, invoices, milestones, budget burn, the client dashboard.

Each view: parse input, check access, call one service or selector, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.access import authenticated
from kpo.core.clock import installation_date, request_now, user_date
from kpo.core.errors import DomainError
from kpo.core.forms import apply_errors, attempt, submit
from kpo.economics.commercials import access
from kpo.economics.commercials.documents import invoice_csv, invoice_pdf
from kpo.economics.commercials.forms import (
    EndLineForm,
    InvoiceForm,
    MilestoneForm,
    RateCardLineForm,
    TermsForm,
    TimeDecisionForm,
)
from kpo.economics.commercials.money import ROUNDING_RULE
from kpo.economics.commercials.presenters import dashboard_charts, rate_card_groups
from kpo.economics.commercials.selectors.budget import budget_status, commercial_terms, thresholds_of
from kpo.economics.commercials.selectors.client_dashboard import client_commercials
from kpo.economics.commercials.selectors.invoices import (
    engagement_invoices,
    engagement_milestones,
    invoice_draft,
    invoice_lines,
)
from kpo.economics.commercials.selectors.rate_cards import rate_card_choices
from kpo.economics.commercials.selectors.savings import engagement_savings, linkable_scenarios
from kpo.economics.commercials.selectors.time_entries import time_awaiting, time_decided
from kpo.economics.commercials.services.budget import commercial_terms_update, parse_thresholds
from kpo.economics.commercials.services.invoicing import invoice_issue
from kpo.economics.commercials.services.milestones import milestone_create, milestone_reach
from kpo.economics.commercials.services.rate_cards import rate_card_line_create, rate_card_line_end
from kpo.economics.commercials.services.time_approval import time_entries_decide
from kpo.economics.commercials.time_totals import priced_time
from kpo.economics.commercials.vat_text import (
    invoice_parties,
    payment_text,
    terms_text,
    vat_label,
    vat_note,
)
from kpo.economics.models import Invoice
from kpo.orgs.models import Organisation
from kpo.work.models import Engagement, PricingModel

# --- rate cards ---------------------------------------------------------------------------------------


def _rate_form(user: Any, data: Any = None) -> RateCardLineForm | None:
    managed = access.managed_providers(user)
    if not managed:
        return None
    providers, occupations = rate_card_choices(managed)
    return RateCardLineForm(data, providers=providers, occupations=occupations)


@login_required
@require_http_methods(["GET", "POST"])
def rate_cards(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    form = _rate_form(user, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404("Not found.")
        done = submit(
            request,
            form,
            lambda data: rate_card_line_create(user=user, **data),
            success=_("Rate card line added."),
            then=HttpResponseRedirect(reverse("rate_cards")),
        )
        if done:
            return done
        status = 400
    lines = list(
        access.rate_card_lines_visible_to(user).order_by(
            "provider__name", "occupation__label", "seniority", "-valid_from"
        )
    )
    today = installation_date(request_now(request))
    groups = rate_card_groups(
        lines,
        today=today,
        managed=access.managed_providers(user),
        costs_shown=lambda provider_id: access.sees_cost_rates(user, provider_id),
    )
    return render(
        request,
        "economics/rate_cards.html",
        {
            "form": form,
            "groups": groups,
            "today": today,
            "end_form": EndLineForm(initial={"last_day": today}),
        },
        status=status,
    )


@login_required
@require_POST
def rate_card_line_end_view(request: HttpRequest, rate_line_id: int) -> HttpResponse:
    user = authenticated(request)
    line = access.access_rate_card_line(user, rate_line_id)
    form = EndLineForm(request.POST)
    back = HttpResponseRedirect(reverse("rate_cards"))
    done = submit(
        request,
        form,
        lambda data: rate_card_line_end(user=user, line=line, last_day=data["last_day"]),
        success=lambda _line: _("The line now ends on %(day)s.") % {"day": form.cleaned_data["last_day"]},
        then=back,
    )
    if done:
        return done
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return back


# --- the engagement's commercials ----------------------------------------------------------------------


def _commercials_page(
    request: HttpRequest,
    engagement: Engagement,
    *,
    invoice_form: InvoiceForm | None = None,
    terms_form: TermsForm | None = None,
    milestone_form: MilestoneForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    manage = access.manages_provider(user, engagement)
    client_write = access.writes_client_terms(user, engagement)
    terms = commercial_terms(engagement)
    fixed_fee = engagement.pricing_model == PricingModel.FIXED_FEE
    draft = None
    if manage:
        if invoice_form is None:
            initial_end = user_date(request_now(request))
            invoice_form = InvoiceForm(
                request.GET if "period_end" in request.GET else None,
                currency=engagement.currency,
                initial={"period_start": initial_end.replace(day=1), "period_end": initial_end},
            )
        if invoice_form.is_bound and invoice_form.is_valid():
            try:
                draft = invoice_draft(
                    engagement=engagement,
                    issue_date=installation_date(request_now(request)),
                    period_start=invoice_form.cleaned_data.get("period_start"),
                    period_end=invoice_form.cleaned_data.get("period_end"),
                    expenses=invoice_form.expenses(),
                )
            except (ValidationError, DomainError) as error:
                apply_errors(invoice_form, error)
        elif fixed_fee and not invoice_form.is_bound:
            draft = invoice_draft(engagement=engagement, issue_date=installation_date(request_now(request)))
    if client_write and terms_form is None:
        terms_form = TermsForm(
            scenarios=linkable_scenarios(engagement),
            initial={
                "alert_thresholds": ", ".join(str(t) for t in thresholds_of(terms)),
                "scenario": terms.scenario if terms else None,
            },
        )
    if client_write and fixed_fee and milestone_form is None:
        milestone_form = MilestoneForm()
    return render(
        request,
        "economics/engagement_commercials.html",
        {
            "engagement": engagement,
            "status": budget_status(engagement),
            "savings": engagement_savings(engagement),
            "terms": terms,
            "invoices": engagement_invoices(engagement),
            "milestones": engagement_milestones(engagement),
            "awaiting": time_awaiting(engagement).count(),
            "manage": manage,
            "client_write": client_write,
            "fixed_fee": fixed_fee,
            "invoice_form": invoice_form,
            "terms_form": terms_form,
            "milestone_form": milestone_form,
            "draft": draft,
            "rounding_rule": ROUNDING_RULE,
        },
        status=status,
    )


@login_required
@require_GET
def engagement_commercials(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = access.access_commercials(request.user, engagement_id)
    return _commercials_page(request, engagement)


def _back_to_commercials(engagement: Engagement) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("engagement_commercials", kwargs={"engagement_id": engagement.pk}))


@login_required
@require_POST
def engagement_terms(request: HttpRequest, engagement_id: int) -> HttpResponse:
    user = authenticated(request)
    engagement = access.access_commercials(user, engagement_id, client=True)
    form = TermsForm(request.POST, scenarios=linkable_scenarios(engagement))
    return submit(
        request,
        form,
        lambda data: commercial_terms_update(
            user=user,
            engagement=engagement,
            alert_thresholds=parse_thresholds(data["alert_thresholds"]),
            scenario=data.get("scenario"),
        ),
        success=_("Commercial terms saved."),
        then=_back_to_commercials(engagement),
    ) or _commercials_page(request, engagement, terms_form=form, status=400)


@login_required
@require_POST
def milestone_add(request: HttpRequest, engagement_id: int) -> HttpResponse:
    user = authenticated(request)
    engagement = access.access_commercials(user, engagement_id, client=True)
    form = MilestoneForm(request.POST)
    return submit(
        request,
        form,
        lambda data: milestone_create(user=user, engagement=engagement, **data),
        success=_("Milestone added."),
        then=_back_to_commercials(engagement),
    ) or _commercials_page(request, engagement, milestone_form=form, status=400)


@login_required
@require_POST
def milestone_reached(request: HttpRequest, milestone_id: int) -> HttpResponse:
    user = authenticated(request)
    milestone = access.access_milestone(user, milestone_id)
    attempt(
        request,
        lambda: milestone_reach(user=user, milestone=milestone),
        success=_("Milestone confirmed reached; the provider may invoice it."),
    )
    return HttpResponseRedirect(
        reverse("engagement_commercials", kwargs={"engagement_id": milestone.engagement_id}) + "#milestones"
    )


@login_required
@require_POST
def invoice_issue_view(request: HttpRequest, engagement_id: int) -> HttpResponse:
    user = authenticated(request)
    engagement = access.access_commercials(user, engagement_id, provider=True)
    form = InvoiceForm(request.POST, currency=engagement.currency)
    return submit(
        request,
        form,
        lambda data: invoice_issue(
            user=user,
            engagement=engagement,
            period_start=data.get("period_start"),
            period_end=data.get("period_end"),
            expenses=form.expenses(),
            note=data.get("note") or "",
        ),
        success=lambda invoice: _("Invoice %(number)s issued.") % {"number": invoice.number},
        then=lambda invoice: HttpResponseRedirect(
            reverse("invoice_detail", kwargs={"invoice_id": invoice.pk})
        ),
    ) or _commercials_page(request, engagement, invoice_form=form, status=400)


# --- time approval ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def time_approval(request: HttpRequest, engagement_id: int) -> HttpResponse:
    user = authenticated(request)
    engagement = access.access_commercials(user, engagement_id, provider=request.method == "POST")
    waiting = list(time_awaiting(engagement))
    form = TimeDecisionForm(
        request.POST if request.method == "POST" else None, entry_ids=[entry.pk for entry in waiting]
    )
    status = 200
    if request.method == "POST":
        done = submit(
            request,
            form,
            lambda data: time_entries_decide(
                user=user,
                engagement=engagement,
                entry_ids=data["entries"],
                decision=data["decision"],
                note=data.get("note") or "",
            ),
            success=lambda decided: (
                (
                    _("%(count)s time entries approved.")
                    if form.cleaned_data["decision"] == "approved"
                    else _("%(count)s time entries rejected.")
                )
                % {"count": len(decided)}
            ),
            then=HttpResponseRedirect(reverse("time_approval", kwargs={"engagement_id": engagement.pk})),
        )
        if done:
            return done
        status = 400
    return render(
        request,
        "economics/time_approval.html",
        {
            "engagement": engagement,
            "waiting": waiting,
            "totals": priced_time(engagement, waiting, installation_date(request_now(request))),
            "decided": time_decided(engagement),
            "form": form,
            "manage": access.manages_provider(user, engagement),
        },
        status=status,
    )


# --- invoices -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def invoice_detail(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = access.access_invoice(request.user, invoice_id)
    return render(
        request,
        "economics/invoice_detail.html",
        {
            "invoice": invoice,
            "lines": invoice_lines(invoice),
            "parties": invoice_parties(invoice),
            "vat_label": vat_label(invoice),
            "vat_note": vat_note(invoice),
            "payment": payment_text(invoice),
            "terms": terms_text(invoice.payment_terms_days) if invoice.payment_terms_days is not None else "",
        },
    )


def _download(
    request: HttpRequest, invoice: Invoice, body: bytes, content_type: str, suffix: str
) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.{suffix}"'
    response["X-Content-Type-Options"] = "nosniff"
    details = {"number": invoice.number, "format": suffix}
    target = ("invoice", invoice.pk)
    audit(request.user, AuditEvent.DOWNLOAD, target, invoice.client, details)
    return response


@login_required
@require_GET
def invoice_pdf_view(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = access.access_invoice(request.user, invoice_id)
    return _download(request, invoice, invoice_pdf(invoice), "application/pdf", "pdf")


@login_required
@require_GET
def invoice_csv_view(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = access.access_invoice(request.user, invoice_id)
    return _download(request, invoice, invoice_csv(invoice).encode("utf-8"), "text/csv; charset=utf-8", "csv")


# --- the client dashboard ----------------------------------------------------------------------------------


@login_required
@require_GET
def client_dashboard(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    ids = access.dashboard_client_ids(user)
    clients = list(Organisation.objects.filter(pk__in=ids).order_by("name"))
    if not clients:
        raise Http404("Not found.")
    wanted = request.GET.get("client", "")
    client = next((c for c in clients if str(c.pk) == wanted), clients[0])
    data = client_commercials(client.pk, client.currency, access.commercial_engagements(user))
    charts = dashboard_charts(data)
    return render(
        request,
        "economics/client_dashboard.html",
        {"client": client, "clients": clients, "data": data, "charts": charts},
    )
