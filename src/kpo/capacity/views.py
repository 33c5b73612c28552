"""The capacity page (heat map, table and bench), its CSV, and declaring or removing absences.

Each view: check access, parse the filters or the form, call one selector or service, render.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kpo.capacity import services
from kpo.capacity.access import (
    access_absence,
    access_absence_expert,
    managed_provider_ids,
    readable_provider_ids,
)
from kpo.capacity.forms import AbsenceForm, CapacityFilterForm
from kpo.capacity.models import Team
from kpo.capacity.presenters import heat_map, hours
from kpo.capacity.selectors import CapacityFilter, CapacityReport, capacity_report, teams_of
from kpo.core.access import authenticated
from kpo.core.clock import installation_date, request_now
from kpo.core.formatting import day
from kpo.core.forms import attempt, submit
from kpo.core.links import url_at
from kpo.core.spreadsheets import safe_cell
from kpo.engine.capacity import BENCH_WEEKS, DEFAULT_WEEKS, TeamWeek, WeekLoad
from kpo.experts.selectors import skill_label, skill_search
from kpo.orgs.models import Organisation

SKILL_SUGGESTIONS = 30


@dataclass(frozen=True)
class _Query:
    form: CapacityFilterForm
    provider_ids: set[int]
    weeks: int
    filters: CapacityFilter


def _int_or_none(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None


def team_label(team: Team, with_provider: bool) -> str:
    return f"{team.name} ({team.organisation.name})" if with_provider else team.name


def _query(request: HttpRequest) -> _Query:
    """The providers the user reads (404 for nobody) and the filters; an invalid filter keeps its default."""
    readable = readable_provider_ids(request.user)
    if not readable:
        raise Http404("Not found.")
    providers = list(Organisation.objects.filter(id__in=readable).order_by("name").values_list("id", "name"))
    teams = [
        (team.pk, team_label(team, len(providers) > 1))
        for team in teams_of(readable).select_related("organisation")
    ]
    skill_id = _int_or_none(request.GET.get("skill"))
    form = CapacityFilterForm(
        request.GET or None, providers=providers, teams=teams, skill_label=skill_label(skill_id)
    )
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    provider = data.get("provider")
    free = data.get("free") or ""
    return _Query(
        form=form,
        provider_ids={provider} if provider in readable else readable,
        weeks=data.get("weeks") or DEFAULT_WEEKS,
        filters=CapacityFilter(
            domain=data.get("domain") or "",
            skill_id=data.get("skill"),
            free_weeks=int(free) if free else None,
            team_id=data.get("team"),
        ),
    )


def _report(request: HttpRequest, query: _Query, *, with_tasks: bool) -> CapacityReport:
    user = authenticated(request)
    managed = managed_provider_ids(user) & query.provider_ids if with_tasks else set()
    return capacity_report(
        query.provider_ids,
        today=installation_date(request_now(request)),
        weeks=query.weeks,
        filters=query.filters,
        staffing_user=user if managed else None,
        staffing_provider_ids=managed,
    )


@login_required
@require_GET
def capacity_page(request: HttpRequest) -> HttpResponse:
    if getattr(request, "htmx", False) and "skill_q" in request.GET:
        q = request.GET.get("skill_q", "").strip()[:100]
        skills = list(skill_search(q)[:SKILL_SUGGESTIONS]) if len(q) >= 2 else []
        return render(request, "experts/_skill_options.html", {"skills": skills, "q": q})
    query = _query(request)
    report = _report(request, query, with_tasks=True)
    can_staff = bool(managed_provider_ids(request.user) & query.provider_ids)
    return render(
        request,
        "capacity/capacity.html",
        {
            "form": query.form,
            "report": report,
            "heat_map": heat_map(report) if report.rows else None,
            "bench_2": report.bench(BENCH_WEEKS[0]),
            "bench_4": report.bench(BENCH_WEEKS[1]),
            "bench_weeks": BENCH_WEEKS,
            "can_staff": can_staff,
            "csv_query": request.GET.urlencode(),
        },
    )


CSV_HEADER = [
    "expert_id",
    "expert",
    "organisation",
    "country",
    "week_start",
    "capacity_hours",
    "committed_hours",
    "free_hours",
    "utilisation",
    "team_id",
    "team",
    "team_members",
]
"""One row per expert and week, then one per team and week (expert columns empty, team columns filled)."""


def _week_cells(load: WeekLoad | TeamWeek) -> list[str]:
    share = load.utilisation
    return [
        load.week_start.isoformat(),
        hours(load.capacity),
        hours(load.committed),
        hours(load.free),
        "" if share is None else f"{share:.4f}",
    ]


@login_required
@require_GET
def capacity_csv(request: HttpRequest) -> HttpResponse:
    """The page's rows, one per expert and week and one per team and week, with the same filters."""
    report = _report(request, _query(request), with_tasks=False)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="capacity-{report.today.isoformat()}.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in report.rows:
        for load in row.loads:
            expert = [row.expert_id, safe_cell(row.name), safe_cell(row.organisation), row.country]
            writer.writerow([*expert, *_week_cells(load), "", "", ""])
    for team in report.teams:
        for week in team.loads:
            cells = [team.team_id, safe_cell(team.name), team.members]
            writer.writerow(["", "", safe_cell(team.organisation), "", *_week_cells(week), *cells])
    return response


def _profile_url(expert_id: int) -> str:
    return url_at("expert_detail", "absences", expert_id=expert_id)


@login_required
@require_POST
def absence_create(request: HttpRequest, expert_id: int) -> HttpResponse:
    user = authenticated(request)
    expert = access_absence_expert(user, expert_id)
    form = AbsenceForm(request.POST)
    return submit(
        request,
        form,
        lambda data: services.absence_declare(user=user, expert=expert, **data),
        success=lambda absence: (
            _("Absence from %(start)s to %(end)s declared.")
            % {"start": day(absence.start), "end": day(absence.end)}
        ),
        then=HttpResponseRedirect(_profile_url(expert.pk)),
    ) or render(
        request,
        "capacity/absence_form.html",
        {
            "form": form,
            "expert": expert,
            "action": reverse("absence_create", kwargs={"expert_id": expert.pk}),
            "expert_url": _profile_url(expert.pk),
        },
        status=400,
    )


@login_required
@require_POST
def absence_remove_view(request: HttpRequest, absence_id: int) -> HttpResponse:
    user = authenticated(request)
    absence = access_absence(user, absence_id)
    expert_id = absence.expert_id
    text = _("Absence from %(start)s to %(end)s removed.") % {
        "start": day(absence.start),
        "end": day(absence.end),
    }
    attempt(request, lambda: services.absence_remove(user=user, absence=absence), success=text)
    return HttpResponseRedirect(_profile_url(expert_id))
