"""Engagement pages: list, create, detail, edit."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from kpo.core.access import authenticated, require
from kpo.core.clock import request_now, user_date
from kpo.experts.models import DomainChoice
from kpo.orgs.models import Organisation
from kpo.orgs.selectors import org_ids_with_roles, organisations_of, providers_for_clients
from kpo.work import selectors, services
from kpo.work.access import (
    CLIENT_WRITERS,
    access_engagement,
    can_edit_engagement,
)
from kpo.work.forms import (
    EngagementForm,
)
from kpo.work.models import EngagementStatus
from kpo.work.views._helpers import PAGE_SIZE, _choice, _posted, form_page

ENGAGEMENT_SORT_LABELS = [
    ("-created", gettext_lazy("Newest first")),
    ("created", gettext_lazy("Oldest first")),
    ("title", gettext_lazy("Title, A to Z")),
    ("-title", gettext_lazy("Title, Z to A")),
    ("-start", gettext_lazy("Latest start")),
    ("start", gettext_lazy("Earliest start")),
    ("-budget", gettext_lazy("Largest budget")),
    ("budget", gettext_lazy("Smallest budget")),
]


def _writable_clients(request: HttpRequest) -> list[Organisation]:
    """The client organisations the user may create engagements for; 403 when there are none."""
    writable = org_ids_with_roles(request.user, CLIENT_WRITERS)
    clients = [org for org in organisations_of(request.user) if org.pk in writable]
    require(bool(clients), _("Only a client's admins and requesters create engagements."))
    return clients


@login_required
@require_GET
def engagement_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.EngagementFilter(
        q=request.GET.get("q", "").strip()[:200],
        status=_choice(request.GET.get("status"), EngagementStatus.values),
        domain=_choice(request.GET.get("domain"), DomainChoice.values),
        sort=_choice(request.GET.get("sort"), list(selectors.ENGAGEMENT_SORTS)) or "-created",
    )
    page = Paginator(selectors.engagement_list(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    writable = org_ids_with_roles(request.user, CLIENT_WRITERS)
    return render(
        request,
        "work/engagement_list.html",
        {
            "page": page,
            "filters": filters,
            "status_choices": EngagementStatus.choices,
            "domain_choices": DomainChoice.choices,
            "sort_choices": ENGAGEMENT_SORT_LABELS,
            "can_create": bool(writable),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def engagement_create(request: HttpRequest) -> HttpResponse:
    clients = _writable_clients(request)
    user = authenticated(request)
    providers = providers_for_clients({c.pk for c in clients})
    form = EngagementForm(
        _posted(request),
        clients=clients,
        providers=providers,
        initial={"start_date": user_date(request_now(request))},
    )
    return form_page(
        request,
        "work/engagement_form.html",
        form,
        lambda data: services.engagement_create(user=user, **data),
        success=lambda engagement: _("Engagement “%(title)s” created.") % {"title": engagement.title},
        then=lambda engagement: redirect("engagement_detail", engagement_id=engagement.pk),
    )


@login_required
@require_GET
def engagement_detail(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = access_engagement(request.user, engagement_id)
    tasks = selectors.with_new_messages(
        selectors.task_list(request.user, selectors.TaskFilter(engagement=engagement.pk)), request.user
    )
    return render(
        request,
        "work/engagement_detail.html",
        {
            "engagement": engagement,
            "tasks": list(tasks),
            "can_edit": can_edit_engagement(request.user, engagement),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def engagement_edit(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = access_engagement(request.user, engagement_id, write=True)
    user = authenticated(request)
    providers = providers_for_clients({engagement.client_id})
    initial = {name: getattr(engagement, name) for name in services.ENGAGEMENT_FIELDS}
    initial["provider"] = engagement.provider_id
    form = EngagementForm(_posted(request), initial=initial, providers=providers, editing=True)
    return form_page(
        request,
        "work/engagement_form.html",
        form,
        lambda data: services.engagement_update(user=user, engagement=engagement, **data),
        success=_("Engagement saved."),
        then=redirect("engagement_detail", engagement_id=engagement.pk),
        context={"engagement": engagement},
    )
