from __future__ import annotations

from django.urls import path

from kpo.quality import views

urlpatterns = [
    path("engagements/<int:engagement_id>/rubric/", views.rubric_edit, name="quality_rubric"),
    path("tasks/<int:task_id>/review/", views.review_create, name="quality_review_create"),
    path("tasks/<int:task_id>/rating/", views.rating_create, name="quality_rating_create"),
]
