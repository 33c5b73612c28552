"""Compliance pages: a client's settings, an expert's declared conflicts, reviewed exceptions.

Each view: parse input, check access, call one selector or service, render.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kpo.compliance import services
from kpo.compliance.access import (
    access_competitor,
    access_compliance_client,
    access_conflict_exception,
    access_engagement_exceptions,
    access_own_declaration,
    access_transfer_country,
    can_change_policy,
)
from kpo.compliance.forms import (
    CompetitorForm,
    DeclarationForm,
    ExceptionForm,
    PolicyForm,
    TransferCountryForm,
)
from kpo.compliance.models import ConflictDeclaration
from kpo.compliance.residency import ADEQUACY_LIST_AS_OF, ADEQUACY_SOURCE_URL
from kpo.compliance.selectors import (
    competitors_of,
    conflicts_for,
    declarations_of,
    exceptions_for,
    policy_for,
    residency_of,
)
from kpo.core.access import authenticated
from kpo.core.clock import installation_date, request_now
from kpo.core.forms import attempt, submit
from kpo.core.links import url_at
from kpo.experts.access import experts_visible_to
from kpo.experts.models import ExpertProfile
from kpo.orgs.models import Organisation, OrganisationKind
from kpo.work.access import access_task, engagements_visible_to

R = TypeVar("R")

# --- the client's settings ---------------------------------------------------------------------------


def _settings_url(client_id: int, anchor: str = "") -> str:
    return url_at("compliance_settings", anchor, organisation_id=client_id)


def _render_settings(
    request: HttpRequest,
    client: Organisation,
    *,
    bound: dict[str, forms.BaseForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The settings page; `bound` replaces some of its blank forms by submitted ones, with their errors."""
    policy = policy_for(client)
    residency = residency_of(client)
    linkable = Organisation.objects.filter(kind=OrganisationKind.PROVIDER).order_by("name")
    context: dict[str, Any] = {
        "client": client,
        "policy": policy,
        "can_change": can_change_policy(request.user, client),
        "policy_form": PolicyForm(
            initial={
                "cooling_off_months": policy.cooling_off_months,
                "sensitive_cooling_off_months": policy.sensitive_cooling_off_months,
                "forbid_former_employees": policy.forbid_former_employees,
            }
        ),
        "competitor_form": CompetitorForm(organisations=linkable),
        "country_form": TransferCountryForm(),
        **(bound or {}),
        "competitors": list(competitors_of(client)),
        "residency": residency,
        "added": [(t, t.get_mechanism_display()) for t in residency.added],
        "adequacy_as_of": ADEQUACY_LIST_AS_OF,
        "adequacy_source": ADEQUACY_SOURCE_URL,
    }
    return render(request, "compliance/settings.html", context, status=status)


