from __future__ import annotations

from django.urls import path

from kpo.vetting import views

urlpatterns = [
    path("vetting/", views.vetting_queue_view, name="vetting_queue"),
    path("vetting/policy/", views.vetting_policy, name="vetting_policy"),
    path("vetting/experts/<int:vetting_expert_id>/", views.vetting_expert, name="vetting_expert"),
    path(
        "vetting/experts/<int:vetting_expert_id>/passport/", views.vetting_passport, name="vetting_passport"
    ),
    path("vetting/experts/<int:vetting_expert_id>/start/", views.vetting_start, name="vetting_start"),
    path(
        "vetting/experts/<int:vetting_expert_id>/transition/",
        views.vetting_transition,
        name="vetting_transition",
    ),
    path(
        "vetting/experts/<int:vetting_expert_id>/credentials/",
        views.credential_add,
        name="vetting_credential_add",
    ),
    path(
        "vetting/experts/<int:vetting_expert_id>/background-checks/",
        views.background_check_add,
        name="vetting_background_check_add",
    ),
    path(
        "vetting/experts/<int:vetting_expert_id>/references/",
        views.reference_add,
        name="vetting_reference_add",
    ),
    path(
        "vetting/experts/<int:vetting_expert_id>/trainings/",
        views.training_add,
        name="vetting_training_add",
    ),
    path("vetting/experts/<int:vetting_expert_id>/terms/", views.terms_sign, name="vetting_terms_sign"),
    path(
        "vetting/credentials/<int:credential_id>/verify/",
        views.credential_verify,
        name="vetting_credential_verify",
    ),
    path(
        "vetting/credentials/<int:credential_id>/evidence/",
        views.credential_evidence,
        name="vetting_credential_evidence",
    ),
    path(
        "vetting/engagements/<int:engagement_id>/requirements/",
        views.engagement_requirements_view,
        name="vetting_engagement_requirements",
    ),
]
