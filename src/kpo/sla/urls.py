from __future__ import annotations

from django.urls import URLPattern, path

from kpo.sla import meeting_views, views

urlpatterns: list[URLPattern] = [
    path("engagements/<int:engagement_id>/sla/", views.sla_report_view, name="sla_report"),
    path("engagements/<int:engagement_id>/sla/export.csv", views.sla_report_csv, name="sla_report_csv"),
    path("engagements/<int:engagement_id>/sla/policy/", views.sla_policy_edit, name="sla_policy_edit"),
    path("tasks/<int:task_id>/disputes/new/", views.dispute_create, name="dispute_create"),
    path("tasks/<int:task_id>/meetings/", meeting_views.meetings_view, name="task_meetings"),
    path("meetings/<int:meeting_id>/pick/", meeting_views.meeting_pick_view, name="meeting_pick"),
    path("meetings/<int:meeting_id>/invitation.ics", meeting_views.meeting_ics_view, name="meeting_ics"),
    path("disputes/", views.dispute_list, name="dispute_list"),
    path("disputes/<int:dispute_id>/", views.dispute_detail, name="dispute_detail"),
    path("disputes/<int:dispute_id>/respond/", views.dispute_respond, name="dispute_respond"),
    path("disputes/<int:dispute_id>/agree/", views.dispute_agree, name="dispute_agree"),
    path("disputes/<int:dispute_id>/mediation/", views.dispute_mediation, name="dispute_mediation"),
    path("disputes/<int:dispute_id>/resolve/", views.dispute_resolve, name="dispute_resolve"),
    path("disputes/<int:dispute_id>/evidence/", views.dispute_evidence_add, name="dispute_evidence_add"),
    path(
        "disputes/<int:dispute_id>/evidence/<int:dispute_evidence_id>/",
        views.dispute_evidence_download,
        name="dispute_evidence_download",
    ),
]
