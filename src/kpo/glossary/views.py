"""Glossary pages: an engagement's glossary with the form to add a term, changing and removing a term."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kpo.core.access import authenticated
from kpo.core.forms import submit
from kpo.glossary import services
from kpo.glossary.access import access_glossary, access_glossary_term, can_keep_glossary
from kpo.glossary.forms import GlossaryTermForm
from kpo.glossary.models import MAX_TERMS_PER_ENGAGEMENT
from kpo.glossary.selectors import entries_on_page
from kpo.redaction.access import sees_originals_of
from kpo.work.models import Engagement


def _render_glossary(
    request: HttpRequest, engagement: Engagement, form: GlossaryTermForm | None = None, status: int = 200
) -> HttpResponse:
    keeper = can_keep_glossary(request.user, engagement)
    return render(
        request,
        "glossary/glossary.html",
        {
            "engagement": engagement,
            "entries": entries_on_page(request, engagement),
            "can_keep": keeper,
            "redacted": not sees_originals_of(request.user, engagement.client_id),
            "form": (form or GlossaryTermForm()) if keeper else None,
            "max_terms": MAX_TERMS_PER_ENGAGEMENT,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def glossary(request: HttpRequest, engagement_id: int) -> HttpResponse:
    if request.method != "POST":
        return _render_glossary(request, access_glossary(request.user, engagement_id))
    engagement = access_glossary(request.user, engagement_id, write=True)
    form = GlossaryTermForm(request.POST)
    return submit(
        request,
        form,
        lambda data: services.glossary_term_create(
            user=authenticated(request), engagement=engagement, **data
        ),
        success=lambda term: _("“%(term)s” is in the glossary.") % {"term": term.english},
        then=redirect("glossary", engagement_id=engagement.pk),
    ) or _render_glossary(request, engagement, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def glossary_term_edit(request: HttpRequest, glossary_term_id: int) -> HttpResponse:
    term = access_glossary_term(request.user, glossary_term_id, write=True)
    form = GlossaryTermForm(request.POST) if request.method == "POST" else GlossaryTermForm.for_term(term)
    status = 200
    if request.method == "POST":
        status = 400
        done = submit(
            request,
            form,
            lambda data: services.glossary_term_update(user=authenticated(request), term=term, **data),
            success=_("The term is saved."),
            then=redirect("glossary", engagement_id=term.engagement_id),
        )
        if done:
            return done
    return render(
        request,
        "glossary/term_edit.html",
        {"term": term, "form": form, "engagement": term.engagement},
        status=status,
    )


@login_required
@require_POST
def glossary_term_delete(request: HttpRequest, glossary_term_id: int) -> HttpResponse:
    term = access_glossary_term(request.user, glossary_term_id, write=True)
    engagement_id = term.engagement_id
    services.glossary_term_delete(user=authenticated(request), term=term)
    messages.success(request, _("The term is no longer in the glossary."))
    return redirect("glossary", engagement_id=engagement_id)
