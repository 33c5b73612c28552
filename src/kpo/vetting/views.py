"""Vetting pages: the provider managers' queue, an expert's vetting and passport, engagement requirements.

Each view: check access, parse input, call one service or selector, render.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.access import authenticated
from kpo.core.clock import installation_date, request_now
from kpo.core.errors import DomainError
from kpo.core.files import serve_stored
from kpo.core.forms import submit
from kpo.core.links import redirect_at
from kpo.core.search import PeopleSearchForm
from kpo.engine.vetting import VettingCapacity
from kpo.experts.models import ExpertProfile
from kpo.orgs.models import Organisation
from kpo.vetting.access import (
    access_credential,
    access_engagement_requirements,
    access_vetting_expert,
    can_set_requirements,
    managed_provider_ids,
    manages,
)
from kpo.vetting.forms import (
    BackgroundCheckForm,
    CredentialForm,
    PolicyForm,
    ReferenceForm,
    RequirementsForm,
    StartForm,
    TrainingForm,
    TransitionForm,
    VerifyForm,
)
from kpo.vetting.models import VettingStateChoice
from kpo.vetting.selectors import QUEUE_LIMIT, engagement_requirements, expert_vetting, vetting_queue
from kpo.vetting.services import credentials, passport, pipeline, policy, requirements
from kpo.work.services import Upload

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise  # dev-only stubs: lazy translated strings

Errors = (ValidationError, DomainError)


ACTION_LABELS = {
    "start_screening": gettext_lazy("Start screening"),
    "verify_credentials": gettext_lazy("Confirm credentials verified"),
    "score_trial": gettext_lazy("Record the trial task score"),
    "activate": gettext_lazy("Activate"),
    "suspend": gettext_lazy("Suspend"),
    "reinstate": gettext_lazy("Reinstate"),
    "reject": gettext_lazy("Reject"),
    "withdraw": gettext_lazy("Withdraw from vetting"),
}
DANGER = {"suspend", "reject", "withdraw"}


def _back(expert: ExpertProfile, anchor: str = "") -> HttpResponseRedirect:
    return redirect_at("vetting_expert", anchor, vetting_expert_id=expert.pk)


def _render_expert(
    request: HttpRequest,
    expert: ExpertProfile,
    held: frozenset[VettingCapacity],
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    view = expert_vetting(expert, held, installation_date(request_now(request)))
    staff = manages(held)
    page_forms: dict[str, forms.Form] = {
        "start": StartForm(),
        "credential": CredentialForm(expert=expert),
        "verify": VerifyForm(),
        "background": BackgroundCheckForm(),
        "reference": ReferenceForm(),
        "training": TrainingForm(),
        "transition": TransitionForm(),
    }
    page_forms.update(bound or {})
    return render(
        request,
        "vetting/expert_vetting.html",
        {
            "expert": expert,
            "view": view,
            "staff": staff,
            "is_expert": VettingCapacity.EXPERT in held,
            "forms": page_forms,
            "actions": [
                {
                    "target": target,
                    "action": action,
                    "label": ACTION_LABELS.get(action, label),
                    "needs_comment": needs_comment,
                    "style": "danger" if action in DANGER else "primary",
                }
                for target, action, label, needs_comment in view.transitions
            ],
            "verify_for": request.POST.get("credential_id", "") if bound and "verify" in bound else "",
        },
        status=status,
    )


# --- the queue ---------------------------------------------------------------------------------------


def _managed_organisations(request: HttpRequest) -> list[Organisation]:
    user = authenticated(request)
    return list(Organisation.objects.filter(pk__in=managed_provider_ids(user)).order_by("name"))


@login_required
@require_GET
def vetting_queue_view(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    organisations = _managed_organisations(request)
    if not organisations:
        profile = ExpertProfile.objects.filter(user=user).first()
        if profile is not None:
            return _back(profile)
        raise Http404("Not found.")
    policy_form = PolicyForm(organisations=[(o.pk, o.name) for o in organisations])
    return _render_queue(request, organisations, policy_form=policy_form)


def _render_queue(
    request: HttpRequest, organisations: list[Organisation], *, policy_form: PolicyForm, status: int = 200
) -> HttpResponse:
    """The queue, filtered by the stage and the search in the query string."""
    states = [value for value, _label in VettingStateChoice.choices]
    state = request.GET.get("state", "")
    search = PeopleSearchForm(request.GET or None)
    search.is_valid()
    queue = vetting_queue(
        organisations,
        today=installation_date(request_now(request)),
        state=state if state in states else "",
        search=search.text(),
    )
    context = {
        "queue": queue,
        "states": VettingStateChoice.choices,
        "policy_form": policy_form,
        "search": search,
        "limit": QUEUE_LIMIT,
    }
    return render(request, "vetting/queue.html", context, status=status)


@login_required
@require_POST
def vetting_policy(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    organisations = _managed_organisations(request)
    if not organisations:
        raise Http404("Not found.")
    form = PolicyForm(request.POST, organisations=[(o.pk, o.name) for o in organisations])
    named = {o.pk: o for o in organisations}
    done = submit(
        request,
        form,
        lambda data: policy.vetting_policy_set(
            user=user,
            organisation=named[data["organisation"]],
            reverification_months=data["reverification_months"],
            trial_pass_score=data["trial_pass_score"],
        ),
        success=lambda _policy: (
            _("The vetting policy of %(name)s is saved.")
            % {"name": named[form.cleaned_data["organisation"]].name}
        ),
        then=HttpResponseRedirect(reverse("vetting_queue")),
    )
    if done:
        return done
    return _render_queue(request, organisations, policy_form=form, status=400)


# --- one expert --------------------------------------------------------------------------------------


@login_required
@require_GET
def vetting_expert(request: HttpRequest, vetting_expert_id: int) -> HttpResponse:
    expert, held = access_vetting_expert(request.user, vetting_expert_id)
    return _render_expert(request, expert, held)


@login_required
@require_GET
def vetting_passport(request: HttpRequest, vetting_expert_id: int) -> HttpResponse:
    expert, held = access_vetting_expert(request.user, vetting_expert_id)
    view = expert_vetting(expert, held, installation_date(request_now(request)))
    return render(request, "vetting/passport.html", {"expert": expert, "view": view})


def _expert_form(
    request: HttpRequest,
    expert: ExpertProfile,
    held: frozenset[VettingCapacity],
    key: str,
    form: forms.Form,
    action: Callable[[dict[str, Any]], object],
    done: str,
    anchor: str = "",
) -> HttpResponse:
    """A form on the expert's vetting page: `action` calls the service; back to the page at `anchor`, or
    the page again with the form and its errors in place of the blank form `key`."""
    return submit(request, form, action, success=done, then=_back(expert, anchor)) or _render_expert(
        request, expert, held, bound={key: form}, status=400
    )


@login_required
@require_POST
def vetting_start(request: HttpRequest, vetting_expert_id: int) -> HttpResponse:
    expert, held = access_vetting_expert(request.user, vetting_expert_id)
    return _expert_form(
        request,
        expert,
        held,
        "start",
        StartForm(request.POST),
        lambda data: pipeline.vetting_start(user=authenticated(request), expert=expert, note=data["note"]),
        _("Vetting started."),
    )


@login_required
@require_POST
def vetting_transition(request: HttpRequest, vetting_expert_id: int) -> HttpResponse:
    expert, held = access_vetting_expert(request.user, vetting_expert_id)
    form = TransitionForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: pipeline.vetting_transition(
            user=authenticated(request),
            expert=expert,
            target=data["state"],
            comment=data["comment"],
            trial_score=data["trial_score"],
            expected_state=data["expected_state"],
        ),
        success=lambda record: _("Vetting is now at: %(state)s.") % {"state": record.get_state_display()},
        then=_back(expert),
    )
    if done:
        return done
    if form.errors:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return _render_expert(request, expert, held, bound={"transition": form}, status=400)


def _upload(file: Any) -> Upload:
    return Upload(stream=cast(IO[bytes], file), name=file.name or "upload")


@login_required
@require_POST
def credential_add(request: HttpRequest, vetting_expert_id: int) -> HttpResponse:
    expert, held = access_vetting_expert(request.user, vetting_expert_id)
    return _expert_form(
        request,
        expert,
        held,
        "credential",
        CredentialForm(request.POST, request.FILES, expert=expert),
        lambda data: credentials.credential_add(
            user=authenticated(request),
            expert=expert,
            kind=data["kind"],
            title=data["title"],
            level=data["level"],
            issuer=data["issuer"],
            issued_on=data["issued_on"],
            expires_on=data["expires_on"],
            degree_id=data["degree"],
            upload=_upload(data["file"]),
        ),
        _("Credential added; it counts once it is verified."),
        "credentials",
    )


@login_required
@require_POST
def credential_verify(request: HttpRequest, credential_id: int) -> HttpResponse:
    credential, held = access_credential(request.user, credential_id, manage=True)
    return _expert_form(
        request,
        credential.expert,
        held,
        "verify",
        VerifyForm(request.POST),
        lambda data: credentials.credential_verify(
            user=authenticated(request),
            credential=credential,
            method=data["method"],
            verified=data["outcome"] == "verified",
            verified_on=data["verified_on"],
            expires_on=data["expires_on"],
            note=data["note"],
        ),
        _("“%(title)s” is recorded as checked.") % {"title": credential.title},
        "credentials",
    )


@login_required
@require_GET
def credential_evidence(request: HttpRequest, credential_id: int) -> FileResponse:
    credential, _held = access_credential(request.user, credential_id)
    details = {
        "expert": credential.expert_id,
        "file": credential.original_name,
        "sha256": credential.sha256,
    }
    target = ("credential", credential.pk)
    audit(request.user, AuditEvent.DOWNLOAD, target, credential.expert.organisation, details)
    return serve_stored(credential)


# the passport's records: the page's form key -> the form, the service that records it, what it says
PASSPORT_ITEMS: dict[str, tuple[type[forms.Form], Callable[..., object], StrPromise]] = {
    "background": (
        BackgroundCheckForm,
        passport.background_check_record,
        gettext_lazy("Background check recorded."),
    ),
    "reference": (ReferenceForm, passport.reference_add, gettext_lazy("Reference recorded.")),
    "training": (TrainingForm, passport.training_record, gettext_lazy("Training recorded.")),
}


def _passport_item(request: HttpRequest, vetting_expert_id: int, key: str) -> HttpResponse:
    form_class, record, done = PASSPORT_ITEMS[key]
    expert, held = access_vetting_expert(request.user, vetting_expert_id, manage=True)
    return _expert_form(
        request,
        expert,
        held,
        key,
        form_class(request.POST),
        lambda data: record(user=authenticated(request), expert=expert, **data),
        str(done),
        "passport",
    )


@login_required
@require_POST
def background_check_add(request: HttpRequest, vetting_expert_id: int) -> HttpResponse:
    return _passport_item(request, vetting_expert_id, "background")


@login_required
@require_POST
def reference_add(request: HttpRequest, vetting_expert_id: int) -> HttpResponse:
    return _passport_item(request, vetting_expert_id, "reference")


@login_required
@require_POST
def training_add(request: HttpRequest, vetting_expert_id: int) -> HttpResponse:
    return _passport_item(request, vetting_expert_id, "training")


@login_required
@require_POST
def terms_sign(request: HttpRequest, vetting_expert_id: int) -> HttpResponse:
    expert, held = access_vetting_expert(request.user, vetting_expert_id)
    try:
        signature = passport.terms_sign(user=authenticated(request), expert=expert)
    except Errors as error:
        messages.error(request, error.message if isinstance(error, DomainError) else " ".join(error.messages))
        return _render_expert(request, expert, held, status=400)
    messages.success(
        request, _("You signed version %(version)s of the platform terms.") % {"version": signature.version}
    )
    return _back(expert, "passport")


# --- engagement requirements -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def engagement_requirements_view(request: HttpRequest, engagement_id: int) -> HttpResponse:
    user = authenticated(request)
    engagement = access_engagement_requirements(user, engagement_id, write=request.method == "POST")
    current = engagement_requirements(engagement)
    editable = can_set_requirements(user, engagement)
    status = 200
    if request.method == "POST":
        form = RequirementsForm(request.POST, instance=current)
        done = submit(
            request,
            form,
            lambda data: requirements.requirements_set(
                user=user,
                engagement=engagement,
                **{name: data[name] for name in RequirementsForm.Meta.fields},
            ),
            success=_("The passport requirements are saved; matching applies them now."),
            then=HttpResponseRedirect(reverse("engagement_detail", kwargs={"engagement_id": engagement.pk})),
        )
        if done:
            return done
        status = 400
    else:
        form = RequirementsForm(instance=current)
    return render(
        request,
        "vetting/requirements.html",
        {"engagement": engagement, "form": form, "current": current, "editable": editable},
        status=status,
    )
