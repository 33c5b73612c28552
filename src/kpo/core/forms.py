"""Shared form pieces: put service errors back onto the form fields they name."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from kpo.core.errors import DomainError, field_errors


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
