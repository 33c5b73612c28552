from __future__ import annotations

from django.urls import URLPattern, path

from kpo.glossary import views

urlpatterns: list[URLPattern] = [
    path("engagements/<int:engagement_id>/glossary/", views.glossary, name="glossary"),
    path("glossary-terms/<int:glossary_term_id>/edit", views.glossary_term_edit, name="glossary_term_edit"),
    path(
        "glossary-terms/<int:glossary_term_id>/delete",
        views.glossary_term_delete,
        name="glossary_term_delete",
    ),
]
