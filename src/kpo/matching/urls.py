from django.urls import path

from kpo.matching import bench_views, picker_views, views

urlpatterns = [
    path("tasks/<int:task_id>/find-experts/", views.find_experts, name="find_experts"),
    path("tasks/<int:task_id>/staff/", picker_views.staff_picker_page, name="staff_picker"),
    path("tasks/<int:task_id>/staff/assign", picker_views.staff_picker_assign, name="staff_picker_assign"),
    path(
        "organisations/<int:organisation_id>/matching-weights/",
        views.matching_weights,
        name="matching_weights",
    ),
    path("organisations/<int:organisation_id>/benches/", bench_views.talent_benches, name="talent_benches"),
    path(
        "organisations/<int:organisation_id>/benches/new",
        bench_views.talent_bench_create,
        name="talent_bench_create",
    ),
    path("benches/<int:bench_id>/", bench_views.talent_bench_detail, name="talent_bench_detail"),
    path("benches/<int:bench_id>/members/add", bench_views.bench_member_add, name="bench_member_add"),
    path(
        "bench-members/<int:bench_member_id>/remove",
        bench_views.bench_member_remove,
        name="bench_member_remove",
    ),
]
