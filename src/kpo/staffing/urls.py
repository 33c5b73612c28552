from django.urls import path

from kpo.staffing import views

urlpatterns = [
    path("staffing/", views.staffing_runs, name="staffing_runs"),
    path("staffing/<int:run_id>/", views.staffing_run_detail, name="staffing_run_detail"),
    path("staffing/<int:run_id>/commit", views.staffing_run_commit_view, name="staffing_run_commit"),
]
