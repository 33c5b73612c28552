"""Pages of the vault: downloads, NDAs (templates, signing, the signed record), leak tracing."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpo.confidentiality import downloads, selectors, services, wording
from kpo.confidentiality.access import (
    Decision,
    access_client_vault,
    access_nda_signature,
    access_nda_template,
    has_signed,
)
from kpo.confidentiality.forms import (
    ClearanceForm,
    DocumentLevelForm,
    LeakTraceForm,
    NdaSignForm,
    NdaTemplateForm,
    WordingDecisionForm,
)
from kpo.confidentiality.models import DownloadChannel, PreparedCopy, PreparedCopyStatus, WordingStatus
from kpo.confidentiality.pdf import signature_pdf_response
from kpo.confidentiality.prepared import prepared_copy_collect, problem_text
from kpo.confidentiality.tokens import PARAM, TokenError, TokenProblem, spend_token
from kpo.confidentiality.trace_words import trace_finding
from kpo.confidentiality.tracing import leak_trace_for_client
from kpo.confidentiality.vault import (
    open_document,
    open_version,
    prepared_response,
    vault_response,
)
from kpo.core.access import authenticated, get_visible_or_404
from kpo.core.errors import DomainError
from kpo.core.forms import attempt, submit
from kpo.core.links import url_at
from kpo.core.signing import client_ip
from kpo.engine.lifecycle import Capacity
from kpo.experts.access import access_expert
from kpo.work.access import access_task_for
from kpo.work.models import DeliverableVersion, Task, TaskDocument


def _task_url(task_id: int, anchor: str = "documents") -> str:
    return url_at("task_detail", anchor, task_id=task_id)


def _token_refused(
    request: HttpRequest, error: TokenError, *, task_id: int, object_type: str, object_id: int
) -> HttpResponse:
    if error.problem is not TokenProblem.MISSING:
        downloads.vault_refusal_record(
            user=request.user,
            organisation=None,
            object_type=object_type,
            object_id=object_id,
            reason=f"link_{error.problem.value}",
            ip=client_ip(request),
            task_id=task_id,
        )
    if error.problem in {TokenProblem.MISSING, TokenProblem.EXPIRED}:
        messages.info(request, _("Download links work once and for a short while: here is a fresh one."))
        return HttpResponseRedirect(_task_url(task_id))
    return render(
        request,
        "confidentiality/link_refused.html",
        {"problem": error.problem.value, "task_url": _task_url(task_id)},
        status=403,
    )


# a download link's kind → the object type the vault logs, and the task page's section to go back to
DOWNLOADS = {"document": ("task_document", "documents"), "version": ("deliverable_version", "deliverables")}


def _serve(
    request: HttpRequest,
    user: User,
    task: Task,
    stored: TaskDocument | DeliverableVersion,
    decision: Decision,
    kind: str,
) -> HttpResponseBase:
    """Spend the download link, then serve a watermarked copy; a refused link or download says why."""
    object_type, anchor = DOWNLOADS[kind]
    try:
        spend_token(request.GET.get(PARAM), user_id=user.pk, kind=kind, object_id=stored.pk)
    except TokenError as error:
        return _token_refused(request, error, task_id=task.pk, object_type=object_type, object_id=stored.pk)
    try:
        served = downloads.vault_download(
            user=user,
            task=task,
            stored=stored,
            decision=decision,
            channel=DownloadChannel.WEB,
            ip=client_ip(request),
            prepare_large=True,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(_task_url(task.pk, anchor))
    if served.prepared is not None:
        return HttpResponseRedirect(reverse("prepared_copy", kwargs={"copy_id": served.prepared.pk}))
    return vault_response(served)


# --- copies prepared in the worker ---------------------------------------------------------------------


def _own_copy(request: HttpRequest, copy_id: int) -> PreparedCopy:
    """The signed-in user's own prepared copy; anyone else's (or none) is a logged 404."""
    copy = (
        PreparedCopy.objects.select_related("download", "task__engagement__client", "document", "version")
        .filter(pk=copy_id, user=authenticated(request))
        .first()
    )
    if copy is None:
        downloads.vault_refusal_record(
            user=request.user,
            organisation=None,
            object_type="prepared_copy",
            object_id=copy_id,
            reason="not_visible",
            ip=client_ip(request),
        )
        raise Http404("Not found.")
    return copy


@login_required
@require_GET
def prepared_copy(request: HttpRequest, copy_id: int) -> HttpResponse:
    """A copy being prepared in the worker: "being prepared" (the page refreshes), then the link to it."""
    copy = _own_copy(request, copy_id)
    return render(
        request,
        "confidentiality/prepared_copy.html",
        {
            "copy": copy,
            "problem": problem_text(copy),
            "task_url": _task_url(copy.task_id),
            "preparing": copy.status == PreparedCopyStatus.PREPARING,
            "ready": copy.status == PreparedCopyStatus.READY,
        },
    )


@login_required
@require_GET
def prepared_copy_file(request: HttpRequest, copy_id: int) -> HttpResponseBase:
    """The ready copy, once: need-to-know is checked again (a logged 404), then it is handed out."""
    copy = _own_copy(request, copy_id)
    user = authenticated(request)
    if copy.document_id is not None:
        open_document(request, user, copy.task_id, copy.document_id)
    elif copy.version_id is not None and copy.version is not None:
        open_version(request, user, copy.task_id, copy.version.deliverable_id, copy.version_id)
    page = HttpResponseRedirect(reverse("prepared_copy", kwargs={"copy_id": copy.pk}))
    if copy.status != PreparedCopyStatus.READY:
        return page
    try:
        handle = copy.file.storage.open(copy.file.name, "rb")
    except (FileNotFoundError, OSError, ValueError):
        messages.error(request, _("The file is no longer there."))
        return page
    try:
        prepared_copy_collect(copy=copy)
    except DomainError as error:
        handle.close()
        messages.error(request, error.message)
        return page
    return prepared_response(copy, handle)


@login_required
@require_GET
def document_download(request: HttpRequest, task_id: int, document_id: int) -> HttpResponseBase:
    """A task's document: need-to-know (a logged 404), a single-use link, a watermarked copy."""
    user = authenticated(request)
    task, document, decision = open_document(request, user, task_id, document_id)
    return _serve(request, user, task, document, decision, "document")


