from __future__ import annotations

from django.urls import URLPattern, path

from kpo.redaction import views

urlpatterns: list[URLPattern] = [
    path(
        "organisations/<int:organisation_id>/sensitive-terms/",
        views.sensitive_terms,
        name="sensitive_terms",
    ),
    path(
        "sensitive-terms/<int:sensitive_term_id>/edit",
        views.sensitive_term_edit,
        name="sensitive_term_edit",
    ),
    path(
        "sensitive-terms/<int:sensitive_term_id>/delete",
        views.sensitive_term_delete,
        name="sensitive_term_delete",
    ),
]
