"""The organisation page (members, roles, invitations), invitation links, and personal API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpo.core.access import authenticated, get_visible_or_404
from kpo.core.clock import request_now
from kpo.core.errors import DomainError, error_text, field_errors
from kpo.core.forms import attempt, submit
from kpo.core.links import redirect_at
from kpo.core.search import PeopleSearchForm
from kpo.orgs import selectors, services
from kpo.orgs.access import (
    access_invitation,
    access_member,
    access_organisation_page,
    access_own_organisation,
    can_manage_organisation,
)
from kpo.orgs.billing import organisation_billing_update
from kpo.orgs.forms import (
    ApiTokenForm,
    BillingForm,
    InvitationForm,
    InvitationSignUpForm,
    MemberRolesForm,
    TwoFactorPolicyForm,
)
from kpo.orgs.models import Invitation, InvitationState, Membership, Organisation


def _render_organisation(
    request: HttpRequest,
    organisation: Organisation,
    *,
    invite_form: InvitationForm | None = None,
    billing_form: BillingForm | None = None,
    new_link: str = "",
    members: bool = True,
    status: int = 200,
) -> HttpResponse:
    """The organisation page: its people (paged) and, for its admins, roles and invitations."""
    manage = can_manage_organisation(request.user, organisation)
    roles = selectors.roles_for_kind(organisation)
    search = PeopleSearchForm(request.GET or None, placeholder=gettext_lazy("Name, e-mail or role"))
    search.is_valid()
    return render(
        request,
        "orgs/organisation_detail.html",
        {
            "organisation": organisation,
            "page": selectors.organisation_member_page(organisation, request.GET.get("page"), search.text())
            if members
            else None,
            "search": search,
            "my_organisations": selectors.organisations_of(request.user),
            "can_manage": manage,
            "invite_form": (invite_form or InvitationForm(roles=roles)) if manage else None,
            "invitations": selectors.pending_invitations(organisation) if manage else [],
            "two_factor_form": (
                TwoFactorPolicyForm(initial={"require_two_factor": organisation.require_two_factor})
                if manage
                else None
            ),
            "billing_form": (billing_form or _billing_form(organisation)) if manage else None,
            "new_link": new_link,
            "now": request_now(request),
        },
        status=status,
    )


def _billing_form(organisation: Organisation, data: object = None) -> BillingForm:
    return BillingForm(
        data,
        provider=not organisation.is_client,
        initial={
            "postal_address": organisation.postal_address,
            "vat_number": organisation.vat_number,
            "payment_terms_days": organisation.payment_terms_days,
        },
    )


@login_required
@require_POST
def organisation_billing(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = access_own_organisation(request.user, organisation_id, admin=True)
    user = authenticated(request)
    form = _billing_form(organisation, request.POST)
    return submit(
        request,
        form,
        lambda data: organisation_billing_update(user=user, organisation=organisation, **data),
        success=_("Billing details saved. Invoices issued from now on carry them."),
        then=_back_to_organisation(organisation.pk, "billing"),
    ) or _render_organisation(request, organisation, billing_form=form, status=400)


@login_required
@require_GET
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation, members = access_organisation_page(request.user, organisation_id)
    return _render_organisation(request, organisation, members=members)


@never_cache
@login_required
@require_POST
def invitation_create(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = access_own_organisation(request.user, organisation_id, admin=True)
    user = authenticated(request)
    form = InvitationForm(request.POST, roles=selectors.roles_for_kind(organisation))
    return submit(
        request,
        form,
        lambda data: services.invitation_create(
            organisation=organisation,
            invited_by=user,
            email=data["email"],
            role=data["role"],
            site_url=request.build_absolute_uri("/"),
        ),
        success=lambda sent: (
            _("Invitation sent to %(email)s. The link works for 14 days.") % {"email": sent[0].email}
        ),
        then=lambda sent: _render_organisation(request, organisation, new_link=sent[1]),
    ) or _render_organisation(request, organisation, invite_form=form, status=400)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, organisation_id: int, invitation_id: int) -> HttpResponseRedirect:
    invitation = access_invitation(request.user, organisation_id, invitation_id)
    user = authenticated(request)
    attempt(
        request,
        lambda: services.invitation_revoke(user=user, invitation=invitation),
        success=_("The invitation to %(email)s is withdrawn.") % {"email": invitation.email},
    )
    return _back_to_organisation(invitation.organisation_id, "invitations")


def _back_to_organisation(organisation_id: int, anchor: str = "") -> HttpResponseRedirect:
    return redirect_at("organisation_detail", anchor, organisation_id=organisation_id)


def _render_member(
    request: HttpRequest,
    organisation: Organisation,
    member: User,
    form: MemberRolesForm,
    *,
    remove_error: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "orgs/member_edit.html",
        {"organisation": organisation, "member": member, "form": form, "remove_error": remove_error},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, organisation_id: int, member_id: int) -> HttpResponse:
    organisation, member = access_member(request.user, organisation_id, member_id)
    user = authenticated(request)
    roles = selectors.roles_for_kind(organisation)
    initial = {"roles": selectors.member_roles(organisation, member)}
    form = MemberRolesForm(request.POST if request.method == "POST" else None, initial=initial, roles=roles)
    if request.method == "POST":
        name = member.get_full_name() or member.username
        return submit(
            request,
            form,
            lambda data: services.membership_set_roles(
                user=user, organisation=organisation, member=member, roles=data["roles"]
            ),
            success=_("The roles of %(name)s are saved.") % {"name": name},
            then=_back_to_organisation(organisation.pk, "members"),
        ) or _render_member(request, organisation, member, form, status=400)
    return _render_member(request, organisation, member, form)


@login_required
@require_POST
def member_remove(request: HttpRequest, organisation_id: int, member_id: int) -> HttpResponse:
    organisation, member = access_member(request.user, organisation_id, member_id)
    user = authenticated(request)
    name = member.get_full_name() or member.username
    try:
        services.membership_remove(user=user, organisation=organisation, member=member)
    except (ValidationError, DomainError) as error:
        initial = {"roles": selectors.member_roles(organisation, member)}
        form = MemberRolesForm(initial=initial, roles=selectors.roles_for_kind(organisation))
        return _render_member(request, organisation, member, form, remove_error=error_text(error), status=400)
    messages.success(
        request,
        _("%(name)s is no longer a member of %(organisation)s.")
        % {"name": name, "organisation": organisation.name},
    )
    if member.pk == user.pk:
        return redirect("dashboard")  # they left: the organisation page is no longer theirs
    return _back_to_organisation(organisation.pk, "members")


INVITATION_PROBLEMS = {
    InvitationState.ACCEPTED: gettext_lazy("This invitation has already been used."),
    InvitationState.REVOKED: gettext_lazy(
        "This invitation was withdrawn. Ask the organisation for a new one."
    ),
    InvitationState.EXPIRED: gettext_lazy("This invitation has expired. Ask the organisation for a new one."),
}
SIGN_UP_FIELDS = {"password": "password1"}  # the service's field names → the sign-up form's


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The public page an invitation link opens: a signed-in user joins; a new visitor signs up and joins.

    A link that is unknown, used, withdrawn or expired says so and changes nothing.
    """
    invitation = selectors.invitation_for_token(token)
    if invitation is None:
        problem = _("This invitation link is not valid. Check that you copied all of it.")
        return _render_invitation(request, None, problem=problem, status=404)
    if invitation.state != InvitationState.OPEN:
        return _render_invitation(
            request, invitation, problem=str(INVITATION_PROBLEMS[invitation.state]), status=410
        )
    if request.user.is_authenticated:
        user = authenticated(request)
        if request.method == "GET":
            if not services.is_invited_address(invitation, user):
                refused = services.refuse_invitation(invitation=invitation, user=user)
                return _render_invitation(request, None, problem=refused.message, status=refused.status)
            return _render_invitation(request, invitation)
        try:
            membership = services.invitation_accept(token=token, user=user)
        except services.InvitationRefused as error:
            return _render_invitation(request, None, problem=error.message, status=error.status)
        except (ValidationError, DomainError) as error:
            return _render_invitation(request, invitation, problem=error_text(error), status=409)
        return _welcome(request, membership)
    form = InvitationSignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return _render_invitation(request, invitation, form=form)
    if form.is_valid():
        try:
            user, membership = services.invitation_accept_with_account(
                token=token,
                username=form.cleaned_data["username"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except DomainError as error:
            return _render_invitation(request, invitation, problem=error.message, status=409)
        except ValidationError as error:
            for item in field_errors(error):
                name = SIGN_UP_FIELDS.get(item["field"], item["field"])
                form.add_error(name if name in form.fields else None, item["message"])
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[-1])
            return _welcome(request, membership)
    return _render_invitation(request, invitation, form=form, status=400)


def _render_invitation(
    request: HttpRequest,
    invitation: Invitation | None,
    *,
    form: InvitationSignUpForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "orgs/invitation_accept.html",
        {"invitation": invitation, "form": form, "problem": problem, "login_next": request.path},
        status=status,
    )


def _welcome(request: HttpRequest, membership: Membership) -> HttpResponseRedirect:
    messages.success(
        request,
        _("Welcome to %(organisation)s. You are a member as %(role)s.")
        % {"organisation": membership.organisation.name, "role": membership.get_role_display().lower()},
    )
    return redirect("organisation_detail", organisation_id=membership.organisation_id)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        return submit(
            request,
            form,
            lambda data: services.api_token_create(user=user, name=data["name"], read_only=data["read_only"]),
            success=lambda made: _("Token “%(name)s” created.") % {"name": made[0].name},
            then=lambda made: _render_tokens(request, user, ApiTokenForm(), plain_token=made[1]),
        ) or _render_tokens(request, user, form, status=400)
    return _render_tokens(request, user, form)


def _render_tokens(
    request: HttpRequest, user: User, form: ApiTokenForm, *, plain_token: str = "", status: int = 200
) -> HttpResponse:
    """The user's tokens; `plain_token` is a new token's secret, shown this once."""
    return render(
        request,
        "orgs/token_list.html",
        {
            "form": form,
            "tokens": list(selectors.api_tokens_of(user)),
            "plain_token": plain_token,
            "token_days": settings.KPO_TOKEN_DAYS,
            "now": request_now(request),
        },
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
