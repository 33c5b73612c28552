"""Make-or-buy pages: compare in-house with third parties and a captive; save and reread scenarios.

Each view: parse input, check access, call one selector or service, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kpo.core.views import authenticated
from kpo.economics.forms import MakeOrBuyForm
from kpo.economics.selectors import access_scenario, scenarios_visible_to, tornado_rows
from kpo.economics.services import make_or_buy, scenario_clients, scenario_create


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
    if request.method == "POST":
        form = MakeOrBuyForm(request.POST)
        saving = request.POST.get("action") == "save"
        if form.is_valid():
            inputs = form.engine_inputs()
            try:
                if saving:
                    scenario = scenario_create(
                        user=user, client=client, name=form.cleaned_data.get("name") or "", **inputs
                    )
                    return HttpResponseRedirect(
                        reverse("scenario_detail", kwargs={"scenario_id": scenario.pk})
                    )
                result = make_or_buy(**inputs)
            except ValidationError as error:
                form.add_engine_errors(error.message_dict)
        if not form.is_valid():
            status = 400
    else:
        form = MakeOrBuyForm(initial={"client_country": client.country, "currency": "DKK"})
    return render(
        request,
        "economics/make_or_buy.html",
        {
            "form": form,
            "client": client,
            "result": result,
            "tornado": tornado_rows(result) if result else [],
            "scenarios": list(scenarios_visible_to(user).filter(client=client)[:50]),
        },
        status=status,
    )


@login_required
@require_GET
def scenario_detail(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = access_scenario(request.user, scenario_id)
    return render(
        request,
        "economics/scenario_detail.html",
        {
            "scenario": scenario,
            "result": scenario.result,
            "tornado": tornado_rows(scenario.result),
            "title": _("Make-or-buy scenario"),
        },
    )
