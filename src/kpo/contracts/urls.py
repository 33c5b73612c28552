from __future__ import annotations

from django.urls import path

from kpo.contracts import views

urlpatterns = [
    path("engagements/<int:engagement_id>/sow/", views.engagement_sow, name="engagement_sow"),
    path("engagements/<int:engagement_id>/sow/new/", views.sow_create, name="sow_create"),
    path("engagements/<int:engagement_id>/sow/change/", views.sow_change_request, name="sow_change_request"),
    path(
        "engagements/<int:engagement_id>/sow/milestones/", views.sow_milestone_link, name="sow_milestone_link"
    ),
    path("sow-versions/<int:sow_version_id>/", views.sow_version_detail, name="sow_version_detail"),
    path("sow-versions/<int:sow_version_id>/edit/", views.sow_version_edit, name="sow_version_edit"),
    path("sow-versions/<int:sow_version_id>/propose/", views.sow_version_propose, name="sow_version_propose"),
    path("sow-versions/<int:sow_version_id>/approve/", views.sow_version_approve, name="sow_version_approve"),
    path("sow-versions/<int:sow_version_id>/pdf", views.sow_version_pdf, name="sow_version_pdf"),
    path("tasks/<int:task_id>/sow-item/", views.task_sow_link, name="task_sow_link"),
]
