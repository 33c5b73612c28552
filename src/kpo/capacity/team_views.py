"""The teams of a provider: a list (managers and auditors read it), a new team, a team's name and members,
and removing a team (managers). Each view: access, form, service."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kpo.capacity import teams as services
from kpo.capacity.access import (
    access_team,
    access_team_for_change,
    access_team_provider,
    managed_provider_ids,
    readable_provider_ids,
)
from kpo.capacity.forms import NewTeamForm, TeamForm
from kpo.capacity.models import Team
from kpo.capacity.selectors import team_list
from kpo.core.access import authenticated
from kpo.core.forms import attempt, submit
from kpo.experts.models import ExpertProfile, ExpertStatus
from kpo.orgs.models import Organisation


def _experts(provider_ids: Collection[int], with_provider: bool) -> list[tuple[int, str]]:
    """The providers' active experts to pick members from, by name."""
    experts = (
        ExpertProfile.objects.filter(organisation_id__in=list(provider_ids), status=ExpertStatus.ACTIVE)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "id")
    )
    return [
        (e.pk, f"{e.display_name} ({e.organisation.name})" if with_provider else e.display_name)
        for e in experts
    ]


def _managed(request: HttpRequest) -> list[tuple[int, str]]:
    return list(
        Organisation.objects.filter(id__in=managed_provider_ids(request.user))
        .order_by("name")
        .values_list("id", "name")
    )


def _new_form(request: HttpRequest, data: Any = None) -> NewTeamForm | None:
    managed = _managed(request)
    if not managed:
        return None
    experts = _experts([pk for pk, _name in managed], len(managed) > 1)
    return NewTeamForm(data, providers=managed, experts=experts)


def _list_page(request: HttpRequest, form: NewTeamForm | None, status: int = 200) -> HttpResponse:
    readable = readable_provider_ids(request.user)
    if not readable:
        raise Http404("Not found.")
    context = {"teams": team_list(readable), "form": form, "several": len(readable) > 1}
    return render(request, "capacity/teams.html", context, status=status)


@login_required
@require_GET
def team_list_page(request: HttpRequest) -> HttpResponse:
    return _list_page(request, _new_form(request))


@login_required
@require_POST
def team_create(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    form = _new_form(request, request.POST)
    if form is None:
        if readable_provider_ids(user):
            raise PermissionDenied(_("Only the provider's managers change its teams."))
        raise Http404("Not found.")
    return submit(
        request,
        form,
        lambda data: services.team_create(
            user=user,
            provider=access_team_provider(user, data["provider"]),
            name=data["name"],
            members=data["members"],
        ),
        success=lambda team: _("Team “%(name)s” created.") % {"name": team.name},
        then=lambda team: HttpResponseRedirect(reverse("capacity_team", kwargs={"team_id": team.pk})),
    ) or _list_page(request, form, status=400)


def _team_page(request: HttpRequest, team: Team, form: TeamForm | None, status: int = 200) -> HttpResponse:
    can_change = team.organisation_id in managed_provider_ids(request.user)
    if can_change and form is None:
        members = [str(pk) for pk in team.memberships.values_list("expert_id", flat=True)]
        form = TeamForm(
            initial={"name": team.name, "members": members}, experts=_experts([team.organisation_id], False)
        )
    context = {
        "team": team,
        "members": team.members.select_related("user").order_by("user__last_name", "user__first_name", "id"),
        "form": form if can_change else None,
    }
    return render(request, "capacity/team.html", context, status=status)


@login_required
@require_GET
def team_page(request: HttpRequest, team_id: int) -> HttpResponse:
    return _team_page(request, access_team(request.user, team_id), None)


@login_required
@require_POST
def team_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    user = authenticated(request)
    team = access_team_for_change(user, team_id)
    form = TeamForm(request.POST, experts=_experts([team.organisation_id], False))
    return submit(
        request,
        form,
        lambda data: services.team_update(user=user, team=team, name=data["name"], members=data["members"]),
        success=lambda changed: _("Team “%(name)s” saved.") % {"name": changed.name},
        then=HttpResponseRedirect(reverse("capacity_team", kwargs={"team_id": team.pk})),
    ) or _team_page(request, team, form, status=400)


@login_required
@require_POST
def team_delete(request: HttpRequest, team_id: int) -> HttpResponse:
    user = authenticated(request)
    team = access_team_for_change(user, team_id)
    name = team.name
    if attempt(
        request,
        lambda: services.team_delete(user=user, team=team),
        success=_("Team “%(name)s” removed.") % {"name": name},
    ):
        return HttpResponseRedirect(reverse("capacity_teams"))
    return HttpResponseRedirect(reverse("capacity_team", kwargs={"team_id": team_id}))
