from __future__ import annotations

from django.urls import path

from kpo.confidentiality import views

urlpatterns = [
    path("organisations/<int:organisation_id>/ndas/", views.nda_templates, name="nda_templates"),
    path("organisations/<int:organisation_id>/vault/", views.vault_overview, name="vault_overview"),
    path("organisations/<int:organisation_id>/trace/", views.leak_trace, name="leak_trace"),
    path("ndas/<int:nda_template_id>/edit/", views.nda_template_edit, name="nda_template_edit"),
    path("ndas/<int:nda_template_id>/sign/", views.nda_sign, name="nda_sign"),
    path("nda-signatures/<int:nda_signature_id>/pdf", views.nda_signature_pdf, name="nda_signature_pdf"),
    path(
        "tasks/<int:task_id>/documents/<int:document_id>/download",
        views.document_download,
        name="document_download",
    ),
    path(
        "tasks/<int:task_id>/deliverables/<int:deliverable_id>/versions/<int:version_id>/download",
        views.version_download,
        name="version_download",
    ),
    path(
        "tasks/<int:task_id>/documents/<int:document_id>/level",
        views.document_classify,
        name="document_classify",
    ),
    path(
        "tasks/<int:task_id>/documents/<int:document_id>/wording",
        views.document_wording,
        name="document_wording",
    ),
    path("vault/copies/<int:copy_id>/", views.prepared_copy, name="prepared_copy"),
    path("vault/copies/<int:copy_id>/file", views.prepared_copy_file, name="prepared_copy_file"),
    path("experts/<int:expert_id>/clearance", views.expert_clearance, name="expert_clearance"),
]
