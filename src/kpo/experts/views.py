"""The expert directory and expert profiles."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kpo.core.pagination import CappedPaginator
from kpo.experts import selectors
from kpo.experts.access import access_expert, sees_expert_rates
from kpo.experts.forms import ExpertFilterForm
from kpo.experts.models import ExpertProfile
from kpo.experts.presenters import directory_rows

PAGE_SIZE = 25
SKILL_SUGGESTIONS = 30


def _int_or_none(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None


@login_required
@require_GET
def expert_list(request: HttpRequest) -> HttpResponse:
    if getattr(request, "htmx", False) and "skill_q" in request.GET:
        return _skill_options(request)
    skill_id = _int_or_none(request.GET.get("skill"))
    form = ExpertFilterForm(request.GET or None, skill_label=selectors.skill_label(skill_id))
    data = form.cleaned_data if form.is_valid() else getattr(form, "cleaned_data", {})
    filters = selectors.ExpertFilter(
        q=(data.get("q") or "").strip(),
        domain=data.get("domain") or "",
        skill=data.get("skill"),
        country=data.get("country") or "",
        language=data.get("language") or "",
        degree=data.get("degree") or "",
    )
    page = CappedPaginator(selectors.expert_list(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = directory_rows(page.object_list)
    return render(request, "experts/expert_list.html", {"form": form, "page": page, "rows": rows})


def _skill_options(request: HttpRequest) -> HttpResponse:
    """htmx: the options of the skill filter, for what the user has typed."""
    q = request.GET.get("skill_q", "").strip()[:100]
    skills = list(selectors.skill_search(q)[:SKILL_SUGGESTIONS]) if len(q) >= 2 else []
    return render(request, "experts/_skill_options.html", {"skills": skills, "q": q})


def _render_profile(request: HttpRequest, expert: ExpertProfile, *, own: bool) -> HttpResponse:
    show_cost = sees_expert_rates(request.user, expert)
    return render(
        request,
        "experts/expert_detail.html",
        {"expert": expert, "show_cost": show_cost, "own": own},
    )


@login_required
@require_GET
def expert_detail(request: HttpRequest, expert_id: int) -> HttpResponse:
    expert = access_expert(request.user, expert_id)
    expert = selectors.expert_profile(expert)
    return _render_profile(request, expert, own=expert.user_id == request.user.pk)


@login_required
@require_GET
def my_profile(request: HttpRequest) -> HttpResponse:
    profile_id = selectors.own_expert_profile_id(request.user)
    if profile_id is None:
        raise Http404("You have no expert profile.")
    expert = access_expert(request.user, profile_id)
    expert = selectors.expert_profile(expert)
    return _render_profile(request, expert, own=True)
