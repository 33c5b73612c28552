"""The team page of an engagement: scale up (new seats from a week on, staffed by a run in the worker)
and release an expert (assignments cut at a date, hand-over tasks). Each view: access, form, service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from kpo.core.access import authenticated
from kpo.core.formatting import day
from kpo.core.forms import submit
from kpo.experts.models import EscoSkill
from kpo.forecast.access import can_scale
from kpo.forecast.forms import ReleaseForm, ScaleUpForm
from kpo.forecast.models import TeamChange
from kpo.forecast.selectors import team_assignments
from kpo.forecast.services import released_candidates, team_release, team_scale_up
from kpo.work.access import access_engagement
from kpo.work.models import Engagement, TaskSkill


def _engagement(request: HttpRequest, engagement_id: int) -> Engagement:
    engagement = access_engagement(request.user, engagement_id)
    if not can_scale(request.user, engagement):
        raise PermissionDenied(_("Only the provider's managers and the client's admins change the team."))
    return engagement


def _skill_choices(engagement: Engagement) -> list[tuple[str, str]]:
    used = TaskSkill.objects.filter(task__engagement=engagement).values("skill_id")
    return [
        (str(pk), label)
        for pk, label in EscoSkill.objects.filter(id__in=used).order_by("label").values_list("id", "label")
    ]


def _expert_choices(engagement: Engagement) -> list[tuple[str, str]]:
    return [(str(expert.pk), expert.display_name) for expert in released_candidates(engagement)]


def _page(
    request: HttpRequest,
    engagement: Engagement,
    *,
    scale: ScaleUpForm | None = None,
    release: ReleaseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "engagement": engagement,
        "scale": scale or ScaleUpForm(skill_choices=_skill_choices(engagement)),
        "release": release or ReleaseForm(expert_choices=_expert_choices(engagement)),
        "engagement_scale_url": reverse("team_scale", kwargs={"engagement_id": engagement.pk}),
        "engagement_release_url": reverse("team_release", kwargs={"engagement_id": engagement.pk}),
        "members": team_assignments(engagement),
        "changes": list(
            TeamChange.objects.filter(engagement=engagement)
            .select_related("requested_by", "run")
            .order_by("-id")[:10]
        ),
    }
    return render(request, "forecast/team.html", context, status=status)


@login_required
@require_GET
def team_change(request: HttpRequest, engagement_id: int) -> HttpResponse:
    return _page(request, _engagement(request, engagement_id))


@login_required
@require_POST
def team_scale(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = _engagement(request, engagement_id)
    user = authenticated(request)
    form = ScaleUpForm(request.POST, skill_choices=_skill_choices(engagement))

    def done(change: TeamChange) -> HttpResponse:
        if change.run_id is not None:
            return HttpResponseRedirect(reverse("staffing_run_detail", kwargs={"run_id": change.run_id}))
        return HttpResponseRedirect(reverse("team_change", kwargs={"engagement_id": engagement.pk}))

    return submit(
        request,
        form,
        lambda data: team_scale_up(
            user=user,
            engagement=engagement,
            experts=data["experts"],
            skill_ids=[int(pk) for pk in data["skills"]],
            starts=data["starts"],
            hours_per_week=data["hours_per_week"],
            until=data["until"],
        ),
        success=lambda change: (
            ngettext(
                "%(n)s task waits for staff from %(date)s.",
                "%(n)s tasks wait for staff from %(date)s.",
                change.details["experts"],
            )
            % {"n": change.details["experts"], "date": day(dt.date.fromisoformat(change.details["starts"]))}
        ),
        then=done,
    ) or _page(request, engagement, scale=form, status=400)


@login_required
@require_POST
def team_release_view(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = _engagement(request, engagement_id)
    user = authenticated(request)
    form = ReleaseForm(request.POST, expert_choices=_expert_choices(engagement))
    return submit(
        request,
        form,
        lambda data: team_release(
            user=user,
            engagement=engagement,
            expert_id=data["expert"],
            on_date=data["on_date"],
            note=data["note"],
        ),
        success=lambda change: (
            ngettext(
                "Released from %(date)s; %(n)s hand-over task waits for staff.",
                "Released from %(date)s; %(n)s hand-over tasks wait for staff.",
                len(change.details["task_ids"]),
            )
            % {
                "date": day(dt.date.fromisoformat(change.details["on_date"])),
                "n": len(change.details["task_ids"]),
            }
        ),
        then=HttpResponseRedirect(reverse("team_change", kwargs={"engagement_id": engagement.pk})),
    ) or _page(request, engagement, release=form, status=400)
