"""Make-or-buy pages: compare in-house with third parties and a captive; save, reopen and delete scenarios.

Each view: parse input, check access, call one selector or service, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpo.core.access import authenticated
from kpo.core.clock import installation_date, request_now
from kpo.core.errors import DomainError
from kpo.core.panels import Panel
from kpo.economics.make_or_buy.access import (
    SCENARIO_ROLES,
    access_scenario,
    scenario_clients,
    scenarios_visible_to,
)
from kpo.economics.make_or_buy.forms import MakeOrBuyForm, form_data
from kpo.economics.make_or_buy.presenters import (
    assumption_rows,
    named_scenarios,
    override_rows,
    result_context,
)
from kpo.economics.make_or_buy.rate_quotes import rate_quotes
from kpo.economics.make_or_buy.services.comparison import make_or_buy
from kpo.economics.make_or_buy.services.scenarios import scenario_create, scenario_delete
from kpo.orgs.selectors import org_ids_with_roles


@login_required
@require_http_methods(["GET", "POST"])
def make_or_buy_view(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    clients = scenario_clients(user)
    if not clients:
        raise Http404("Not found.")
    client = clients[0]
    result: dict[str, Any] | None = None
    status = 200
    source = None
    if request.method == "POST":
        form = MakeOrBuyForm(request.POST)
        saving = request.POST.get("action") == "save"
    elif request.GET.get("from"):
        # "Duplicate and edit": the saved scenario's inputs, recomputed with today's code
        source = access_scenario(user, request.GET["from"])
        form = MakeOrBuyForm(form_data(source.inputs))
        saving = False
    else:
        form = MakeOrBuyForm(initial={"client_country": client.country or "DK", "currency": "DKK"})
        saving = False
    if form.is_bound:
        if form.is_valid():
            inputs = form.engine_inputs()
            try:
                if saving:
                    scenario = scenario_create(
                        user=user,
                        client=client,
                        name=form.cleaned_data.get("name") or "",
                        day=installation_date(request_now(request)),
                        **inputs,
                    )
                    messages.success(request, _("Scenario “%(name)s” saved.") % {"name": scenario.name})
                    return HttpResponseRedirect(
                        reverse("scenario_detail", kwargs={"scenario_id": scenario.pk})
                    )
                day = installation_date(request_now(request))
                result = make_or_buy(
                    **inputs,
                    rate_cards=rate_quotes(client, inputs["occupation"], inputs["options"], day),
                )
            except ValidationError as error:
                form.add_engine_errors(error.message_dict)
        if not form.is_valid() and request.method == "POST":
            status = 400
    return render(
        request,
        "economics/make_or_buy.html",
        {
            "form": form,
            "client": client,
            "source": source,
            "scenarios": named_scenarios(scenarios_visible_to(user).filter(client=client)[:50]),
            **result_context(result),
        },
        status=status,
    )


@login_required
@require_GET
def scenario_detail(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = access_scenario(request.user, scenario_id)
    inputs = dict(scenario.inputs or {})
    if not inputs.get("assumptions"):  # stored by other writers without them: the result has them
        inputs["assumptions"] = (scenario.result or {}).get("assumptions") or {}
    return render(
        request,
        "economics/scenario_detail.html",
        {
            "scenario": scenario,
            "assumptions": assumption_rows(inputs),
            "overrides": override_rows(inputs),
            "title": _("Make-or-buy scenario"),
            **result_context(scenario.result),
        },
    )


@login_required
@require_POST
def scenario_delete_view(request: HttpRequest, scenario_id: int) -> HttpResponse:
    user = authenticated(request)
    scenario = access_scenario(user, scenario_id)
    name = scenario.name
    try:
        scenario_delete(user=user, scenario=scenario)
    except ValidationError:
        raise Http404("Not found.") from None
    except DomainError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(reverse("scenario_detail", kwargs={"scenario_id": scenario.pk}))
    messages.success(request, _("Scenario “%(name)s” deleted.") % {"name": name})
    return HttpResponseRedirect(reverse("make_or_buy"))


def make_or_buy_panel(request: HttpRequest, user: Any) -> Panel | None:
    """Dashboard: client admins and requesters find the calculator and their latest scenarios."""
    if not isinstance(user, User) or not org_ids_with_roles(user, SCENARIO_ROLES):
        return None
    return Panel(
        "economics/make_or_buy_panel.html", {"scenarios": named_scenarios(scenarios_visible_to(user)[:3])}
    )
