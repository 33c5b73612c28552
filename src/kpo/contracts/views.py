"""Pages of the statement of work: the SOW of an engagement, one version, the forms and the PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpo.contracts import access, selectors, services
from kpo.contracts.forms import ApproveForm, ChangeRequestForm, LinkForm, MilestoneLinkForm, SowForm
from kpo.contracts.models import Side, SowStatus, SowVersion
from kpo.contracts.pdf import sow_pdf_response
from kpo.core.access import authenticated
from kpo.core.clock import request_now
from kpo.core.forms import attempt, submit
from kpo.core.signing import client_ip
from kpo.engine import sow as engine
from kpo.work.models import Engagement

SECTION_LABELS = {
    "scope": gettext_lazy("Scope"),
    "deliverables": gettext_lazy("Deliverables"),
    "acceptance_criteria": gettext_lazy("Acceptance criteria"),
    "milestones": gettext_lazy("Milestones"),
    "assumptions": gettext_lazy("Assumptions"),
    "change_procedure": gettext_lazy("Change procedure"),
    "items": gettext_lazy("Items"),
}


def _sow_url(engagement_id: int) -> str:
    return reverse("engagement_sow", kwargs={"engagement_id": engagement_id})


def _render_sow(
    request: HttpRequest,
    engagement: Engagement,
    *,
    shown: SowVersion | None = None,
    approve_form: ApproveForm | None = None,
    change_form: ChangeRequestForm | None = None,
    status: int = 200,
) -> HttpResponse:
    view = selectors.sow_view(request.user, engagement)
    version = shown or view.current
    if version is not None and shown is not None:
        version = next((v for v in view.versions if v.pk == shown.pk), shown)
    context: dict[str, Any] = {"engagement": engagement, "view": view, "version": version, "diff": None}
    if shown is not None:
        previous, sections = selectors.version_diff(request.user, shown)
        context["previous"] = previous
        context["diff"] = [(SECTION_LABELS[s.name], s.lines) for s in sections if s.changed]
    if view.side == Side.CLIENT and view.approved is not None:
        milestones = selectors.milestones_of(engagement)
        if milestones:
            context["milestone_form"] = MilestoneLinkForm(
                codes=selectors.approved_codes(engagement),
                milestones=[(str(m.pk), str(m)) for m in milestones],
            )
    if version is not None:
        context["items"] = [(item, view.links.get(item.code, [])) for item in version.items.all()]
        signed = {approval.side for approval in version.approvals.all()}
        context["can_edit"] = view.side is not None and (
            (version.status == SowStatus.DRAFT and version.held_by == view.side)
            or version.status == SowStatus.PROPOSED
        )
        context["can_propose"] = version.status == SowStatus.DRAFT and version.held_by == view.side
        context["can_approve"] = (
            version.status == SowStatus.PROPOSED and view.side is not None and view.side not in signed
        )
        context["approve_form"] = approve_form or ApproveForm(
            initial={"content_sha256": version.content_sha256}
        )
    if view.can_request_change:
        context["change_form"] = change_form or ChangeRequestForm()
    return render(request, "contracts/sow.html", context, status=status)


@login_required
@require_GET
def engagement_sow(request: HttpRequest, engagement_id: int) -> HttpResponse:
    """The engagement's SOW: the version under negotiation or in force, its history and the next steps."""
    engagement = access.access_sow_engagement(request.user, engagement_id)
    return _render_sow(request, engagement)


@login_required
@require_GET
def sow_version_detail(request: HttpRequest, sow_version_id: int) -> HttpResponse:
    """One version, with what it changed from the one before."""
    version = access.access_sow_version(request.user, sow_version_id)
    return _render_sow(request, version.sow.engagement, shown=version)