@login_required
@require_GET
def version_download(
    request: HttpRequest, task_id: int, deliverable_id: int, version_id: int
) -> HttpResponseBase:
    """A deliverable's version, like `document_download`, at the task's level."""
    user = authenticated(request)
    task, version, decision = open_version(request, user, task_id, deliverable_id, version_id)
    return _serve(request, user, task, version, decision, "version")


# --- NDAs ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def nda_templates(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """The client's NDAs (admins and auditors); admins add one here."""
    organisation = access_client_vault(request.user, organisation_id)
    is_admin = organisation.pk in selectors.admin_client_ids(request.user)
    form = NdaTemplateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied(_("Only the client's admins change its NDAs."))
        done = submit(
            request,
            form,
            lambda data: services.nda_template_save(user=authenticated(request), client=organisation, **data),
            success=lambda template: _("“%(title)s” saved.") % {"title": template.title},
            then=lambda template: HttpResponseRedirect(
                reverse("nda_template_edit", kwargs={"nda_template_id": template.pk})
            ),
        )
        if done:
            return done
    return render(
        request,
        "confidentiality/nda_templates.html",
        {
            "organisation": organisation,
            "templates": selectors.nda_templates_of(organisation),
            "form": form,
            "is_admin": is_admin,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def nda_template_edit(request: HttpRequest, nda_template_id: int) -> HttpResponse:
    template = access_nda_template(request.user, nda_template_id, admin=True)
    version = services.current_version(template)
    initial = {
        "title": template.title,
        "text": version.text if version else "",
        "in_force": template.in_force,
    }
    form = NdaTemplateForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        done = submit(
            request,
            form,
            lambda data: services.nda_template_save(
                user=authenticated(request), client=template.client, template=template, **data
            ),
            success=_("The NDA is saved."),
            then=HttpResponseRedirect(reverse("nda_template_edit", kwargs={"nda_template_id": template.pk})),
        )
        if done:
            return done
    return render(
        request,
        "confidentiality/nda_template_edit.html",
        {
            "template": template,
            "organisation": template.client,
            "form": form,
            "versions": selectors.versions_with_counts(template),
            "signatures": selectors.signatures_of_template(template),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def nda_sign(request: HttpRequest, nda_template_id: int) -> HttpResponse:
    """Read the current version and sign it (experts and provider managers with a need to know)."""
    template = access_nda_template(request.user, nda_template_id)
    version = services.current_version(template)
    client_side = template.client_id in selectors.client_reader_ids(request.user)
    signed = has_signed(request.user, version)
    form = NdaSignForm(
        request.POST if request.method == "POST" else None,
        initial={"version": version.pk if version else None},
        current=version.pk if version else None,
    )
    next_url = _safe_next(request)
    if request.method == "POST":
        if client_side or version is None:
            raise PermissionDenied(_("The client's own people do not sign its NDA."))
        done = submit(
            request,
            form,
            lambda data: services.nda_sign(
                user=authenticated(request),
                version=version,
                typed_name=data["typed_name"],
                ip=client_ip(request),
            ),
            success=_("Signed. The client's confidential material now opens for you."),
            then=HttpResponseRedirect(
                next_url or reverse("nda_sign", kwargs={"nda_template_id": template.pk})
            ),
        )
        if done:
            return done
    mine = selectors.my_signatures(request.user, template)
    return render(
        request,
        "confidentiality/nda_sign.html",
        {
            "template": template,
            "version": version,
            "form": form,
            "signed": signed,
            "client_side": client_side,
            "my_signatures": mine,
            "next": next_url,
        },
        status=400 if form.errors else 200,
    )


def _safe_next(request: HttpRequest) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    value = request.POST.get("next") or request.GET.get("next") or ""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=False
    ):
        return value
    return ""


@login_required
@require_GET
def nda_signature_pdf(request: HttpRequest, nda_signature_id: int) -> HttpResponse:
    return signature_pdf_response(access_nda_signature(request.user, nda_signature_id))


# --- the client's vault: downloads and leak tracing ----------------------------------------------------


@login_required
@require_GET
def vault_overview(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = access_client_vault(request.user, organisation_id)
    return render(
        request,
        "confidentiality/vault.html",
        {
            "organisation": organisation,
            "templates": selectors.nda_templates_of(organisation),
            "downloads": selectors.recent_downloads(organisation),
            "wording_documents": selectors.wording_documents(organisation),
            "is_admin": organisation.pk in selectors.admin_client_ids(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def leak_trace(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = access_client_vault(request.user, organisation_id, admin=True)
    form = LeakTraceForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        report = leak_trace_for_client(
            user=authenticated(request),
            organisation=organisation,
            text=form.cleaned_data["text"],
            upload=upload,
            name=upload.name if upload is not None else None,
        )
    return render(
        request,
        "confidentiality/trace.html",
        {
            "organisation": organisation,
            "form": form,
            "report": report,
            "finding": (
                trace_finding(report.download, report.result.confidence)
                if report is not None and report.download is not None
                else None
            ),
        },
        status=400 if form.errors else 200,
    )


# --- levels and clearances ------------------------------------------------------------------------------


def _set_level(
    request: HttpRequest,
    form: forms.Form,
    field: str,
    action: Callable[[str], object],
    *,
    success: str,
    missing: str,
) -> None:
    """A level chosen in a one-field form: a valid choice goes to `action` (see `attempt`); none says
    `missing`."""
    if form.is_valid():
        attempt(request, lambda: action(form.cleaned_data[field]), success=success)
    else:
        messages.error(request, missing)


@login_required
@require_POST
def document_classify(request: HttpRequest, task_id: int, document_id: int) -> HttpResponse:
    task, _held = access_task_for(request.user, task_id, Capacity.CLIENT)
    document = get_visible_or_404(task.documents.all(), document_id)
    _set_level(
        request,
        DocumentLevelForm(request.POST),
        "confidentiality",
        lambda level: services.document_classify(user=authenticated(request), document=document, level=level),
        success=_("The level of “%(title)s” is saved.") % {"title": document.title},
        missing=_("Choose a confidentiality level."),
    )
    return HttpResponseRedirect(_task_url(task.pk))


@login_required
@require_POST
def expert_clearance(request: HttpRequest, expert_id: int) -> HttpResponse:
    expert = access_expert(request.user, expert_id)
    _set_level(
        request,
        ClearanceForm(request.POST),
        "clearance",
        lambda level: services.expert_clearance_set(
            user=authenticated(request), expert=expert, clearance=level
        ),
        success=_("Clearance saved."),
        missing=_("Choose a clearance level."),
    )
    return HttpResponseRedirect(reverse("expert_detail", kwargs={"expert_id": expert.pk}))


# --- wording variants ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def document_wording(request: HttpRequest, task_id: int, document_id: int) -> HttpResponse:
    """A document's wording variants: listed for the client's admins and auditors; approved or locked as
    legal text by its admins (POST, audited)."""
    visible = TaskDocument.objects.filter(
        task_id=task_id, task__engagement__client_id__in=selectors.client_side_ids(request.user)
    ).select_related("task__engagement")
    document = get_visible_or_404(visible, document_id)
    task = document.task
    client_id = task.engagement.client_id
    if client_id not in selectors.vault_reader_ids(request.user):
        raise PermissionDenied(_("Only the client's admins and auditors see its vault."))
    here = reverse("document_wording", kwargs={"task_id": task.pk, "document_id": document.pk})
    if request.method == "POST":
        form = WordingDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose to approve the variants or to lock the document."))
            return HttpResponseRedirect(here)
        decision = form.cleaned_data["decision"]
        attempt(
            request,
            lambda: wording.wording_decide(user=authenticated(request), document=document, status=decision),
            success=(
                _("The wording variants of “%(title)s” are approved.")
                if decision == WordingStatus.APPROVED
                else _("“%(title)s” is locked as legal text: its copies keep every word.")
            )
            % {"title": document.title},
        )
        return HttpResponseRedirect(here)
    document.task = task
    try:
        variants = wording.variant_set(document)
    except DomainError:
        variants = None
    review = wording.review_of(document)
    return render(
        request,
        "confidentiality/wording.html",
        {
            "task": task,
            "document": document,
            "variants": variants,
            "review": review,
            "changed": review is not None and review.sha256 != document.sha256,
            "is_admin": client_id in selectors.admin_client_ids(request.user),
            "vault_url": reverse("vault_overview", kwargs={"organisation_id": client_id}),
        },
    )
