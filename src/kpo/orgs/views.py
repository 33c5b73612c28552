"""The organisation page and personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpo.core.access import get_visible_or_404
from kpo.core.errors import DomainError
from kpo.core.forms import apply_errors
from kpo.core.views import authenticated
from kpo.orgs import selectors, services
from kpo.orgs.access import access_own_organisation
from kpo.orgs.forms import ApiTokenForm


@login_required
@require_GET
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = access_own_organisation(request.user, organisation_id)
    return render(
        request,
        "orgs/organisation_detail.html",
        {
            "organisation": organisation,
            "members": selectors.organisation_members(organisation),
            "my_organisations": selectors.organisations_of(request.user),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    plain_token = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                token, plain_token = services.api_token_create(user=user, name=form.cleaned_data["name"])
            except (ValidationError, DomainError) as error:
                apply_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Token “%(name)s” created.") % {"name": token.name})
                form = ApiTokenForm()
        else:
            status = 400
    return render(
        request,
        "orgs/token_list.html",
        {"form": form, "tokens": list(selectors.api_tokens_of(user)), "plain_token": plain_token},
        status=status,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponseRedirect:
    user = authenticated(request)
    token = get_visible_or_404(selectors.api_tokens_of(user), token_id)
    try:
        services.api_token_revoke(user=user, token=token)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("token_list")
