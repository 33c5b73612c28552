"""The client's talent benches: the list (and a new bench), one bench with its members and the experts
the client worked with, suggested when rated well (kpo.matching.bench)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kpo.core.access import authenticated
from kpo.core.forms import submit
from kpo.core.listed import Listed
from kpo.matching import bench
from kpo.matching.forms import BenchForm, BenchMemberForm
from kpo.matching.models import TalentBench
from kpo.orgs.models import Organisation
from kpo.orgs.selectors import org_ids_with_roles


def _render_list(
    request: HttpRequest, client: Organisation, form: BenchForm | None = None, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "matching/benches.html",
        {
            "client": client,
            "benches": bench.benches_of(client),
            "can_keep": client.pk in org_ids_with_roles(request.user, bench.BENCH_KEEPERS),
            "form": form or BenchForm(),
        },
        status=status,
    )


@login_required
@require_GET
def talent_benches(request: HttpRequest, organisation_id: int) -> HttpResponse:
    client = bench.access_client_benches(request.user, organisation_id, write=False)
    return _render_list(request, client)


@login_required
@require_POST
def talent_bench_create(request: HttpRequest, organisation_id: int) -> HttpResponse:
    client = bench.access_client_benches(request.user, organisation_id, write=True)
    user = authenticated(request)
    form = BenchForm(request.POST)
    return submit(
        request,
        form,
        lambda data: bench.bench_create(user=user, client=client, name=data["name"]),
        success=lambda made: (
            _("The bench “%(name)s” is ready: add the experts you trust.") % {"name": made.name}
        ),
        then=lambda made: redirect("talent_bench_detail", bench_id=made.pk),
    ) or _render_list(request, client, form, status=400)


def _render_bench(
    request: HttpRequest, held: TalentBench, form: BenchMemberForm | None = None, *, status: int = 200
) -> HttpResponse:
    candidates = bench.bench_candidates(held)
    errors: list[str] = []
    if form is not None:
        for name, found in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            errors += [f"{label}: {error}" if label else str(error) for error in found]
    return render(
        request,
        "matching/bench_detail.html",
        {
            "bench": held,
            "client": held.client,
            "members": [
                Listed(
                    name=member.expert.display_name,
                    sub=member.expert.headline,
                    added_at=member.created_at,
                    added_by=member.added_by,
                    url=reverse("expert_detail", kwargs={"expert_id": member.expert_id}),
                    column=member.expert.organisation.name,
                    remove_url=reverse("bench_member_remove", kwargs={"bench_member_id": member.pk}),
                )
                for member in bench.bench_members(held)
            ],
            "candidates": candidates,
            "min_stars": bench.SUGGEST_MIN_STARS,
            "can_keep": held.client_id in org_ids_with_roles(request.user, bench.BENCH_KEEPERS),
            "errors": errors,
        },
        status=status,
    )


@login_required
@require_GET
def talent_bench_detail(request: HttpRequest, bench_id: int) -> HttpResponse:
    return _render_bench(request, bench.access_bench(request.user, bench_id, write=False))


@login_required
@require_POST
def bench_member_add(request: HttpRequest, bench_id: int) -> HttpResponse:
    held = bench.access_bench(request.user, bench_id, write=True)
    user = authenticated(request)
    form = BenchMemberForm(request.POST, experts=bench.worked_with(held.client_id))
    return submit(
        request,
        form,
        lambda data: bench.bench_member_add(user=user, bench=held, expert=data["expert"], note=data["note"]),
        success=lambda member: (
            _("%(name)s is on the bench “%(bench)s”.")
            % {"name": member.expert.display_name, "bench": held.name}
        ),
        then=redirect("talent_bench_detail", bench_id=held.pk),
    ) or _render_bench(request, held, form, status=400)


@login_required
@require_POST
def bench_member_remove(request: HttpRequest, bench_member_id: int) -> HttpResponse:
    member = bench.access_bench_member(request.user, bench_member_id)
    held = member.bench
    name = member.expert.display_name
    bench.bench_member_remove(user=authenticated(request), member=member)
    messages.success(
        request, _("%(name)s is no longer on the bench “%(bench)s”.") % {"name": name, "bench": held.name}
    )
    return redirect("talent_bench_detail", bench_id=held.pk)
