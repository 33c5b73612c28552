"""Sensitive-term pages: the client's list with the form to add one, editing and removing a term."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kpo.core.access import authenticated
from kpo.core.forms import submit
from kpo.orgs.models import Organisation
from kpo.redaction import services
from kpo.redaction.access import access_sensitive_term, access_term_client, can_manage_terms
from kpo.redaction.forms import SensitiveTermForm
from kpo.redaction.models import MAX_TERMS_PER_CLIENT
from kpo.redaction.selectors import terms_of


def _render_terms(
    request: HttpRequest, client: Organisation, form: SensitiveTermForm | None = None, status: int = 200
) -> HttpResponse:
    manage = can_manage_terms(request.user, client.pk)
    return render(
        request,
        "redaction/term_list.html",
        {
            "organisation": client,
            "terms": list(terms_of(client.pk)),
            "can_manage": manage,
            "form": (form or SensitiveTermForm()) if manage else None,
            "max_terms": MAX_TERMS_PER_CLIENT,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sensitive_terms(request: HttpRequest, organisation_id: int) -> HttpResponse:
    if request.method != "POST":
        return _render_terms(request, access_term_client(request.user, organisation_id))
    client = access_term_client(request.user, organisation_id, write=True)
    form = SensitiveTermForm(request.POST)
    return submit(
        request,
        form,
        lambda data: services.sensitive_term_create(user=authenticated(request), client=client, **data),
        success=lambda term: _("“%(term)s” will be redacted.") % {"term": term.term},
        then=redirect("sensitive_terms", organisation_id=client.pk),
    ) or _render_terms(request, client, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def sensitive_term_edit(request: HttpRequest, sensitive_term_id: int) -> HttpResponse:
    term = access_sensitive_term(request.user, sensitive_term_id, write=True)
    form = SensitiveTermForm(request.POST) if request.method == "POST" else SensitiveTermForm.for_term(term)
    status = 200
    if request.method == "POST":
        status = 400
        done = submit(
            request,
            form,
            lambda data: services.sensitive_term_update(
                user=authenticated(request), sensitive_term=term, **data
            ),
            success=_("The term is saved."),
            then=redirect("sensitive_terms", organisation_id=term.client_id),
        )
        if done:
            return done
    return render(
        request,
        "redaction/term_edit.html",
        {"term": term, "form": form, "organisation": term.client},
        status=status,
    )


@login_required
@require_POST
def sensitive_term_delete(request: HttpRequest, sensitive_term_id: int) -> HttpResponse:
    term = access_sensitive_term(request.user, sensitive_term_id, write=True)
    client_id = term.client_id
    services.sensitive_term_delete(user=authenticated(request), sensitive_term=term)
    messages.success(request, _("The term is no longer redacted."))
    return redirect("sensitive_terms", organisation_id=client_id)