def _change_settings(
    request: HttpRequest,
    client: Organisation,
    key: str,
    form: forms.BaseForm,
    service: Callable[..., R],
    done: str | Callable[[R], str],
    anchor: str,
) -> HttpResponse:
    """A form of the settings page: `service` gets the user, the client and the form's fields; back to
    the form's section, or the page again with the form and its errors in place of the blank form `key`."""
    return submit(
        request,
        form,
        lambda data: service(user=authenticated(request), client=client, **data),
        success=done,
        then=HttpResponseRedirect(_settings_url(client.pk, anchor)),
    ) or _render_settings(request, client, bound={key: form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def compliance_settings(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """GET: the settings; POST: save the cooling-off policy."""
    write = request.method == "POST"
    client = access_compliance_client(request.user, organisation_id, write=write)
    if not write:
        return _render_settings(request, client)
    form = PolicyForm(request.POST)
    done = _("The cooling-off policy is saved.")
    return _change_settings(request, client, "policy_form", form, services.policy_update, done, "policy")


@login_required
@require_POST
def competitor_add(request: HttpRequest, organisation_id: int) -> HttpResponse:
    client = access_compliance_client(request.user, organisation_id, write=True)
    linkable = Organisation.objects.filter(kind=OrganisationKind.PROVIDER).order_by("name")
    form = CompetitorForm(request.POST, organisations=linkable)
    return _change_settings(
        request,
        client,
        "competitor_form",
        form,
        services.competitor_add,
        lambda competitor: _("%(name)s is on the competitor list.") % {"name": competitor.name},
        "competitors",
    )


@login_required
@require_POST
def competitor_remove(request: HttpRequest, competitor_id: int) -> HttpResponse:
    competitor = access_competitor(request.user, competitor_id, write=True)
    client_id, name = competitor.client_id, competitor.name
    services.competitor_remove(user=authenticated(request), competitor=competitor)
    messages.success(request, _("%(name)s is no longer on the competitor list.") % {"name": name})
    return HttpResponseRedirect(_settings_url(client_id, "competitors"))


@login_required
@require_POST
def transfer_country_add(request: HttpRequest, organisation_id: int) -> HttpResponse:
    client = access_compliance_client(request.user, organisation_id, write=True)
    form = TransferCountryForm(request.POST)
    done = _("The country is added to the data transfer list.")
    return _change_settings(
        request, client, "country_form", form, services.transfer_country_add, done, "residency"
    )


@login_required
@require_POST
def transfer_country_remove(request: HttpRequest, transfer_country_id: int) -> HttpResponse:
    transfer = access_transfer_country(request.user, transfer_country_id, write=True)
    client_id = transfer.client_id
    services.transfer_country_remove(user=authenticated(request), transfer=transfer)
    messages.success(request, _("The country is removed from the data transfer list."))
    return HttpResponseRedirect(_settings_url(client_id, "residency"))


# --- an expert's own declarations --------------------------------------------------------------------


def _own_profile(request: HttpRequest) -> ExpertProfile:
    profile = (
        ExpertProfile.objects.filter(user_id=request.user.pk or 0).select_related("organisation").first()
    )
    if profile is None:
        raise Http404("You have no expert profile.")
    return profile


def _known_clients(request: HttpRequest) -> Any:
    """The clients whose engagements the expert can see (they may pick one to declare a conflict with)."""
    return Organisation.objects.filter(
        kind=OrganisationKind.CLIENT,
        id__in=engagements_visible_to(request.user).values("client_id"),
    ).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def my_conflicts(request: HttpRequest) -> HttpResponse:
    expert = _own_profile(request)
    clients = _known_clients(request)
    status = 200
    if request.method == "POST":
        form = DeclarationForm(request.POST, clients=clients)
        done = submit(
            request,
            form,
            lambda data: services.conflict_declare(user=authenticated(request), expert=expert, **data),
            success=_("Your conflict of interest is declared."),
            then=HttpResponseRedirect(reverse("my_conflicts")),
        )
        if done:
            return done
        status = 400
    else:
        form = DeclarationForm(clients=clients)
    return render(
        request,
        "compliance/my_conflicts.html",
        {"expert": expert, "form": form, "declarations": list(declarations_of(expert.pk))},
        status=status,
    )


@login_required
@require_POST
def conflict_withdraw(request: HttpRequest, conflict_id: int) -> HttpResponse:
    declaration: ConflictDeclaration = access_own_declaration(request.user, conflict_id)
    services.conflict_withdraw(user=authenticated(request), declaration=declaration)
    messages.success(request, _("The declaration is withdrawn."))
    return HttpResponseRedirect(reverse("my_conflicts"))


# --- reviewed exceptions -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def coi_exception_create(request: HttpRequest, task_id: int) -> HttpResponse:
    """Record a reviewed exception for an expert with a conflict (from the task page or why-not)."""
    task = access_task(request.user, task_id)
    engagement = access_engagement_exceptions(request.user, task.engagement_id, write=True)
    report = conflicts_for(engagement, installation_date(request_now(request)))
    visible = experts_visible_to(request.user).filter(pk__in=list(report.excluded)).select_related("user")
    candidates = {expert.pk: expert for expert in visible}
    choices = sorted(((pk, expert.display_name) for pk, expert in candidates.items()), key=lambda c: c[1])
    status = 200
    if request.method == "POST":
        form = ExceptionForm(request.POST, experts=choices)
        done = submit(
            request,
            form,
            lambda data: services.exception_grant(
                user=authenticated(request),
                engagement=engagement,
                expert=candidates[data["expert"]],
                justification=data["justification"],
            ),
            success=lambda exception: (
                _("Exception recorded: %(name)s may work on this engagement.")
                % {"name": exception.expert.display_name}
            ),
            then=HttpResponseRedirect(reverse("task_detail", kwargs={"task_id": task.pk})),
        )
        if done:
            return done
        status = 400
    else:
        form = ExceptionForm(initial={"expert": request.GET.get("expert", "")}, experts=choices)
    conflicts = [(candidates[pk], report.excluded[pk]) for pk, _name in choices]
    return render(
        request,
        "compliance/exception_form.html",
        {
            "task": task,
            "engagement": engagement,
            "form": form,
            "conflicts": conflicts,
            "exceptions": list(exceptions_for(engagement)),
            "months": report.months,
        },
        status=status,
    )


@login_required
@require_POST
def coi_exception_revoke(request: HttpRequest, coi_exception_id: int) -> HttpResponse:
    exception = access_conflict_exception(request.user, coi_exception_id, write=True)
    name = exception.expert.display_name
    engagement_id = exception.engagement_id
    attempt(
        request,
        lambda: services.exception_revoke(user=authenticated(request), exception=exception),
        success=_("The exception for %(name)s is revoked.") % {"name": name},
    )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(back)
    return HttpResponseRedirect(reverse("engagement_detail", kwargs={"engagement_id": engagement_id}))
