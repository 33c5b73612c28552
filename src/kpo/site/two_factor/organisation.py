"""An organisation's admins require two-factor authentication of all its members (a form on its page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kpo.core.access import authenticated
from kpo.core.links import redirect_at
from kpo.orgs.access import access_own_organisation
from kpo.orgs.forms import TwoFactorPolicyForm
from kpo.site.two_factor.services import set_organisation_requirement


@login_required
@require_POST
def organisation_two_factor(request: HttpRequest, organisation_id: int) -> HttpResponseRedirect:
    organisation = access_own_organisation(request.user, organisation_id, admin=True)
    user = authenticated(request)
    form = TwoFactorPolicyForm(request.POST)
    form.is_valid()
    required = bool(form.cleaned_data.get("require_two_factor"))
    set_organisation_requirement(user=user, organisation=organisation, required=required)
    if required:
        messages.success(
            request,
            _("Two-factor authentication is now required for everyone in %(organisation)s.")
            % {"organisation": organisation.name},
        )
    else:
        messages.success(
            request,
            _("Two-factor authentication is no longer required in %(organisation)s.")
            % {"organisation": organisation.name},
        )
    return redirect_at("organisation_detail", "two-factor", organisation_id=organisation.pk)
