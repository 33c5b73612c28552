"""The break-glass page of a client organisation: operators ask, the client's admins decide and see
every step recorded in the audit trail."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kpo.core import trail
from kpo.core.access import authenticated, require
from kpo.core.clock import request_now
from kpo.core.forms import attempt, submit
from kpo.engine.taxonomy import Role
from kpo.orgs import break_glass
from kpo.orgs.access import access_break_glass, access_break_glass_grant
from kpo.orgs.events import Event
from kpo.orgs.forms import BreakGlassRequestForm
from kpo.orgs.models import Organisation
from kpo.orgs.selectors import org_ids_with_roles

TRAIL_EVENTS = (
    Event.BREAK_GLASS_REQUESTED,
    Event.BREAK_GLASS_APPROVED,
    Event.BREAK_GLASS_REFUSED,
    Event.BREAK_GLASS_USED,
    Event.BREAK_GLASS_EXPIRED,
    Event.BREAK_GLASS_ENDED,
)
TRAIL_ROWS = 100


def _render(
    request: HttpRequest,
    organisation: Organisation,
    *,
    form: BreakGlassRequestForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = authenticated(request)
    is_admin = organisation.pk in org_ids_with_roles(user, {Role.CLIENT_ADMIN.value})
    now = request_now(request)
    grants = break_glass.grants_seen_by(user, organisation, is_admin=is_admin, limit=TRAIL_ROWS)
    rows = [(grant, grant.state_at(now)) for grant in grants]
    return render(
        request,
        "orgs/break_glass.html",
        {
            "organisation": organisation,
            "is_admin": is_admin,
            "is_operator": break_glass.is_operator(user),
            "rows": rows,
            "form": form or BreakGlassRequestForm(),
            "trail": trail.entries_for(organisation.pk, TRAIL_EVENTS, TRAIL_ROWS) if is_admin else [],
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def break_glass_page(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = access_break_glass(request.user, organisation_id)
    if request.method == "GET":
        return _render(request, organisation)
    user = authenticated(request)
    require(break_glass.is_operator(user), _("Only operators ask for break-glass access."))
    form = BreakGlassRequestForm(request.POST)
    return submit(
        request,
        form,
        lambda data: break_glass.request_access(
            operator=user, organisation=organisation, reason=data["reason"], hours=data["hours"]
        ),
        success=_("Your request is sent. Access starts when an admin of the organisation approves it."),
        then=_back(organisation.pk),
    ) or _render(request, organisation, form=form, status=400)


def _back(organisation_id: int) -> HttpResponseRedirect:
    return redirect("break_glass", organisation_id=organisation_id)


def _decide(request: HttpRequest, organisation_id: int, grant_id: int, *, approve: bool) -> HttpResponse:
    grant = access_break_glass_grant(request.user, organisation_id, grant_id)
    user = authenticated(request)
    operator = grant.operator.get_full_name() or grant.operator.get_username()
    attempt(
        request,
        lambda: break_glass.decide(admin=user, grant=grant, approve=approve),
        success=(
            _("%(name)s may read the organisation's material for %(hours)s hours.")
            % {"name": operator, "hours": grant.hours}
            if approve
            else _("The request of %(name)s is refused.") % {"name": operator}
        ),
    )
    return _back(grant.organisation_id)


@login_required
@require_POST
def break_glass_approve(request: HttpRequest, organisation_id: int, grant_id: int) -> HttpResponse:
    return _decide(request, organisation_id, grant_id, approve=True)


@login_required
@require_POST
def break_glass_refuse(request: HttpRequest, organisation_id: int, grant_id: int) -> HttpResponse:
    return _decide(request, organisation_id, grant_id, approve=False)


@login_required
@require_POST
def break_glass_end(request: HttpRequest, organisation_id: int, grant_id: int) -> HttpResponse:
    grant = access_break_glass_grant(request.user, organisation_id, grant_id)
    user = authenticated(request)
    attempt(
        request,
        lambda: break_glass.end(admin=user, grant=grant),
        success=_("The break-glass access is ended."),
    )
    return _back(grant.organisation_id)
