"""Matching pages: find experts for a task (shortlist, pool report, why-not) and a client's weights.

Each view: parse input, check access, call one selector or service, render.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kpo.core.access import authenticated
from kpo.core.clock import request_now
from kpo.core.forms import submit
from kpo.experts.access import access_expert
from kpo.matching.access import access_client_weights, access_task_for_matching
from kpo.matching.forms import FindExpertsForm, MatchingWeightsForm
from kpo.matching.selectors import (
    MAX_N,
    WhyNot,
    expert_search,
    matching_settings,
    score_weights_of,
    shortlist_for_task,
    why_not_for,
)
from kpo.matching.services import matching_weights_update
from kpo.work.access import opens_engagement
from kpo.work.services import STAFFABLE_STATES

N_CHOICES = (10, 20, MAX_N)


@login_required
@require_GET
def find_experts(request: HttpRequest, task_id: int) -> HttpResponse:
    access = access_task_for_matching(request.user, task_id)
    task = access.task
    form = FindExpertsForm(request.GET)
    form.is_valid()  # each parameter counts on its own: a bad one is reported, the others still apply
    cleaned = form.cleaned_data
    now = request_now(request)
    result = shortlist_for_task(
        task,
        form.n_or_default(),
        now=now,
        viewer=request.user,
        sees_client_staff=access.sees_client_staff,
        organisation_ids=access.organisation_ids,
    )
    why: WhyNot | None = None
    why_missing = False
    candidates = []
    if cleaned.get("why_not"):
        try:
            expert = access_expert(request.user, cleaned["why_not"])
        except Http404:
            why_missing = True
        else:
            why = why_not_for(task, expert, now=now)
    if cleaned.get("q"):
        candidates = expert_search(request.user, cleaned["q"])
    engagement = task.engagement
    return render(
        request,
        "matching/find_experts.html",
        {
            "task": task,
            "engagement": engagement,
            "engagement_plain": not opens_engagement(request.user, engagement),
            "access": access,
            "result": result,
            "form": form,
            "why": why,
            "why_missing": why_missing,
            "candidates": candidates,
            "searched": bool(cleaned.get("q")),
            "can_staff": access.can_assign and task.status in STAFFABLE_STATES,
            "n_choices": N_CHOICES,
        },
        status=404 if why_missing else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def matching_weights(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = access_client_weights(request.user, organisation_id, write=True)
    settings = matching_settings(organisation.pk)
    if request.method == "POST":
        user = authenticated(request)
        form = MatchingWeightsForm(request.POST)
        done = submit(
            request,
            form,
            lambda data: matching_weights_update(
                user=user,
                client=organisation,
                weights=form.weights(),
                min_skills_share=data["min_skills_share"],
            ),
            success=_("The matching weights of %(name)s are saved.") % {"name": organisation},
            then=HttpResponseRedirect(
                reverse("matching_weights", kwargs={"organisation_id": organisation.pk})
            ),
        )
        if done:
            return done
        status = 400
    else:
        initial: dict[str, object] = dict(score_weights_of(settings).as_dict())
        initial["min_skills_share"] = settings.min_skills_share
        form = MatchingWeightsForm(initial=initial)
        status = 200
    weights = score_weights_of(settings)
    return render(
        request,
        "matching/matching_weights.html",
        {
            "organisation": organisation,
            "settings": settings,
            "form": form,
            "weight_fields": [form[name] for name in weights.as_dict()],
            "normalised": weights.normalised(),
        },
        status=status,
    )
