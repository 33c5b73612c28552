"""Shared form pieces: put service errors back onto the form fields they name, the usual POST of a
form, and the POST of a bare button."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from kpo.core.errors import DomainError, error_text, field_errors

R = TypeVar("R")
ErrorHook = Callable[[forms.BaseForm, ValidationError | DomainError], None]


def apply_errors(form: forms.BaseForm, error: ValidationError | DomainError) -> None:
    """Add the errors a service raised to `form`: next to the field they name, else at the top.

    A service may name a field the form does not show (a model field set by the view, say); such
    messages are prefixed with the field's name and shown as form-wide errors.
    """
    for item in field_errors(error):
        field, message = item["field"], item["message"]
        if field in form.fields:
            form.add_error(field, message)
        elif field in ("__all__", "", None):
            form.add_error(None, message)
        else:
            form.add_error(None, f"{field.replace('_', ' ').capitalize()}: {message}")


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], R],
    *,
    success: str | Callable[[R], str],
    then: HttpResponse | Callable[[R], HttpResponse],
    on_error: ErrorHook = apply_errors,
) -> HttpResponse | None:
    """The POST most views share: a valid form calls the service, a success message, a redirect.

    `action` gets the form's cleaned data and calls the service; what it returns is handed to
    `success` and `then` when they are callables (to name the new object, say). A ValidationError or
    DomainError from the service is put onto the form by `on_error` (`apply_errors` unless the view
    names its own fields differently). The answer is the response to send, or None when the form holds
    errors: the view then shows the form again with status 400::

        form = SensitiveTermForm(request.POST)
        return submit(
            request,
            form,
            lambda data: services.sensitive_term_create(user=user, client=client, **data),
            success=lambda term: _("“%(term)s” will be redacted.") % {"term": term.term},
            then=redirect("sensitive_terms", organisation_id=client.pk),
        ) or _render_terms(request, client, form, status=400)
    """
    if not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except (ValidationError, DomainError) as error:
        on_error(form, error)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return then(result) if callable(then) else then


def attempt(request: HttpRequest, action: Callable[[], R], *, success: str | Callable[[R], str]) -> bool:
    """The POST of a button with no form to show again: call the service and say how it went.

    A ValidationError or DomainError from the service becomes an error message (`error_text`), else
    `success` (called with what `action` returned, when it is a callable) a success message. The answer
    is whether the service succeeded; the view then redirects either way::

        attempt(
            request,
            lambda: services.invitation_revoke(user=user, invitation=invitation),
            success=_("The invitation to %(email)s is withdrawn.") % {"email": invitation.email},
        )
        return _back_to_organisation(invitation.organisation_id, "invitations")
    """
    try:
        result = action()
    except (ValidationError, DomainError) as error:
        messages.error(request, error_text(error))
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True
