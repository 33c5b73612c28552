from __future__ import annotations

from django.urls import path

from kpo.quality import dashboard_views, views

urlpatterns = [
    path("quality/", dashboard_views.quality_dashboard_view, name="quality_dashboard"),
    path("quality/export.csv", dashboard_views.quality_dashboard_csv, name="quality_dashboard_csv"),
    path("engagements/<int:engagement_id>/rubric/", views.rubric_edit, name="quality_rubric"),
    path("tasks/<int:task_id>/review/", views.review_create, name="quality_review_create"),
    path("tasks/<int:task_id>/rating/", views.rating_create, name="quality_rating_create"),
]
