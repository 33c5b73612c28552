from django.urls import path

from kpo.matching import views

urlpatterns = [
    path("tasks/<int:task_id>/find-experts/", views.find_experts, name="find_experts"),
    path(
        "organisations/<int:organisation_id>/matching-weights/",
        views.matching_weights,
        name="matching_weights",
    ),
]