def _form_page(
    request: HttpRequest,
    engagement: Engagement,
    form: SowForm,
    *,
    version: SowVersion | None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "contracts/sow_form.html",
        {"engagement": engagement, "form": form, "version": version},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sow_create(request: HttpRequest, engagement_id: int) -> HttpResponse:
    """The client drafts the engagement's statement of work."""
    engagement = access.access_sow_engagement(request.user, engagement_id, draft=True)
    form = SowForm(request.POST or None)
    if request.method == "POST":
        done = submit(
            request,
            form,
            lambda data: services.sow_draft(user=authenticated(request), engagement=engagement, data=data),
            success=_("Draft saved. Propose it to the provider when it is ready."),
            then=lambda version: redirect(_sow_url(engagement.pk)),
        )
        if done:
            return done
        return _form_page(request, engagement, form, version=None, status=400)
    return _form_page(request, engagement, form, version=None)


@login_required
@require_http_methods(["GET", "POST"])
def sow_version_edit(request: HttpRequest, sow_version_id: int) -> HttpResponse:
    """Edit a draft, or answer a proposal with a counter-proposal (a new version)."""
    version = access.access_sow_version(request.user, sow_version_id, negotiate=True)
    engagement = version.sow.engagement
    initial = {name: getattr(version, name) for name in engine.SECTIONS}
    initial["items"] = engine.items_text(services.content_of(version).items)
    form = SowForm(request.POST or None, initial=initial)
    if request.method == "POST":
        done = submit(
            request,
            form,
            lambda data: services.sow_version_save(user=authenticated(request), version=version, data=data),
            success=lambda saved: _("Version %(number)s saved as a draft.") % {"number": saved.number},
            then=lambda saved: redirect(_sow_url(engagement.pk)),
        )
        if done:
            return done
        return _form_page(request, engagement, form, version=version, status=400)
    return _form_page(request, engagement, form, version=version)


@login_required
@require_POST
def sow_version_propose(request: HttpRequest, sow_version_id: int) -> HttpResponse:
    version = access.access_sow_version(request.user, sow_version_id, negotiate=True)
    attempt(
        request,
        lambda: services.sow_propose(user=authenticated(request), version=version, now=request_now(request)),
        success=_("Proposed. The other side may now approve it or answer with changes."),
    )
    return HttpResponseRedirect(_sow_url(version.sow.engagement_id))


@login_required
@require_http_methods(["GET", "POST"])
def sow_version_approve(request: HttpRequest, sow_version_id: int) -> HttpResponse:
    """Sign a proposed version for one's side with one's typed name."""
    version = access.access_sow_version(request.user, sow_version_id, negotiate=True)
    engagement = version.sow.engagement
    if request.method == "GET":
        return _render_sow(request, engagement, shown=version)
    form = ApproveForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: services.sow_approve(
            user=authenticated(request),
            version=version,
            typed_name=data["typed_name"],
            content_sha256=data["content_sha256"],
            ip=client_ip(request),
            now=request_now(request),
        ),
        success=_("Signed for your side."),
        then=HttpResponseRedirect(_sow_url(engagement.pk)),
    )
    return done or _render_sow(request, engagement, shown=version, approve_form=form, status=400)


@login_required
@require_POST
def sow_change_request(request: HttpRequest, engagement_id: int) -> HttpResponse:
    """Ask to change the approved SOW: a new draft, held by the asking side."""
    engagement = access.access_sow_engagement(request.user, engagement_id, negotiate=True)
    form = ChangeRequestForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: services.sow_change_request(
            user=authenticated(request), engagement=engagement, reason=data["reason"]
        ),
        success=lambda version: (
            _("Version %(number)s drafted from the approved one; edit it and propose it.")
            % {"number": version.number}
        ),
        then=lambda version: redirect(_sow_url(engagement.pk)),
    )
    return done or _render_sow(request, engagement, change_form=form, status=400)


@login_required
@require_GET
def sow_version_pdf(request: HttpRequest, sow_version_id: int) -> HttpResponse:
    return sow_pdf_response(access.access_sow_version(request.user, sow_version_id))


@login_required
@require_POST
def task_sow_link(request: HttpRequest, task_id: int) -> HttpResponse:
    """Link a task to an item of the approved SOW (or unlink it)."""
    task = access.access_task_link(request.user, task_id)
    form = LinkForm(request.POST, codes=selectors.approved_codes(task.engagement))
    if form.is_valid():
        code = form.cleaned_data["code"] or None
        attempt(
            request,
            lambda: services.task_link(user=authenticated(request), task=task, code=code),
            success=_("The task's SOW item is saved."),
        )
    else:
        messages.error(request, _form_errors(form))
    return HttpResponseRedirect(reverse("task_detail", kwargs={"task_id": task.pk}))


def _form_errors(form: LinkForm | MilestoneLinkForm) -> str:
    return " ".join(
        f"{form.fields[name].label}: {error}" for name, errors in form.errors.items() for error in errors
    )


@login_required
@require_POST
def sow_milestone_link(request: HttpRequest, engagement_id: int) -> HttpResponse:
    """Link one of the engagement's milestones to an item of the approved SOW (the client), or unlink it."""
    engagement = access.access_sow_engagement(request.user, engagement_id, negotiate=True)
    milestones = selectors.milestones_of(engagement)
    form = MilestoneLinkForm(
        request.POST,
        codes=selectors.approved_codes(engagement),
        milestones=[(str(m.pk), str(m)) for m in milestones],
    )
    if form.is_valid():
        milestone = next(m for m in milestones if str(m.pk) == form.cleaned_data["milestone"])
        code = form.cleaned_data["code"] or None
        attempt(
            request,
            lambda: services.milestone_link(user=authenticated(request), milestone=milestone, code=code),
            success=_("The milestone's SOW item is saved."),
        )
    else:
        messages.error(request, _form_errors(form))
    return HttpResponseRedirect(_sow_url(engagement.pk) + "#links")
