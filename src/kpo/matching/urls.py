from django.urls import path

from kpo.matching import picker_views, views

urlpatterns = [
    path("tasks/<int:task_id>/find-experts/", views.find_experts, name="find_experts"),
    path("tasks/<int:task_id>/staff/", picker_views.staff_picker_page, name="staff_picker"),
    path("tasks/<int:task_id>/staff/assign", picker_views.staff_picker_assign, name="staff_picker_assign"),
    path(
        "organisations/<int:organisation_id>/matching-weights/",
        views.matching_weights,
        name="matching_weights",
    ),
]
