from django.urls import path

from kpo.work import views
from kpo.work.views import overflow

urlpatterns = [
    path("skills/search", views.skill_search, name="skill_search"),
    path("engagements/", views.engagement_list, name="engagement_list"),
    path("engagements/new/", views.engagement_create, name="engagement_create"),
    path("engagements/<int:engagement_id>/", views.engagement_detail, name="engagement_detail"),
    path("engagements/<int:engagement_id>/edit/", views.engagement_edit, name="engagement_edit"),
    path("engagements/<int:engagement_id>/tasks/new", views.task_create, name="task_create"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:task_id>/", views.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:task_id>/transition", views.task_transition, name="task_transition"),
    path("tasks/<int:task_id>/messages", views.task_message, name="task_message"),
    path("tasks/<int:task_id>/documents", views.task_document_upload, name="task_document_upload"),
    path("tasks/<int:task_id>/deliverables", views.deliverable_upload, name="deliverable_upload"),
    path("tasks/<int:task_id>/time", views.time_entry_create, name="time_entry_create"),
    path("tasks/<int:task_id>/assignments", views.assignment_create, name="assignment_create"),
    path(
        "tasks/<int:task_id>/assignments/<int:assignment_id>/delete",
        views.assignment_delete,
        name="assignment_delete",
    ),
    path("overflow/", overflow.overflow_pool, name="overflow_pool"),
    path(
        "engagements/<int:engagement_id>/overflow/", overflow.engagement_overflow, name="engagement_overflow"
    ),
    path("engagements/<int:engagement_id>/overflow/add", overflow.overflow_add, name="overflow_add"),
    path(
        "overflow-providers/<int:overflow_provider_id>/remove",
        overflow.overflow_remove,
        name="overflow_remove",
    ),
    path("tasks/<int:task_id>/release", overflow.task_release, name="task_release"),
    path("releases/<int:task_release_id>/take", overflow.release_take, name="release_take"),
    path("releases/<int:task_release_id>/recall", overflow.release_recall, name="release_recall"),
]
